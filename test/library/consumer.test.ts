// The construct library as another team gets it: `npm run package` packs it, the tarball is installed into a
// fresh CDK app in a temporary directory outside the repository (aws-cdk-lib and constructs from the
// registry, nothing resolved from this repository), the app is type-checked against the package's
// declarations with the `cdk init` compiler settings, and synthesized offline with plain `node`:
// one stack protects a RestApi with TokenAuthorizer, another deploys the whole ApiTokenService (with the admin
// console the package ships built), and a handler reads its caller with the identity helper. The package lists
// only what a consumer needs.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { lambdaEntries } from '../../scripts/lambda-bundles';
import { bundleName } from '../../cdk/lambda-code';
import { packageLibrary } from '../../scripts/package-library';
import { gatewayResponses } from '../../shared/http/gateway-responses';
import { DEFAULT_AUTHORIZER_PARAMETER_NAME } from '../../cdk/token-authorizer';
import { REPOSITORY_ROOT } from '../cdk/support';

const run = promisify(execFile);
const PACKAGE_NAME = '@api-token-service/cdk';

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>; Parameters?: Record<string, { Type: string; Default?: string }>; Outputs?: Record<string, unknown> };

/** Without npm's own variables: an `npm test` run passes its prefix and config down, which would install into this repository. */
function consumerEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

const installedVersion = (name: string) =>
  (JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

const CONSUMER_APP = `
import { App, Duration, Stack } from 'aws-cdk-lib';
import { MockIntegration, PassthroughBehavior, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { ApiTokenService, TokenAuthorizer } from '${PACKAGE_NAME}';

const app = new App({ outdir: 'cdk.out' });

// Another team's API: one method behind the deployed service's authorizer, found through SSM.
const orders = new Stack(app, 'Orders');
const api = new RestApi(orders, 'OrdersApi');
const tokens = new TokenAuthorizer(orders, 'ApiTokens', { api });
api.root.addResource('orders').addMethod(
  'GET',
  new MockIntegration({
    passthroughBehavior: PassthroughBehavior.NEVER,
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [{ statusCode: '200' }],
  }),
  { ...tokens.methodOptions, methodResponses: [{ statusCode: '200' }] },
);

// A team that runs the whole service from the package.
const service = new Stack(app, 'Tokens');
new ApiTokenService(service, 'Service', { alarmEmail: 'on-call@example.com', auditRetentionDays: 365 });

app.synth();

/** Never called: the compiler must reject these, which it does only if the package's types are in force. */
export function typesAreChecked(): void {
  // @ts-expect-error resultsCacheTtl is a Duration, not a number of seconds
  new TokenAuthorizer(orders, 'Wrong', { api, resultsCacheTtl: 300 });
  // @ts-expect-error there is no such prop
  new ApiTokenService(service, 'Wrong', { alarmEmails: ['a@example.com'] });
  new TokenAuthorizer(orders, 'Right', { api, resultsCacheTtl: Duration.seconds(30) });
}
`;

const CONSUMER_HANDLER = `
import { authorizerIdentity, MissingIdentityError, type AuthorizerIdentity } from '${PACKAGE_NAME}/identity';

export function handler(event: { requestContext?: { authorizer?: unknown } }): { statusCode: number; body: string } {
  try {
    const caller: AuthorizerIdentity = authorizerIdentity(event);
    return { statusCode: 200, body: JSON.stringify(caller) };
  } catch (error) {
    if (error instanceof MissingIdentityError) return { statusCode: 401, body: error.message };
    throw error;
  }
}
`;

/** The compiler settings `cdk init app --language typescript` writes, emitting CommonJS next to the sources. */
const CDK_INIT_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['es2022'], strict: true,
    noImplicitReturns: true, skipLibCheck: true, isolatedModules: true, types: [],
  },
  include: ['*.ts'],
};

let consumer: string;
let tarball: string;

beforeAll(async () => {
  tarball = await packageLibrary();
  consumer = mkdtempSync(join(tmpdir(), 'token-service-consumer-'));
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({
      name: 'orders-infrastructure',
      private: true,
      dependencies: {
        [PACKAGE_NAME]: `file:${tarball}`,
        'aws-cdk-lib': installedVersion('aws-cdk-lib'),
        constructs: installedVersion('constructs'),
      },
    }),
  );
  writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(CDK_INIT_TSCONFIG));
  writeFileSync(join(consumer, 'app.ts'), CONSUMER_APP);
  writeFileSync(join(consumer, 'handler.ts'), CONSUMER_HANDLER);
  const options = { cwd: consumer, env: consumerEnvironment(), maxBuffer: 16 * 1024 * 1024 };
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], options);
  // The repository's compiler, run on the consumer's project: it resolves every import from the consumer's node_modules.
  await run(process.execPath, [join(REPOSITORY_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], options);
  await run(process.execPath, ['app.js'], options);
}, 600_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

const template = (stack: string): Template => JSON.parse(readFileSync(join(consumer, 'cdk.out', `${stack}.template.json`), 'utf8')) as Template;
const resourcesOf = (t: Template, type: string) => Object.entries(t.Resources).filter(([, resource]) => resource.Type === type);

/** The one SSM parameter the template reads besides CDK's bootstrap version. */
function authorizerParameter(t: Template): [string, { Type: string; Default?: string }] {
  const parameters = Object.entries(t.Parameters ?? {}).filter(([id, p]) => id !== 'BootstrapVersion' && p.Type === 'AWS::SSM::Parameter::Value<String>');
  expect(parameters).toHaveLength(1);
  return parameters[0]!;
}

test('the installed package resolves from the consumer, not from this repository', () => {
  const resolved = require.resolve(PACKAGE_NAME, { paths: [consumer] });
  expect(resolved.startsWith(join(consumer, 'node_modules'))).toBe(true);
  expect(existsSync(join(consumer, 'node_modules', 'aws-cdk-lib', 'package.json'))).toBe(true);
  expect(existsSync(join(consumer, 'node_modules', 'esbuild'))).toBe(false);
});

describe('a RestApi protected by TokenAuthorizer', () => {
  test('a REQUEST authorizer on the Authorization header, TTL 0, backed by the function the SSM parameter names', () => {
    const orders = template('Orders');
    const [parameterId, parameter] = authorizerParameter(orders);
    expect(parameter.Default).toBe(DEFAULT_AUTHORIZER_PARAMETER_NAME);

    const authorizers = resourcesOf(orders, 'AWS::ApiGateway::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(authorizer.Properties).toMatchObject({ Type: 'REQUEST', IdentitySource: 'method.request.header.Authorization', AuthorizerResultTtlInSeconds: 0 });
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toContain(`{"Ref":"${parameterId}"}`);

    const methods = resourcesOf(orders, 'AWS::ApiGateway::Method');
    expect(methods).toHaveLength(1);
    expect(methods[0]![1].Properties).toMatchObject({ HttpMethod: 'GET', AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
    // No function, no table of its own: the authorizer stays the service's.
    expect(resourcesOf(orders, 'AWS::Lambda::Function')).toEqual([]);
    expect(resourcesOf(orders, 'AWS::DynamoDB::GlobalTable')).toEqual([]);
  });

  test('API Gateway may invoke that function for this API only', () => {
    const orders = template('Orders');
    const permissions = resourcesOf(orders, 'AWS::Lambda::Permission');
    expect(permissions).toHaveLength(1);
    const [, permission] = permissions[0]!;
    const [parameterId] = authorizerParameter(orders);
    expect(permission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', FunctionName: { Ref: parameterId } });
    expect(JSON.stringify(permission.Properties.SourceArn)).toContain('/authorizers/');
  });

  test("the service's gateway responses: every denial a 401 with WWW-Authenticate", () => {
    const responses = resourcesOf(template('Orders'), 'AWS::ApiGateway::GatewayResponse').map(([, response]) => response.Properties);
    expect(responses.map((response) => response.ResponseType).sort()).toEqual(Object.keys(gatewayResponses).sort());
    const unauthorized = responses.find((response) => response.ResponseType === 'UNAUTHORIZED')!;
    expect(unauthorized).toMatchObject({
      StatusCode: '401',
      ResponseParameters: { 'gatewayresponse.header.WWW-Authenticate': '\'Basic realm="Web Password"\'' },
    });
  });
});

describe('the whole ApiTokenService from the package', () => {
  /** The console's uploads (aws-cdk-lib's BucketDeployment), and the function that runs them. */
  const consoleDeployments = (t: Template) => resourcesOf(t, 'Custom::CDKBucketDeployment').map(([, resource]) => resource.Properties);
  const deploymentFunctionIds = (t: Template) => consoleDeployments(t).map((properties) => (properties.ServiceToken as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);

  test('every function deploys its prebuilt bundle from the package, and the authorizer ARN is published', () => {
    const service = template('Tokens');
    const functions = resourcesOf(service, 'AWS::Lambda::Function').filter(([id]) => !deploymentFunctionIds(service).includes(id));
    expect(functions).toHaveLength(lambdaEntries.length);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler' });
      const assetHash = (fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      expect(existsSync(join(consumer, 'cdk.out', `asset.${assetHash}`, 'index.mjs'))).toBe(true);
    }
    const [parameter] = resourcesOf(service, 'AWS::SSM::Parameter').map(([, resource]) => resource);
    expect(parameter!.Properties).toMatchObject({ Name: DEFAULT_AUTHORIZER_PARAMETER_NAME, Type: 'String' });
    const [subscription] = resourcesOf(service, 'AWS::SNS::Subscription').map(([, resource]) => resource);
    expect(subscription!.Properties).toMatchObject({ Protocol: 'email', Endpoint: 'on-call@example.com' });
  });

  test("the admin console from the package: its build's files in the assembly, a distribution with the API under /api/*", () => {
    const service = template('Tokens');
    const [distribution, ...others] = resourcesOf(service, 'AWS::CloudFront::Distribution').map(([, resource]) => resource.Properties);
    expect(others).toEqual([]);
    const config = distribution!.DistributionConfig as { CacheBehaviors: { PathPattern: string }[]; DefaultCacheBehavior: { FunctionAssociations: unknown[] } };
    expect(config.CacheBehaviors.map((behaviour) => behaviour.PathPattern)).toEqual(['/api/*']);
    expect(config.DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
    expect(resourcesOf(service, 'AWS::S3::Bucket')).toHaveLength(1);
    expect(new Set(deploymentFunctionIds(service)).size).toBe(1);

    const uploaded = consoleDeployments(service).flatMap((properties) =>
      (properties.SourceObjectKeys as string[]).map((key) => readdirSync(join(consumer, 'cdk.out', `asset.${key.replace(/\.zip$/, '')}`), { recursive: true, encoding: 'utf8' })),
    );
    const files = uploaded.flat();
    expect(files).toContain('index.html');
    expect(files.some((name) => name.endsWith('.js'))).toBe(true);
    expect(files.filter((name) => name.endsWith('.map'))).toEqual([]);
  });
});

test('a downstream handler reads its caller with the identity helper, and refuses an event without one', async () => {
  const script = `
    const { handler } = require('./handler.js');
    const authorizer = { accountId: 'acme', userId: '42', email: 'agent@acme.test', role: 'agent', tokenId: '7', principalId: 'acme:42' };
    console.log(JSON.stringify([handler({ requestContext: { authorizer } }), handler({ requestContext: {} })]));`;
  const { stdout } = await run(process.execPath, ['-e', script], { cwd: consumer, env: consumerEnvironment() });
  const [allowed, refused] = JSON.parse(stdout) as { statusCode: number; body: string }[];
  expect(allowed!.statusCode).toBe(200);
  expect(JSON.parse(allowed!.body)).toEqual({ accountId: 'acme', userId: 42, email: 'agent@acme.test', role: 'agent', tokenId: 7 });
  expect(refused!.statusCode).toBe(401);
});

test("the consumer's templates lint clean with cfn-lint, as the project's own do (npm run lint:cfn)", async () => {
  const { stdout } = await run('npx', ['tsx', join(REPOSITORY_ROOT, 'scripts', 'lint-cfn.ts'), join(consumer, 'cdk.out')], {
    cwd: REPOSITORY_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  expect(stdout).toMatch(/lint .*cdk\.out: Orders\.template\.json/);
  expect(stdout).toMatch(/lint .*cdk\.out: Tokens\.template\.json/);
  expect(stdout).toMatch(/, 0 failing\n/);
}, 180_000);

test('npm pack lists only what a consumer needs: the compiled library, its declarations, the bundles, the console, the manifest', async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', tarball], { cwd: consumer, env: consumerEnvironment() });
  const [packed] = JSON.parse(stdout) as { files: { path: string }[] }[];
  const paths = packed!.files.map((file) => file.path).sort();
  const bundles = lambdaEntries.map(bundleName);
  const expected = (path: string) =>
    ['package.json', 'README.md', 'library/index.js', 'library/index.d.ts', 'library/identity.js', 'library/identity.d.ts'].includes(path) ||
    /^(cdk|shared\/[a-z]+)\/[a-z-]+\.d\.ts$/.test(path) ||
    bundles.some((name) => path === `dist/${name}/index.mjs` || path === `dist/${name}/index.mjs.map`) ||
    // The console's build, without source maps: its page, its icon and its hashed files.
    path === 'dist/admin-console/index.html' ||
    path === 'dist/admin-console/favicon.svg' ||
    /^dist\/admin-console\/assets\/[\w.-]+\.(js|css|svg|png|woff2)$/.test(path);
  expect(paths.filter((path) => !expected(path))).toEqual([]);
  for (const name of bundles) expect(paths).toContain(`dist/${name}/index.mjs`);
  expect(paths).toContain('dist/admin-console/index.html');
  expect(paths.some((path) => /^dist\/admin-console\/assets\/.+\.js$/.test(path))).toBe(true);
  const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules', ...PACKAGE_NAME.split('/'), 'package.json'), 'utf8')) as Record<string, unknown>;
  expect(manifest).toMatchObject({
    main: 'library/index.js',
    types: 'library/index.d.ts',
    peerDependencies: { 'aws-cdk-lib': expect.any(String), constructs: expect.any(String) },
  });
  expect(manifest.dependencies).toBeUndefined();
  expect(manifest.private).toBeUndefined();
});
