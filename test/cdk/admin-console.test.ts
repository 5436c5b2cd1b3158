// The admin console as the stack deploys it (cdk/admin-console.ts), from the app `cdk synth` builds (cdk-nag
// included; bundling skipped): a private bucket read by CloudFront through origin access control, the
// distribution's default behaviour for the console and its `/api/*` behaviour for the REST API, the
// response-headers policy sending exactly the local server's headers, the routing function answering every
// path as the local server does, the build's upload with its Cache-Control, the AdminConsoleUrl output, and
// nothing of it with `adminConsole: false`.
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import type { IConstruct } from 'constructs';
import {
  API_PATH_PATTERN,
  CONSOLE_DIRECTORY,
  CONSOLE_ROUTING_CODE,
  responseHeadersBehavior,
  UNCACHED_ERROR_STATUSES,
} from '../../cdk/admin-console';
import { ApiTokenService } from '../../cdk/api-token-service';
import { ApiTokenServiceStack } from '../../cdk/api-token-service-stack';
import { defineApp } from '../../cdk/service-app';
import { consoleSite } from '../../local/admin-console';
import { CONSOLE_BUILD_DIRECTORY } from '../../scripts/console-build';
import {
  CONSOLE_IMMUTABLE_CACHE_CONTROL,
  CONSOLE_IMMUTABLE_PREFIX,
  CONSOLE_PATH,
  CONSOLE_REVALIDATED_CACHE_CONTROL,
  CONSOLE_SECURITY_HEADERS,
} from '../../shared/http/console-headers';
import { newApp, referencedId, resourcesOf } from './support';

const app = newApp({ bundle: false });
const stack = defineApp(app);
// Synthesis runs cdk-nag: it throws on any finding the console does not acknowledge.
app.synth();
const template = Template.fromStack(stack);
const adminConsole = stack.service.adminConsole!;
const logicalIdOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

type Behaviour = {
  PathPattern?: string;
  TargetOriginId: string;
  AllowedMethods: string[];
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId?: unknown;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
  ViewerProtocolPolicy: string;
};
type Origin = { Id: string; DomainName: unknown; OriginPath?: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: unknown; CustomOriginConfig?: unknown };
type DistributionConfig = {
  DefaultCacheBehavior: Behaviour;
  CacheBehaviors: Behaviour[];
  Origins: Origin[];
  CustomErrorResponses: Record<string, unknown>[];
  DefaultRootObject?: string;
  WebACLId?: string;
};
const distributionConfig = () => template.toJSON().Resources[logicalIdOf(adminConsole.distribution)].Properties.DistributionConfig as DistributionConfig;
const originOf = (behaviour: Behaviour) => distributionConfig().Origins.find((origin) => origin.Id === behaviour.TargetOriginId)!;

test("the build is looked for beside the Lambda bundles, where the console's build script writes it", () => {
  expect(CONSOLE_DIRECTORY).toBe(CONSOLE_BUILD_DIRECTORY);
});

describe('bucket', () => {
  test('private: every public access blocked, no ACLs, no website, encrypted, kept when it leaves the stack', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        WebsiteConfiguration: Match.absent(),
      }),
    });
  });

  test('its policy refuses requests without TLS 1.2, and allows only this distribution, to read and list', () => {
    const [policy, ...others] = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy'));
    expect(others).toEqual([]);
    const statements = (policy!.Properties as { PolicyDocument: { Statement: Record<string, unknown>[] } }).PolicyDocument.Statement;
    expect(statements.filter((statement) => statement.Effect === 'Deny').map((statement) => statement.Condition)).toEqual([
      { Bool: { 'aws:SecureTransport': 'false' } },
      { NumericLessThan: { 's3:TlsVersion': 1.2 } },
    ]);
    const allowed = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allowed).toHaveLength(1);
    expect(allowed[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: ['s3:GetObject', 's3:ListBucket'] });
    expect(JSON.stringify(allowed[0]!.Condition)).toContain(`":distribution/",{"Ref":"${logicalIdOf(adminConsole.distribution)}"}`);
  });

  test('CloudFront reads it through an origin access control that signs every request', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }),
    });
    const [oacId] = Object.keys(resourcesOf(template, 'AWS::CloudFront::OriginAccessControl'));
    const origin = originOf(distributionConfig().DefaultCacheBehavior);
    expect(origin).toMatchObject({ S3OriginConfig: { OriginAccessIdentity: '' }, DomainName: { 'Fn::GetAtt': [logicalIdOf(adminConsole.bucket), 'RegionalDomainName'] } });
    expect(referencedId(origin.OriginAccessControlId)).toBe(oacId);
  });
});

describe('distribution', () => {
  test('the default behaviour is the console: HTTPS, GET and HEAD, cached by URL, its headers and its routes', () => {
    const behaviour = distributionConfig().DefaultCacheBehavior;
    expect(behaviour).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId,
      ResponseHeadersPolicyId: { Ref: logicalIdOf(adminConsole.responseHeadersPolicy) },
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [logicalIdOf(adminConsole.routingFunction), 'FunctionARN'] } }],
    });
    // The routing function answers `/` itself; a default root object would serve the console at `/` instead.
    expect(distributionConfig().DefaultRootObject).toBeUndefined();
  });

  test('/api/* is the REST API: uncached, every method, every viewer header but Host, and its answers untouched', () => {
    const behaviours = distributionConfig().CacheBehaviors;
    expect(behaviours.map((behaviour) => behaviour.PathPattern)).toEqual([API_PATH_PATTERN]);
    const [api] = behaviours;
    expect(api).toEqual({
      PathPattern: '/api/*',
      TargetOriginId: expect.any(String) as unknown,
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      // With caching disabled, the all-viewer policies forward Authorization too (no cache key to keep it in).
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      Compress: true,
    });
    expect(CachePolicy.CACHING_DISABLED.cachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');

    // The origin is the stage's host, over TLS 1.2, with the stage as its path.
    const origin = originOf(api!);
    expect(origin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(JSON.stringify(origin.DomainName)).toContain(`{"Ref":"${logicalIdOf(stack.service.api)}"}`);
    expect(JSON.stringify(origin.OriginPath)).toContain(`{"Ref":"${logicalIdOf(stack.service.api.deploymentStage)}"}`);
  });

  test('error responses only stop CloudFront caching errors: no page and no status of their own', () => {
    const responses = distributionConfig().CustomErrorResponses;
    expect(responses).toEqual(UNCACHED_ERROR_STATUSES.map((status) => ({ ErrorCode: status, ErrorCachingMinTTL: 0 })));
    // So the API's 403s and 503s (with Retry-After) reach the console as API Gateway answered them.
    expect(UNCACHED_ERROR_STATUSES).toEqual(expect.arrayContaining([403, 404, 503]));
  });

  test('without adminConsoleWebAclArn there is no web ACL on the distribution', () => {
    expect(distributionConfig().WebACLId).toBeUndefined();
  });
});

describe('response headers', () => {
  const policyConfig = () =>
    (Object.values(resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy'))[0]!.Properties as { ResponseHeadersPolicyConfig: Record<string, unknown> })
      .ResponseHeadersPolicyConfig;

  /** The headers a response-headers policy makes CloudFront send, as CloudFront writes each setting. */
  function sentHeaders(config: ReturnType<typeof policyConfig>): Record<string, string> {
    const security = config.SecurityHeadersConfig as Record<string, Record<string, string | number | boolean>>;
    const custom = (config.CustomHeadersConfig as { Items: { Header: string; Value: string }[] } | undefined)?.Items ?? [];
    expect(security.XSSProtection).toBeUndefined();
    const hsts = security.StrictTransportSecurity!;
    return {
      'Content-Security-Policy': String(security.ContentSecurityPolicy!.ContentSecurityPolicy),
      'Strict-Transport-Security': `max-age=${hsts.AccessControlMaxAgeSec}${hsts.IncludeSubdomains ? '; includeSubDomains' : ''}${hsts.Preload ? '; preload' : ''}`,
      ...(security.ContentTypeOptions ? { 'X-Content-Type-Options': 'nosniff' } : {}),
      'X-Frame-Options': String(security.FrameOptions!.FrameOption),
      'Referrer-Policy': String(security.ReferrerPolicy!.ReferrerPolicy),
      ...Object.fromEntries(custom.map((item) => [item.Header, item.Value])),
    };
  }

  test('CloudFront sends exactly the headers the local server sends (shared/http/console-headers.ts)', () => {
    template.resourceCountIs('AWS::CloudFront::ResponseHeadersPolicy', 1);
    expect(sentHeaders(policyConfig())).toEqual(CONSOLE_SECURITY_HEADERS);
  });

  test('a strict CSP that forbids framing, HSTS for two years, no sniffing; each overrides what S3 sends', () => {
    const headers = sentHeaders(policyConfig());
    expect(headers['Content-Security-Policy']).toMatch(/^default-src 'none'; /);
    expect(headers['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(headers['Content-Security-Policy']).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(headers['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    const config = policyConfig();
    const overrides = [
      ...Object.values(config.SecurityHeadersConfig as Record<string, { Override: boolean }>).map((setting) => setting.Override),
      ...(config.CustomHeadersConfig as { Items: { Override: boolean }[] }).Items.map((item) => item.Override),
    ];
    expect(overrides.length).toBe(Object.keys(CONSOLE_SECURITY_HEADERS).length);
    expect(overrides.every((override) => override)).toBe(true);
  });

  test('a header CloudFront cannot send as written is refused at synthesis', () => {
    expect(() => responseHeadersBehavior({ 'X-Content-Type-Options': 'sniff' })).toThrow(/CloudFront cannot send X-Content-Type-Options/);
    expect(() => responseHeadersBehavior({ 'Strict-Transport-Security': 'max-age=60; preload; includeSubDomains' })).toThrow(/Strict-Transport-Security/);
    expect(() => responseHeadersBehavior({ 'X-Frame-Options': 'ALLOW-FROM https://example.com' })).toThrow(/X-Frame-Options/);
    expect(() => responseHeadersBehavior({ 'X-XSS-Protection': '1; mode=block' })).toThrow(/X-XSS-Protection/);
    expect(responseHeadersBehavior({ 'X-Robots-Tag': 'noindex' }).customHeaders).toEqual([{ header: 'X-Robots-Tag', value: 'noindex', override: true }]);
  });
});

describe('routes: the CloudFront Function answers each path as the local server does', () => {
  type Answer = { redirect: string } | { file: string } | 'missing';
  const FILES: Record<string, string> = { 'index.html': '<!doctype html><title>console</title>', 'assets/index-Ab12.js': 'console.log(1)', 'robots.txt': 'User-agent: *' };
  const build = fs.mkdtempSync(join(tmpdir(), 'console-build-'));
  for (const [name, body] of Object.entries(FILES)) {
    fs.mkdirSync(join(build, name, '..'), { recursive: true });
    fs.writeFileSync(join(build, name), body);
  }
  /** The bucket as the deployment fills it: the build's files under the console's path. */
  const bucketKeys = Object.keys(FILES).map((name) => `${CONSOLE_PATH.slice(1)}${name}`);

  const handler = runInNewContext(`${CONSOLE_ROUTING_CODE}\nhandler;`, {}) as (event: unknown) => {
    uri?: string;
    statusCode?: number;
    headers?: Record<string, { value: string }>;
  };

  function cloudFront(path: string): Answer {
    const result = handler({ version: '1.0', request: { method: 'GET', uri: path, querystring: {}, headers: {}, cookies: {} } });
    if (result.statusCode !== undefined) {
      expect(result.statusCode).toBe(302);
      expect(result.headers!['cache-control']).toEqual({ value: 'no-store' });
      return { redirect: result.headers!.location!.value };
    }
    const key = result.uri!.slice(1);
    return bucketKeys.includes(key) ? { file: key.slice(CONSOLE_PATH.length - 1) } : 'missing';
  }

  async function local(path: string): Promise<{ answer: Answer; cacheControl?: string }> {
    const site = consoleSite(build);
    let status = 0;
    let headers: Record<string, string> = {};
    let body = '';
    const response = {
      writeHead(code: number, sent: Record<string, string>) {
        status = code;
        headers = sent;
      },
      end(chunk?: Buffer | string) {
        body = chunk === undefined ? '' : chunk.toString();
      },
    };
    const handled = await site({ url: path, method: 'GET' } as IncomingMessage, response as unknown as ServerResponse);
    expect(handled).toBe(true);
    if (status === 302) return { answer: { redirect: headers.Location! } };
    if (status === 404) return { answer: 'missing' };
    expect(status).toBe(200);
    const file = Object.keys(FILES).find((name) => FILES[name] === body)!;
    return { answer: { file }, cacheControl: headers['Cache-Control'] };
  }

  const PATHS = [
    '/',
    '/admin',
    '/admin/',
    '/admin/index.html',
    '/admin/api-tokens',
    '/admin/api-tokens/7',
    '/admin/audit-log/',
    '/admin/settings',
    '/admin/.well-known',
    '/admin/assets/index-Ab12.js',
    '/admin/assets/index-0ld.js',
    '/admin/robots.txt',
    '/admin/favicon.ico',
    '/admin/tokens.v2',
  ];

  test.each(PATHS)('%s', async (path) => {
    expect(cloudFront(path)).toEqual((await local(path)).answer);
  });

  test('the answers cover each kind: redirect, index.html for a route, a file, a missing file', async () => {
    const answers = await Promise.all(PATHS.map(async (path) => JSON.stringify((await local(path)).answer)));
    expect(new Set(answers)).toEqual(
      new Set(['{"redirect":"/admin/"}', '{"file":"index.html"}', '{"file":"assets/index-Ab12.js"}', '{"file":"robots.txt"}', '"missing"']),
    );
  });

  test('the local server sends the Cache-Control the deployment gives the files: hashed ones immutable, the rest revalidated', async () => {
    expect(await local('/admin/api-tokens')).toEqual({ answer: { file: 'index.html' }, cacheControl: CONSOLE_REVALIDATED_CACHE_CONTROL });
    expect(await local('/admin/assets/index-Ab12.js')).toEqual({ answer: { file: 'assets/index-Ab12.js' }, cacheControl: CONSOLE_IMMUTABLE_CACHE_CONTROL });
  });

  test('the function is the template’s, on the JavaScript 2.0 runtime', () => {
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: CONSOLE_ROUTING_CODE,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      AutoPublish: true,
    });
  });
});

describe('the build in the bucket', () => {
  const deployments = () =>
    Object.entries(resourcesOf(template, 'Custom::CDKBucketDeployment')).map(([id, resource]) => ({
      id,
      dependsOn: [resource.DependsOn ?? []].flat() as string[],
      ...(resource.Properties as { DestinationBucketKeyPrefix: string; Prune: boolean; Exclude?: string[]; SystemMetadata: Record<string, string>; DestinationBucketName: unknown }),
    }));

  test('hashed files immutable and kept from earlier builds; the rest revalidated, pruned, and copied after them', () => {
    const [hashed, pages, ...others] = deployments().sort((a, b) => b.DestinationBucketKeyPrefix.length - a.DestinationBucketKeyPrefix.length);
    expect(others).toEqual([]);
    expect(hashed).toMatchObject({
      DestinationBucketKeyPrefix: CONSOLE_IMMUTABLE_PREFIX.slice(1),
      SystemMetadata: { 'cache-control': CONSOLE_IMMUTABLE_CACHE_CONTROL },
      Prune: false,
      DestinationBucketName: { Ref: logicalIdOf(adminConsole.bucket) },
    });
    expect(pages).toMatchObject({
      DestinationBucketKeyPrefix: CONSOLE_PATH.slice(1),
      SystemMetadata: { 'cache-control': CONSOLE_REVALIDATED_CACHE_CONTROL },
      Prune: true,
      Exclude: [`${CONSOLE_IMMUTABLE_PREFIX.slice(CONSOLE_PATH.length)}*`],
    });
    expect(pages!.dependsOn).toContain(hashed!.id);
  });

  test('one function copies both, with one AWS CLI layer, writing only to its own log group', () => {
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    const serviceTokens = new Set(Object.values(resourcesOf(template, 'Custom::CDKBucketDeployment')).map((resource) => referencedId(resource.Properties!.ServiceToken)));
    expect(serviceTokens.size).toBe(1);
    const [functionId] = [...serviceTokens];
    const fn = template.toJSON().Resources[functionId!] as { Properties: { Role: unknown; LoggingConfig: { LogGroup: unknown } }; DependsOn: string[] };
    const role = template.toJSON().Resources[referencedId(fn.Properties.Role)!] as { Properties: { ManagedPolicyArns?: unknown } };
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const logGroup = template.toJSON().Resources[referencedId(fn.Properties.LoggingConfig.LogGroup)!] as { Properties: { RetentionInDays: number } };
    expect(logGroup.Properties.RetentionInDays).toBe(90);
    const logStatements = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify((policy.Properties as { Roles: unknown }).Roles).includes(`"${referencedId(fn.Properties.Role)}"`))
      .flatMap((policy) => (policy.Properties as { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } }).PolicyDocument.Statement)
      .filter((statement) => JSON.stringify(statement.Action).includes('logs:'));
    expect(logStatements).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [referencedId(fn.Properties.LoggingConfig.LogGroup), 'Arn'] } },
    ]);
  });
});

test('the AdminConsoleUrl output is the console under the distribution’s domain', () => {
  template.hasOutput('AdminConsoleUrl', {
    Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(adminConsole.distribution), 'DomainName'] }, CONSOLE_PATH]] },
  });
});

describe('construct props', () => {
  const synthesize = (props: ConstructorParameters<typeof ApiTokenServiceStack>[2]) => {
    const serviceStack = new ApiTokenServiceStack(newApp({ bundle: false }), 'Tokens', props);
    return { serviceStack, template: Template.fromStack(serviceStack) };
  };

  test('adminConsole: false deploys none of it: no bucket, distribution, policy, function, upload or output', () => {
    const { serviceStack, template: withoutConsole } = synthesize({ service: { adminConsole: false } });
    expect(serviceStack.service.adminConsole).toBeUndefined();
    const types = new Set(Object.values(withoutConsole.toJSON().Resources as Record<string, { Type: string }>).map((resource) => resource.Type));
    expect([...types].filter((type) => /^AWS::(S3|CloudFront)::|^Custom::CDKBucketDeployment$|^AWS::Lambda::LayerVersion$/.test(type))).toEqual([]);
    expect(Object.keys(withoutConsole.toJSON().Outputs as object)).not.toContain('AdminConsoleUrl');
  });

  test('adminConsoleWebAclArn is the distribution’s web ACL', () => {
    const webAclArn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/console/4a5b6c7d';
    const { template: withAcl } = synthesize({ service: { adminConsoleWebAclArn: webAclArn } });
    withAcl.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ WebACLId: webAclArn }) });
  });

  test('a missing build fails synthesis, naming the file, unless the console is off', () => {
    const missing = join(CONSOLE_DIRECTORY, 'index.html');
    // The module object itself (an `import * as` namespace is a copy the construct does not read).
    const nodeFs = jest.requireActual<typeof fs>('node:fs');
    const existsSync = nodeFs.existsSync;
    const spy = jest.spyOn(nodeFs, 'existsSync').mockImplementation((path) => path !== missing && existsSync(path));
    try {
      expect(() => new ApiTokenService(new Stack(newApp({ bundle: false }), 'Tokens'), 'Service')).toThrow(
        `The admin console build is missing (${missing}): run npm run build first, or set adminConsole: false`,
      );
      expect(() => new ApiTokenService(new Stack(newApp({ bundle: false }), 'Tokens'), 'Service', { adminConsole: false })).not.toThrow();
    } finally {
      spy.mockRestore();
    }
  });
});
