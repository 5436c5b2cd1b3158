// `npm run synth` as an engineer or CI runs it: the local aws-cdk CLI reads cdk.json, runs the app with tsx,
// bundles every function with the local esbuild (never Docker), and needs no AWS credentials, no network
// and no account lookups. Proxies point at a closed port, so any network call would fail, not hang.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_STACK_NAME } from '../../cdk/service-app';
import { NO_DOCKER, REPOSITORY_ROOT, serviceFunctionsOf } from './support';

const run = promisify(execFile);
const CLOSED_PORT_PROXY = 'http://127.0.0.1:9';

test('npm run synth succeeds offline, without AWS credentials, and writes the stack with its bundles', async () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-cli-'));
  const environment: NodeJS.ProcessEnv = { ...process.env, ...NO_DOCKER, HTTPS_PROXY: CLOSED_PORT_PROXY, HTTP_PROXY: CLOSED_PORT_PROXY, CI: 'true' };
  for (const name of Object.keys(environment)) if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(name)) delete environment[name];
  environment.AWS_CONFIG_FILE = join(outdir, 'no-config');
  environment.AWS_SHARED_CREDENTIALS_FILE = join(outdir, 'no-credentials');

  const { stderr } = await run('npm', ['run', '--silent', 'synth', '--', '--quiet', '--output', outdir], {
    cwd: REPOSITORY_ROOT,
    env: environment,
    maxBuffer: 64 * 1024 * 1024,
  });

  expect(stderr).not.toMatch(/Switching to Docker|AwsSolutions-|\bERROR\b/);
  const template = JSON.parse(readFileSync(join(outdir, `${DEFAULT_STACK_NAME}.template.json`), 'utf8')) as {
    Outputs: Record<string, unknown>;
    Resources: Record<string, { Type: string }>;
  };
  expect(Object.keys(template.Outputs).sort()).toEqual(['AdminConsoleUrl', 'ApiUrl', 'AuthorizerFunctionArn', 'AuthorizerParameterName', 'TableName']);
  // No alarm topic or e-mail was given: the engineer is told that the alarms notify nobody.
  expect(stderr).toContain('The alarms notify nobody');
  const functions = Object.keys(serviceFunctionsOf(Template.fromJSON(template)));
  const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
  expect(assets.filter((name) => existsSync(join(outdir, name, 'index.mjs')))).toHaveLength(functions.length);
  // …and the admin console's build, which its deployment copies into the bucket.
  expect(assets.filter((name) => existsSync(join(outdir, name, 'index.html')))).toHaveLength(1);
}, 180_000);
