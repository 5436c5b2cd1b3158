// The deployable stack: the ApiTokenService construct and the outputs operators and other teams need — the
// API's base URL, the table's name (for tokenctl against the deployed table), and the authorizer function's
// ARN with the SSM parameter that holds it (for TokenAuthorizer in other stacks), and the admin console's URL.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ApiTokenService, type ApiTokenServiceProps } from './api-token-service';

export interface ApiTokenServiceStackProps extends StackProps {
  readonly service?: ApiTokenServiceProps;
  /**
   * ARN of an existing SNS topic the alarms notify (the construct's alarmTopic, by ARN).
   * @default - service.alarmTopic, or none
   */
  readonly alarmTopicArn?: string;
}

export class ApiTokenServiceStack extends Stack {
  readonly service: ApiTokenService;

  constructor(scope: Construct, id: string, props: ApiTokenServiceStackProps = {}) {
    super(scope, id, props);
    const alarmTopic = props.alarmTopicArn === undefined ? undefined : Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
    this.service = new ApiTokenService(this, 'Service', { ...props.service, ...(alarmTopic ? { alarmTopic } : {}) });
    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the deployed stage; append /api/v2/...',
      value: this.service.api.url,
    });
    new CfnOutput(this, 'TableName', {
      description: 'The DynamoDB table; TABLE_NAME for tokenctl',
      value: this.service.table.tableName,
    });
    new CfnOutput(this, 'AuthorizerFunctionArn', {
      description: 'The API token authorizer function, for TokenAuthorizer in other stacks (authorizerFunctionArn)',
      value: this.service.authorizerFunction.functionArn,
    });
    new CfnOutput(this, 'AuthorizerParameterName', {
      description: 'SSM parameter holding the authorizer function ARN (TokenAuthorizer parameterName)',
      value: this.service.authorizerParameter.parameterName,
    });
    if (this.service.adminConsole) {
      new CfnOutput(this, 'AdminConsoleUrl', {
        description: 'The admin console; the API is on the same origin under /api/',
        value: this.service.adminConsole.url,
      });
    }
  }
}
