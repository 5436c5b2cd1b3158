// The ApiTokenService props: validated in the constructor with a message naming the prop, and applied
// where they belong; plus the small translations the construct relies on (gateway response quoting,
// table actions per method, the functions' environment as shared/platform/config.ts reads it). No bundling here.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { ApiTokenService, type ApiTokenServiceProps } from '../../cdk/api-token-service';
import { functionEnvironment } from '../../cdk/function-environment';
import { literalTemplate, staticHeaderValue } from '../../cdk/gateway-responses';
import { AUDIT_INDEX_NAMES } from '../../shared/store/table';
import { grantRouteAccess, routeTableActions } from '../../cdk/table-access';
import { routes } from '../../shared/http/routes';
import { loadConfig } from '../../shared/platform/config';
import { newApp, resourcesOf, serviceFunctionsOf } from './support';

function synthesize(props: ApiTokenServiceProps): { template: Template; service: ApiTokenService } {
  const stack = new Stack(newApp({ bundle: false }), 'Service');
  const service = new ApiTokenService(stack, 'Tokens', props);
  return { template: Template.fromStack(stack), service };
}

const construct = (props: ApiTokenServiceProps) => () => new ApiTokenService(new Stack(), 'Tokens', props);

describe('validation', () => {
  test.each<[string, ApiTokenServiceProps, RegExp]>([
    ['cache TTL over an hour', { authorizerResultsCacheTtl: Duration.seconds(3601) }, /cache TTL must be whole seconds from 0 to 3600/],
    ['cache TTL in fractions of a second', { authorizerResultsCacheTtl: Duration.millis(1500) }, /cache TTL must be whole seconds/],
    ['a zero rate', { throttlingRateLimit: 0 }, /throttlingRateLimit must be a positive number/],
    ['a fractional burst', { throttlingBurstLimit: 1.5 }, /throttlingBurstLimit must be a positive whole number/],
    ['zero retention days', { auditRetentionDays: 0 }, /auditRetentionDays must be a positive whole number/],
    ['a short table name', { tableName: 'ab' }, /tableName must be 3-255 characters/],
    ['a stage name with a space', { stageName: 'pro d' }, /stageName must be/],
    ['DESTROY with deletion protection', { removalPolicy: RemovalPolicy.DESTROY }, /needs deletionProtection: false/],
    ['a web ACL ARN of another service', { webAclArn: 'arn:aws:s3:::bucket' }, /webAclArn must be the ARN of a regional WAFv2 web ACL/],
    [
      'a regional web ACL for the console',
      { adminConsoleWebAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/0c1d2e3f' },
      /adminConsoleWebAclArn must be the ARN of a WAFv2 web ACL of scope CLOUDFRONT/,
    ],
    [
      'a console web ACL without the console',
      { adminConsole: false, adminConsoleWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/console/4a5b6c7d' },
      /adminConsoleWebAclArn needs the admin console/,
    ],
  ])('rejects %s', (_, props, message) => {
    expect(construct(props)).toThrow(message);
  });
});

describe('props applied', () => {
  const topic = (stack: Stack) => new Topic(stack, 'Alarms');

  test('defaults: TTL 0, rate 100 / burst 200, 90-day logs, RETAIN with deletion protection, stage prod, CloudWatch role', () => {
    const { template } = synthesize({});
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 0 });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 })]),
    });
    for (const logGroup of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'))) {
      expect(logGroup).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 90 } });
    }
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  test('every prop reaches its resource', () => {
    const stack = new Stack(newApp({ bundle: false }), 'Service');
    const service = new ApiTokenService(stack, 'Tokens', {
      authorizerResultsCacheTtl: Duration.minutes(5),
      throttlingRateLimit: 25,
      throttlingBurstLimit: 50,
      logRetention: RetentionDays.ONE_WEEK,
      auditRetentionDays: 30,
      tableName: 'api-tokens-staging',
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
      stageName: 'staging',
      cloudWatchRole: false,
      webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/0c5b3a5e-1111-2222-3333-444455556666',
      alarmTopic: topic(stack),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 300 });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'staging',
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 })]),
    });
    for (const logGroup of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'))) {
      expect(logGroup).toMatchObject({ DeletionPolicy: 'Delete', Properties: { RetentionInDays: 7 } });
    }
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ TableName: 'api-tokens-staging', Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] }),
    });
    for (const fn of Object.values(serviceFunctionsOf(template))) {
      expect(fn.Properties).toMatchObject({ Environment: { Variables: { AUDIT_RETENTION_DAYS: '30' } } });
    }
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBe(service.monitoring.alarms.length);
    for (const alarm of alarms) expect(alarm.Properties).toMatchObject({ AlarmActions: [{ Ref: expect.stringMatching(/^Alarms/) as unknown }] });
  });
});

describe('building blocks', () => {
  test('gateway response headers become quoted static values; bodies must not be read as Velocity', () => {
    expect(staticHeaderValue('Basic realm="Web Password"')).toBe('\'Basic realm="Web Password"\'');
    expect(() => staticHeaderValue("it's")).toThrow(/single quote/);
    expect(literalTemplate('{"error":"Couldn\'t authenticate you"}')).toBe('{"error":"Couldn\'t authenticate you"}');
    expect(() => literalTemplate('{"error":"$context.error"}')).toThrow(/Velocity/);
    expect(() => literalTemplate('#set($x = 1)')).toThrow(/Velocity/);
  });

  test('table actions follow the method: GET reads, writes add transaction items, only DELETE routes and the rotation delete; Query only where declared', () => {
    expect(routeTableActions(routes.showApiToken)).toEqual(['dynamodb:GetItem']);
    expect(routeTableActions(routes.listApiTokens)).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(routeTableActions(routes.createApiToken)).toEqual(['dynamodb:GetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(routeTableActions(routes.updateApiToken)).not.toContain('dynamodb:DeleteItem');
    expect(routeTableActions(routes.deleteApiToken)).toContain('dynamodb:DeleteItem');
    // A rotation without a grace deletes the old token in its own transaction.
    expect(routeTableActions(routes.rotateApiToken)).toContain('dynamodb:DeleteItem');
  });

  test('a route that queries the audit indexes may Query each of them, by its exact ARN', () => {
    const stack = new Stack();
    const table = new TableV2(stack, 'Table', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    grantRouteAccess(table, routes.listAuditLogs, role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 'dynamodb:Query',
            Resource: AUDIT_INDEX_NAMES.map((name) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'Arn'] }, `/index/${name}`]] })),
          },
        ]),
      },
    });
  });

  test('the functions environment is read back by shared/platform/config.ts as set', () => {
    expect(loadConfig(functionEnvironment({ tableName: 'api-tokens-prod', auditRetentionDays: 400 }))).toMatchObject({
      tableName: 'api-tokens-prod',
      auditRetentionDays: 400,
    });
    expect(loadConfig(functionEnvironment({ tableName: 'api-tokens-prod' })).auditRetentionDays).toBeUndefined();
    expect(Object.keys(functionEnvironment({ tableName: 'x-y-z' }))).not.toContain('AWS_REGION');
  });
});
