// "Protect another API": the example stack synthesizes, and the other team's methods use a REQUEST
// authorizer backed by the service's own authorizer function, with the same gateway responses and an
// invoke permission that lives in the other stack (no dependency cycle). Bundling is skipped here
// (CDK's bundling-stacks switch): service-stack.test.ts and synth-cli.test.ts bundle for real.
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { ApiTokenServiceStack } from '../../cdk/api-token-service-stack';
import { ProtectedApiStack } from '../../cdk/examples/protected-api-stack';
import { gatewayResponses } from '../../shared/http/gateway-responses';
import { newApp, resourcesOf } from './support';

describe('the protected-API example, in its own stack', () => {
  const app = newApp({ bundle: false });
  const serviceStack = new ApiTokenServiceStack(app, 'TokenService');
  const ordersStack = new ProtectedApiStack(app, 'Orders', { tokenService: serviceStack.service });
  app.synth();
  const orders = Template.fromStack(ordersStack);
  const service = Template.fromStack(serviceStack);
  const authorizerFunctionId = serviceStack.getLogicalId(serviceStack.service.authorizerFunction.node.defaultChild as CfnFunction);

  test('its methods use a REQUEST authorizer on its own API, backed by the service authorizer function', () => {
    const authorizers = resourcesOf(orders, 'AWS::ApiGateway::Authorizer');
    expect(Object.keys(authorizers)).toHaveLength(1);
    const [authorizerId, authorizer] = Object.entries(authorizers)[0]!;
    const [apiId] = Object.keys(resourcesOf(orders, 'AWS::ApiGateway::RestApi'));
    expect(authorizer.Properties).toMatchObject({
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 0,
      RestApiId: { Ref: apiId },
    });
    // The function is the service's: referenced from the service stack, not a copy.
    expect(JSON.stringify(authorizer.Properties!.AuthorizerUri)).toContain(authorizerFunctionId);
    expect(resourcesOf(orders, 'AWS::Lambda::Function')).toEqual({});

    const methods = Object.values(resourcesOf(orders, 'AWS::ApiGateway::Method'));
    expect(methods).toHaveLength(2);
    for (const method of methods) {
      expect(method.Properties).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
    }
  });

  test('API Gateway may invoke the service authorizer for that API, and the permission lives in the other stack', () => {
    orders.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('/authorizers/')])]) }),
    });
    const [permission] = Object.values(resourcesOf(orders, 'AWS::Lambda::Permission'));
    expect(JSON.stringify(permission!.Properties!.FunctionName)).toContain(authorizerFunctionId);
    // The service stack knows nothing of the orders API: it does not depend on it.
    expect(JSON.stringify(service.toJSON())).not.toContain('OrdersApi');
    expect(serviceStack.dependencies).toEqual([]);
    expect(ordersStack.dependencies).toContain(serviceStack);
  });

  test('the other stack reads the service only as a value of its own, never taken apart by Fn::Split', () => {
    // CloudFormation does not take Fn::GetStackOutput inside Fn::Split in every region (cfn-lint E1022).
    const enclosing: string[][] = [];
    const walk = (value: unknown, functions: string[]): void => {
      if (Array.isArray(value)) for (const item of value) walk(item, functions);
      else if (typeof value === 'object' && value !== null) {
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'Fn::GetStackOutput') enclosing.push(functions);
          walk(inner, key.startsWith('Fn::') ? [...functions, key] : functions);
        }
      }
    };
    walk(orders.toJSON().Resources, []);
    expect(enclosing.length).toBeGreaterThan(0);
    expect(enclosing.filter((functions) => functions.includes('Fn::Split'))).toEqual([]);
  });

  test('the other API gets the same gateway responses', () => {
    const types = Object.values(resourcesOf(orders, 'AWS::ApiGateway::GatewayResponse')).map((response) => response.Properties!.ResponseType);
    expect(types.sort()).toEqual(Object.keys(gatewayResponses).sort());
    orders.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseTemplates: { 'application/json': '{"error":"Couldn\'t authenticate you"}' },
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.WWW-Authenticate': '\'Basic realm="Web Password"\'' }),
    });
  });
});

describe('protect()', () => {
  test('on an API in the same stack, uses the function itself; options set the cache TTL and skip gateway responses', () => {
    const app = newApp({ bundle: false });
    const stack = new ApiTokenServiceStack(app, 'TokenService');
    const api = new RestApi(stack, 'Neighbour');
    const { methodOptions } = stack.service.protect(api, { addGatewayResponses: false, resultsCacheTtl: Duration.minutes(5) });
    api.root.addMethod('GET', new MockIntegration(), methodOptions);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Authorizer', 2);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 300 });
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', Object.keys(gatewayResponses).length);
    const functionId = stack.getLogicalId(stack.service.authorizerFunction.node.defaultChild as CfnFunction);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
      SourceArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('/authorizers/')])]) }),
    });
  });

  test('refuses the service API itself, an API protected twice, and an out-of-range cache TTL', () => {
    const app = newApp({ bundle: false });
    const stack = new ApiTokenServiceStack(app, 'TokenService');
    expect(() => stack.service.protect(stack.service.api)).toThrow(/already protected/);
    const api = new RestApi(new Stack(app, 'Other'), 'Api');
    expect(() => stack.service.protect(api, { resultsCacheTtl: Duration.hours(2) })).toThrow(/0 to 3600/);
    stack.service.protect(api);
    expect(() => stack.service.protect(api)).toThrow(/already protected/);
  });
});
