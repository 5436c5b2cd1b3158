// 4. Cold start proxy: the minified size of the authorizer bundle and the time a fresh `node` process takes
// to import it, each versus a bundle holding only the DynamoDB client and a handler calling BatchGetItem.
// Imports alternate between the two bundles, in the environment Lambda gives a container, so the import is
// the init phase (the authorizer makes its client and writes its ColdStart metric there, as the baseline
// makes its client); nothing is called, so no network is touched. Then the first
// denial in a fresh process, as Lambda runs the bundle (`--enable-source-maps`), against the second, and
// against a first denial without source maps: the credentials are malformed, so the authorizer makes no
// DynamoDB call either.
import { DEFAULT_TABLE_NAME } from '../shared/platform/table-name';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beyondBaseline, bundleLambda, type Bundle } from './bundles';
import { atMost, row, type MeasurementResult } from './report';
import { median, ratioOf, summarize } from './stats';

const run = promisify(execFile);
const MEASUREMENT = '4 cold start proxy';
const TARGET_RATIO = 1.15;
/** The first denial of a container may cost at most this much more than a warm one. */
const FIRST_DENIAL_EXTRA_MS = 5;
const DENIAL_MARKER = 'BENCH_DENIAL ';
const IMPORT_MARKER = 'BENCH_IMPORT ';
const IMPORT_TIMEOUT_MS = 30_000;
const REPO_ROOT = join(__dirname, '..');

export interface ColdStartInputs {
  rounds: number;
  importsPerRound: number;
  /** Registers removal of the temporary bundles. */
  onCleanup: (name: string, step: () => void) => void;
}

/**
 * Timed inside the child, so Node's own start-up (the same for both bundles) is left out. The import is
 * Lambda's init phase, where the authorizer writes its ColdStart metric: the figure comes on a line of its own.
 */
const IMPORT_SCRIPT = [
  'const start = performance.now();',
  'await import(process.env.BENCH_IMPORT_URL);',
  `process.stdout.write('\\n${IMPORT_MARKER}' + JSON.stringify({ importMs: performance.now() - start }) + '\\n');`,
  'process.exit(0);',
].join('\n');

/**
 * What a Lambda's module needs at import: a region and the product's variables. The endpoint points at a
 * closed local port and the credentials are static, so nothing could reach the network even if called.
 */
function importEnvironment(url: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    BENCH_IMPORT_URL: url,
    AWS_REGION: 'us-east-1',
    // What Lambda sets in every container: the authorizer prepares its client during the init phase.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_NAME: 'bench-authorizer',
    TABLE_NAME: DEFAULT_TABLE_NAME,
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * Two denials in one process, timed inside it. An error is reported as the Lambda runtime reports an
 * invocation error, with its stack, which `--enable-source-maps` maps through the bundle's source map; a
 * policy is returned as it is. The handler logs to stdout too, so the figures come on a line of their own.
 */
const DENIAL_SCRIPT = [
  'const { handler } = await import(process.env.BENCH_IMPORT_URL);',
  "const event = { type: 'REQUEST', methodArn: 'arn:aws:execute-api:us-east-1:123456789012:bench/prod/GET/api/v2/users/me', headers: {} };",
  'const deny = async () => {',
  '  const start = performance.now();',
  '  await handler(event).then(() => undefined, (error) => String(error?.stack));',
  '  return performance.now() - start;',
  '};',
  'const firstMs = await deny();',
  'const warmMs = await deny();',
  `process.stdout.write('\\n${DENIAL_MARKER}' + JSON.stringify({ firstMs, warmMs }) + '\\n');`,
  'process.exit(0);',
].join('\n');

/** Runs `script` (ESM) in a fresh `node` with `bundle`'s URL in its environment; its stdout. */
async function inFreshNode(bundle: Bundle, script: string, nodeOptions: string[] = []): Promise<string> {
  const url = pathToFileURL(bundle.file).href;
  const { stdout } = await run(process.execPath, [...nodeOptions, '--input-type=module', '-e', script], {
    env: importEnvironment(url),
    timeout: IMPORT_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  return stdout;
}

/** The JSON on the line of `stdout` that starts with `marker`. */
function markedFigures<T>(stdout: string, marker: string): T {
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(marker));
  if (!line) throw new Error(`the measured process printed no figures; its output was:\n${stdout}`);
  return JSON.parse(line.slice(marker.length)) as T;
}

async function importMs(bundle: Bundle): Promise<number> {
  return markedFigures<{ importMs: number }>(await inFreshNode(bundle, IMPORT_SCRIPT), IMPORT_MARKER).importMs;
}

interface DenialTimes {
  firstMs: number;
  warmMs: number;
}

async function denialMs(bundle: Bundle, sourceMaps: boolean): Promise<DenialTimes> {
  return markedFigures<DenialTimes>(await inFreshNode(bundle, DENIAL_SCRIPT, sourceMaps ? ['--enable-source-maps'] : []), DENIAL_MARKER);
}

interface DenialRound {
  /** With `--enable-source-maps`, as Lambda runs the bundle: the first denial, the second, their difference. */
  firstMs: number;
  warmMs: number;
  extraMs: number;
  /** The first denial in a process without source maps: what is left is first-use work, not the map. */
  firstWithoutMapsMs: number;
}

/** One round: `count` fresh processes with source maps and `count` without, alternating; the medians. */
async function denialRound(authorizer: Bundle, count: number): Promise<DenialRound> {
  const withMaps: DenialTimes[] = [];
  const withoutMaps: DenialTimes[] = [];
  for (let index = 0; index < count; index += 1) {
    const order = index % 2 === 0 ? [true, false] : [false, true];
    for (const sourceMaps of order) (sourceMaps ? withMaps : withoutMaps).push(await denialMs(authorizer, sourceMaps));
  }
  return {
    firstMs: median(withMaps.map((sample) => sample.firstMs)),
    warmMs: median(withMaps.map((sample) => sample.warmMs)),
    extraMs: median(withMaps.map((sample) => sample.firstMs - sample.warmMs)),
    firstWithoutMapsMs: median(withoutMaps.map((sample) => sample.firstMs)),
  };
}

async function buildBoth(outdir: string): Promise<{ authorizer: Bundle; bare: Bundle }> {
  const authorizer = await bundleLambda(join(REPO_ROOT, 'functions/authorizer.ts'), outdir, 'authorizer');
  const bare = await bundleLambda(join(REPO_ROOT, 'bench/bare-batch-get.ts'), outdir, 'bare-batch-get');
  assertBareBaseline(bare);
  return { authorizer, bare };
}

/**
 * The baseline holds the DynamoDB client and nothing of the product: none of our other dependencies, and
 * only constants of our own code. Anything more inflates the baseline and flatters the ratio.
 */
function assertBareBaseline(bare: Bundle): void {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const product = Object.keys(manifest.dependencies).filter((name) => name !== '@aws-sdk/client-dynamodb');
  const foreign = product.filter((name) => (bare.byPackage[name] ?? 0) > 0);
  const ownBytes = bare.byPackage['shared/'] ?? 0;
  if (ownBytes > 256) foreign.push(`shared/ (${ownBytes} bytes)`);
  if (foreign.length > 0) throw new Error(`The bare-client baseline holds more than the DynamoDB client: ${foreign.join(', ')}`);
}

/** One round: `count` imports of each bundle, alternating which goes first; the medians. */
async function importRound(authorizer: Bundle, bare: Bundle, count: number): Promise<{ authorizer: number; bare: number }> {
  const samples = { authorizer: [] as number[], bare: [] as number[] };
  for (let index = 0; index < count; index += 1) {
    const order = index % 2 === 0 ? (['authorizer', 'bare'] as const) : (['bare', 'authorizer'] as const);
    for (const name of order) samples[name].push(await importMs(name === 'authorizer' ? authorizer : bare));
  }
  return { authorizer: median(samples.authorizer), bare: median(samples.bare) };
}

const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

/** The largest contributors to the authorizer bundle beyond the client-only bundle. */
function bundleBreakdown(beyond: { package: string; bytes: number }[]): string {
  const lines = beyond.slice(0, 8).map((entry) => `  ${entry.package.padEnd(40)} ${(entry.bytes / 1024).toFixed(1).padStart(7)} KiB`);
  return ['Authorizer bundle beyond the client-only bundle (esbuild metafile, bytes in output):', ...lines].join('\n');
}

export async function measureColdStart(inputs: ColdStartInputs): Promise<MeasurementResult> {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  inputs.onCleanup('temporary bundles', () => rmSync(outdir, { recursive: true, force: true }));
  const { authorizer, bare } = await buildBoth(outdir);
  await importRound(authorizer, bare, 1);
  await denialRound(authorizer, 1);
  const perRound = { authorizer: [] as number[], bare: [] as number[] };
  const denials = { firstMs: [] as number[], warmMs: [] as number[], extraMs: [] as number[], firstWithoutMapsMs: [] as number[] };
  for (let round = 0; round < inputs.rounds; round += 1) {
    const medians = await importRound(authorizer, bare, inputs.importsPerRound);
    perRound.authorizer.push(medians.authorizer);
    perRound.bare.push(medians.bare);
    const denial = await denialRound(authorizer, inputs.importsPerRound);
    denials.firstMs.push(denial.firstMs);
    denials.warmMs.push(denial.warmMs);
    denials.extraMs.push(denial.extraMs);
    denials.firstWithoutMapsMs.push(denial.firstWithoutMapsMs);
  }
  const firstDenialExtra = summarize(denials.extraMs);
  const sizeRatio = summarize([authorizer.bytes / bare.bytes]);
  const importRatio = ratioOf(perRound.authorizer, perRound.bare);
  const authorizerBeyondBare = beyondBaseline(authorizer, bare);
  return {
    rows: [
      row(MEASUREMENT, 'authorizer bundle (minified)', 'KiB', summarize([kib(authorizer.bytes)])),
      row(MEASUREMENT, 'DynamoDB-client-only bundle', 'KiB', summarize([kib(bare.bytes)])),
      row(MEASUREMENT, 'size ratio', '×', sizeRatio, atMost(sizeRatio, TARGET_RATIO)),
      row(MEASUREMENT, 'authorizer import, fresh node', 'ms', summarize(perRound.authorizer)),
      row(MEASUREMENT, 'client-only import, fresh node', 'ms', summarize(perRound.bare)),
      row(MEASUREMENT, 'import time ratio', '×', importRatio, atMost(importRatio, TARGET_RATIO)),
      row(MEASUREMENT, 'first denial, fresh node --enable-source-maps', 'ms', summarize(denials.firstMs)),
      row(MEASUREMENT, 'warm denial, same process', 'ms', summarize(denials.warmMs)),
      row(MEASUREMENT, 'first denial − warm denial', 'ms', firstDenialExtra, atMost(firstDenialExtra, FIRST_DENIAL_EXTRA_MS, ' ms')),
      row(MEASUREMENT, 'first denial, fresh node without source maps', 'ms', summarize(denials.firstWithoutMapsMs)),
    ],
    details: {
      bytes: { authorizer: authorizer.bytes, bare: bare.bytes },
      importsPerBundlePerRound: inputs.importsPerRound,
      perRound,
      denialProcessesPerRound: inputs.importsPerRound,
      denialsPerRound: denials,
      authorizerBeyondBare,
      byPackage: { authorizer: authorizer.byPackage, bare: bare.byPackage },
    },
    notes: bundleBreakdown(authorizerBeyondBare),
  };
}
