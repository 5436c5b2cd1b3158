// The deployable stack: the ApiTokenService construct and the two outputs operators need — the API's
// base URL and the table's name (for tokenctl against the deployed table).
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiTokenService, type ApiTokenServiceProps } from './api-token-service';

export interface ApiTokenServiceStackProps extends StackProps {
  readonly service?: ApiTokenServiceProps;
}

export class ApiTokenServiceStack extends Stack {
  readonly service: ApiTokenService;

  constructor(scope: Construct, id: string, props: ApiTokenServiceStackProps = {}) {
    super(scope, id, props);
    this.service = new ApiTokenService(this, 'Service', props.service);
    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the deployed stage; append /api/v2/...',
      value: this.service.api.url,
    });
    new CfnOutput(this, 'TableName', {
      description: 'The DynamoDB table; TABLE_NAME for tokenctl',
      value: this.service.table.tableName,
    });
  }
}
