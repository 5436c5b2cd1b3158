// Example: another team's REST API, in its own stack (and its own CDK app), protected by the API token
// service's authorizer. `TokenAuthorizer` finds the deployed service's authorizer function through the SSM
// parameter the service publishes, adds a REQUEST authorizer backed by it and the service's gateway responses
// (every denial a 401 with WWW-Authenticate, JSON errors). Imported from the library's entry, as a consumer of
// the package imports it. Synthesized in test/cdk and linted by `npm run lint:cfn`; not part of the deployed app.
import { Stack, type StackProps } from 'aws-cdk-lib';
import { MockIntegration, PassthroughBehavior, RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { Construct } from 'constructs';
import { TokenAuthorizer } from '../../library';

export class ProtectedApiStack extends Stack {
  readonly api: RestApi;
  readonly tokens: TokenAuthorizer;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.api = new RestApi(this, 'OrdersApi', { description: 'Another team’s API, authenticated with API tokens' });
    this.tokens = new TokenAuthorizer(this, 'ApiTokens', { api: this.api });

    // A stand-in backend. A Lambda handler would read its caller with authorizerIdentity(event) from
    // `@api-token-service/cdk/identity` (accountId, userId, email, role, tokenId).
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
    const methodOptions = { ...this.tokens.methodOptions, methodResponses: [{ statusCode: '200' }] };
    const ordersResource = this.api.root.addResource('orders');
    ordersResource.addMethod('GET', orders, methodOptions);
    ordersResource.addResource('{id}').addMethod('GET', orders, methodOptions);
  }
}
