// "Protect another API": the example stack (TokenAuthorizer, as another team's app uses it) synthesizes, and
// its methods use a REQUEST authorizer backed by the service's authorizer function found through SSM, with
// the same gateway responses and an invoke permission that lives in that stack; TokenAuthorizer's props;
// and protect() for an API of the service's own app, in the same stack or another (no dependency cycle).
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { ApiTokenServiceStack } from '../../cdk/api-token-service-stack';
import { ProtectedApiStack } from '../../cdk/examples/protected-api-stack';
import { DEFAULT_AUTHORIZER_PARAMETER_NAME, TokenAuthorizer, type TokenAuthorizerProps } from '../../cdk/token-authorizer';
import { gatewayResponses } from '../../shared/http/gateway-responses';
import { newApp, resourcesOf } from './support';

/** The SSM parameters a template reads, other than CDK's bootstrap version. */
function authorizerParameters(template: Template): [string, { Type: string; Default?: string }][] {
  return Object.entries((template.toJSON().Parameters ?? {}) as Record<string, { Type: string; Default?: string }>).filter(
    ([id, parameter]) => id !== 'BootstrapVersion' && parameter.Type === 'AWS::SSM::Parameter::Value<String>',
  );
}

describe('the protected-API example: TokenAuthorizer in a stack of its own app', () => {
  const app = newApp({ bundle: false });
  const ordersStack = new ProtectedApiStack(app, 'Orders');
  app.synth();
  const orders = Template.fromStack(ordersStack);
  const parameters = authorizerParameters(orders);

  test('finds the service authorizer through the SSM parameter the service publishes', () => {
    expect(parameters.map(([, parameter]) => parameter.Default)).toEqual([DEFAULT_AUTHORIZER_PARAMETER_NAME]);
  });

  test('its methods use a REQUEST authorizer on its own API, backed by that function: no function, no table', () => {
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
    expect(JSON.stringify(authorizer.Properties!.AuthorizerUri)).toContain(`{"Ref":"${parameters[0]![0]}"}`);
    expect(resourcesOf(orders, 'AWS::Lambda::Function')).toEqual({});
    expect(resourcesOf(orders, 'AWS::DynamoDB::GlobalTable')).toEqual({});

    const methods = Object.values(resourcesOf(orders, 'AWS::ApiGateway::Method'));
    expect(methods).toHaveLength(2);
    for (const method of methods) {
      expect(method.Properties).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
    }
  });

  test('API Gateway may invoke the service authorizer for that API, with the permission in this stack', () => {
    orders.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { Ref: parameters[0]![0] },
      SourceArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('/authorizers/')])]) }),
    });
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

describe('TokenAuthorizer props', () => {
  /** A stack with one API whose one method uses a TokenAuthorizer with these props. */
  const protectedWith = (props: Omit<TokenAuthorizerProps, 'api'>) => {
    const stack = new Stack(newApp({ bundle: false }), 'Other');
    const api = new RestApi(stack, 'Api');
    const tokens = new TokenAuthorizer(stack, 'ApiTokens', { api, ...props });
    api.root.addMethod('GET', new MockIntegration(), tokens.methodOptions);
    return { tokens, template: Template.fromStack(stack) };
  };

  test("parameterName reads another service's parameter", () => {
    const { template } = protectedWith({ parameterName: '/tokens/staging/authorizer-function-arn' });
    expect(authorizerParameters(template).map(([, parameter]) => parameter.Default)).toEqual(['/tokens/staging/authorizer-function-arn']);
  });

  test('authorizerFunctionArn uses that ARN and no parameter; the cache TTL and the gateway responses are options', () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:tokens-authorizer';
    const { tokens, template } = protectedWith({ authorizerFunctionArn: arn, resultsCacheTtl: Duration.minutes(5), addGatewayResponses: false });
    expect(tokens.authorizerFunction.functionArn).toBe(arn);
    expect(authorizerParameters(template)).toEqual([]);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 300 });
    template.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: arn });
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 0);
  });

  test.each<[string, Omit<TokenAuthorizerProps, 'api'>, RegExp]>([
    ['a parameter and an ARN', { parameterName: '/a', authorizerFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:x' }, /give one of/],
    ['a cache TTL over an hour', { resultsCacheTtl: Duration.hours(2) }, /0 to 3600/],
    ['a parameter name without its leading slash', { parameterName: 'tokens/authorizer' }, /must start with \//],
  ])('refuses %s', (_, props, message) => {
    expect(() => protectedWith(props)).toThrow(message);
  });
});

describe('protect(), for an API in another stack of the same app', () => {
  const app = newApp({ bundle: false });
  const serviceStack = new ApiTokenServiceStack(app, 'TokenService');
  const neighbourStack = new Stack(app, 'Neighbour');
  const api = new RestApi(neighbourStack, 'NeighbourApi');
  api.root.addMethod('GET', new MockIntegration(), serviceStack.service.protect(api).methodOptions);
  app.synth();
  const neighbour = Template.fromStack(neighbourStack);
  const service = Template.fromStack(serviceStack);
  const authorizerFunctionId = serviceStack.getLogicalId(serviceStack.service.authorizerFunction.node.defaultChild as CfnFunction);

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
    walk(neighbour.toJSON().Resources, []);
    expect(enclosing.length).toBeGreaterThan(0);
    expect(enclosing.filter((functions) => functions.includes('Fn::Split'))).toEqual([]);
  });

  test('references the service function by ARN, with the invoke permission in the other stack and no cycle', () => {
    const [authorizer] = Object.values(resourcesOf(neighbour, 'AWS::ApiGateway::Authorizer'));
    expect(JSON.stringify(authorizer!.Properties!.AuthorizerUri)).toContain(authorizerFunctionId);
    const [permission] = Object.values(resourcesOf(neighbour, 'AWS::Lambda::Permission'));
    expect(JSON.stringify(permission!.Properties!.FunctionName)).toContain(authorizerFunctionId);
    expect(JSON.stringify(service.toJSON())).not.toContain('NeighbourApi');
    expect(serviceStack.dependencies).toEqual([]);
    expect(neighbourStack.dependencies).toContain(serviceStack);
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
