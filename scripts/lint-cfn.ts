// npm run lint:cfn: synthesizes every template the project ships — the service app (cdk/service-app.ts, as
// `cdk synth` builds it, cdk-nag included) with its defaults, with every context setting and without the admin
// console, and the protected-API example, which consumes the construct library's TokenAuthorizer — and runs
// cfn-lint on each `*.template.json`, for every region below. Fails on any error, and on any warning not allowed below
// with its reason. Offline: no AWS credentials, no lookups.
//
//   npm run lint:cfn                 # the template sources below
//   npm run lint:cfn -- DIR [DIR…]   # instead, every *.template.json under already synthesized directories
//
// A new template source is one entry of TEMPLATE_SOURCES.
import { App } from 'aws-cdk-lib';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { cdkJsonContext } from '../cdk/app-context';
import { ProtectedApiStack } from '../cdk/examples/protected-api-stack';
import { defineApp } from '../cdk/service-app';
import { ensureConsoleBuilt } from './console-build';
import { buildLambdaBundles } from './lambda-bundles';

/** The default region (README, `AWS_REGION`) and the one the README deploys to. */
const REGIONS = ['us-east-1', 'eu-west-1'];

interface TemplateSource {
  /** Names the source in the report. */
  readonly name: string;
  /** Synthesizes into `outdir`; every `*.template.json` written there is linted. */
  synthesize(outdir: string): void;
}

/**
 * An app with cdk.json's context (and `context`, as `-c` gives it), writing to `outdir`. The functions deploy
 * the bundles built first; any other bundling is skipped (CDK's own switch): it changes only asset hashes.
 */
function appIn(outdir: string, context: Record<string, string> = {}): App {
  return new App({ outdir, context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context } });
}

/** Every setting the app reads from context, so that the resources they add are linted too. */
const EVERY_SETTING = {
  alarmEmail: 'on-call@example.com',
  webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/0c1d2e3f',
  auditRetentionDays: '365',
  throttlingRateLimit: '250',
  throttlingBurstLimit: '500',
  adminConsoleWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/console/4a5b6c7d',
};

/** The service app, given `context` as `-c` gives it. */
const serviceApp =
  (context: Record<string, string> = {}) =>
  (outdir: string): void => {
    const app = appIn(outdir, context);
    defineApp(app);
    app.synth();
  };

const TEMPLATE_SOURCES: readonly TemplateSource[] = [
  { name: 'service app (cdk/service-app.ts)', synthesize: serviceApp() },
  { name: 'service app with every context setting', synthesize: serviceApp(EVERY_SETTING) },
  { name: 'service app without the admin console (-c adminConsole=false)', synthesize: serviceApp({ adminConsole: 'false' }) },
  {
    name: 'protected-API example, a TokenAuthorizer consumer (cdk/examples/protected-api-stack.ts)',
    synthesize: (outdir) => {
      const app = appIn(outdir);
      new ProtectedApiStack(app, 'Orders');
      app.synth();
    },
  },
];

/** Warnings accepted on purpose, each with its reason; `where` narrows one to the findings it matches. */
interface AllowedWarning {
  readonly rule: string;
  readonly reason: string;
  readonly where?: RegExp;
}
// None today: W3005 (a function's DependsOn its role) is fixed in cdk/template-hygiene.ts.
const ALLOWED_WARNINGS: readonly AllowedWarning[] = [];

/** One finding of `cfn-lint --format json`. */
interface Finding {
  Filename: string;
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Rule: { Id: string };
  Location: { Start: { LineNumber: number }; Path?: (string | number)[] };
}

function templatesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.template.json'))
    .map((name) => join(directory, name))
    .sort();
}

function cfnLint(templates: readonly string[]): Finding[] {
  const result = spawnSync('cfn-lint', [...templates, '--format', 'json', '--regions', ...REGIONS], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('cfn-lint is not installed (or not on PATH). Install it with: pip install cfn-lint');
  }
  if (result.error) throw result.error;
  try {
    return JSON.parse(result.stdout) as Finding[];
  } catch {
    throw new Error(`cfn-lint did not answer with findings (exit ${result.status}):\n${result.stderr || result.stdout}`);
  }
}

/** The allowance a warning falls under; `where` is matched against `{label} {message}`. */
const allowance = (finding: Finding, label: string) =>
  ALLOWED_WARNINGS.find((allowed) => allowed.rule === finding.Rule.Id && (allowed.where?.test(`${label} ${finding.Message}`) ?? true));

/** Synthesizes every template source, each into a directory of its own (the functions' bundles and the console first). */
async function synthesizeSources(): Promise<{ name: string; directory: string }[]> {
  await Promise.all([buildLambdaBundles(), ensureConsoleBuilt()]);
  const root = mkdtempSync(join(tmpdir(), 'lint-cfn-'));
  return TEMPLATE_SOURCES.map((source, index) => {
    const directory = join(root, String(index));
    source.synthesize(directory);
    return { name: source.name, directory };
  });
}

/** Directories synthesized elsewhere (a consumer's cdk.out), linted as they are. */
function givenDirectories(directories: readonly string[]): { name: string; directory: string }[] {
  return directories.map((directory) => {
    if (!statSync(directory, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${directory} is not a directory`);
    return { name: directory, directory: resolve(directory) };
  });
}

async function main(directories: readonly string[]): Promise<number> {
  const sources = directories.length > 0 ? givenDirectories(directories) : await synthesizeSources();

  /** Each template, by the path cfn-lint reports, with the name it is shown by: `{source}: {file}`. */
  const labels = new Map<string, string>();
  for (const { name, directory } of sources) {
    const found = templatesUnder(directory);
    if (found.length === 0) throw new Error(`${name}: no *.template.json in ${directory}`);
    for (const template of found) labels.set(template, `${name}: ${relative(directory, template)}`);
  }
  for (const label of labels.values()) console.log(`lint ${label}`);
  const findings = cfnLint([...labels.keys()]);

  let failures = 0;
  for (const finding of findings) {
    const label = labels.get(finding.Filename) ?? finding.Filename;
    const allowed = finding.Level === 'Warning' ? allowance(finding, label) : undefined;
    const fails = finding.Level === 'Error' || (finding.Level === 'Warning' && !allowed);
    if (fails) failures += 1;
    console.log(`${fails ? 'FAIL' : 'ok  '} ${finding.Rule.Id} ${label}:${finding.Location.Start.LineNumber} ${finding.Message}${allowed ? ` (allowed: ${allowed.reason})` : ''}`);
  }
  console.log(`cfn-lint (${REGIONS.join(', ')}): ${labels.size} templates, ${findings.length} findings, ${failures} failing`);
  return failures === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
