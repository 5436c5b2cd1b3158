// Example: another team's REST API, in its own stack, protected by the API token service's authorizer.
// `service.protect(api)` creates a REQUEST authorizer on that API backed by the service's authorizer
// function and adds the same gateway responses (401 with WWW-Authenticate, JSON errors). Synthesized in
// test/cdk; not part of the deployed app.
import { Stack, type StackProps } from 'aws-cdk-lib';
import { MockIntegration, PassthroughBehavior, RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { Construct } from 'constructs';
import type { ApiTokenService } from '../api-token-service';

export interface ProtectedApiStackProps extends StackProps {
  /** The deployed token service (same account and region). */
  readonly tokenService: ApiTokenService;
}

export class ProtectedApiStack extends Stack {
  readonly api: RestApi;

  constructor(scope: Construct, id: string, props: ProtectedApiStackProps) {
    super(scope, id, props);
    this.api = new RestApi(this, 'OrdersApi', { description: 'Another team’s API, authenticated with API tokens' });
    const { methodOptions } = props.tokenService.protect(this.api);

    // A stand-in backend: the handler would read the caller from requestContext.authorizer
    // (accountId, userId, email, role, tokenId), exactly as this service's own handlers do.
    const orders = new MockIntegration({
      passthroughBehavior: PassthroughBehavior.NEVER,
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      integrationResponses: [
        {
          statusCode: '200',
          responseTemplates: { 'application/json': '{"orders": [], "account_id": "$context.authorizer.accountId"}' },
        },
      ],
    });
    const ordersResource = this.api.root.addResource('orders');
    ordersResource.addMethod('GET', orders, { ...methodOptions, methodResponses: [{ statusCode: '200' }] });
    ordersResource.addResource('{id}').addMethod('GET', orders, { ...methodOptions, methodResponses: [{ statusCode: '200' }] });
  }
}
