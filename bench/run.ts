// `npm run bench` (`-- --quick` or BENCH_QUICK=1 for a short run, `-- --only auditLog` for some of the
// measurements): starts its own DynamoDB Local on a free port, in memory, seeds an account, runs the
// measurements of docs/bench.md with their variants side by side, prints a table of medians over rounds
// with their spread and writes bench/results.json. Everything it starts (Java included) is stopped at
// the end, on error and on Ctrl-C.
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ensureTable, startDynamoDbLocal } from '../local/dynamodb-local';
import { getAuthorizationServices } from '../shared/runtime/authorizer-services';
import { getServices } from '../shared/runtime/services';
import { seedFixture } from './fixture';
import {
  adminConsole,
  auditLog,
  coldStart,
  httpPath,
  leakReports,
  limitContention,
  rejectionThroughput,
  roundTrips,
  verificationLatency,
  type BenchContext,
} from './measurements';
import { benchOptions, type BenchOptions } from './options';
import { progress, quietStdout } from './quiet-stdout';
import { formatTable, writeResults, type MeasurementResult, type Row } from './report';
import { Teardown, tearDownOnSignals } from './teardown';

const TABLE_NAME = 'bench';
const RESULTS_FILE = join(__dirname, 'results.json');

type Measurement = [name: string, measure: (context: BenchContext) => Promise<MeasurementResult>];

const MEASUREMENTS: Measurement[] = [
  ['verificationLatency', verificationLatency],
  ['roundTrips', roundTrips],
  ['rejectionThroughput', rejectionThroughput],
  ['coldStart', coldStart],
  ['limitContention', limitContention],
  ['httpPath', httpPath],
  ['auditLog', auditLog],
  ['adminConsole', adminConsole],
  ['leakReports', leakReports],
];

/** The measurements `--only` names, in the table's order; all of them without it. */
function selected(options: BenchOptions): Measurement[] {
  if (!options.only) return MEASUREMENTS;
  const names = MEASUREMENTS.map(([name]) => name);
  const unknown = options.only.filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new Error(`--only: no measurement named ${unknown.join(', ')} (there are ${names.join(', ')})`);
  return MEASUREMENTS.filter(([name]) => options.only!.includes(name));
}

/** What the product reads at start (shared/platform/config.ts), pointed at this run's DynamoDB Local. */
function useLocalDynamoDb(endpoint: string): void {
  Object.assign(process.env, { DYNAMODB_ENDPOINT: endpoint, TABLE_NAME, AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' });
  delete process.env.AUDIT_RETENTION_DAYS;
}

async function startContext(options: BenchOptions, teardown: Teardown): Promise<BenchContext> {
  progress('starting DynamoDB Local (in memory, free port)');
  const dynamodb = await startDynamoDbLocal();
  teardown.add('DynamoDB Local', () => dynamodb.stop());
  await ensureTable(dynamodb.endpoint, TABLE_NAME);
  useLocalDynamoDb(dynamodb.endpoint);
  const services = getServices();
  teardown.add('product client', () => services.documentClient.destroy());
  teardown.add('authorizer client', () => getAuthorizationServices().client.destroy());
  const fixture = await seedFixture(services);
  return { options, services, fixture, teardown };
}

async function measureAll(context: BenchContext, measurements: Measurement[]): Promise<Record<string, MeasurementResult>> {
  const results: Record<string, MeasurementResult> = {};
  for (const [name, measure] of measurements) {
    const started = performance.now();
    progress(`${name}…`);
    results[name] = await measure(context);
    progress(`${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return results;
}

/** The machine, and how busy it was: other processes on the same cores skew every absolute figure. */
function machine(loadAtStart: number[]) {
  const cores = cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cores.length,
    cpuModel: cores[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage1m: { atStart: loadAtStart[0], atEnd: loadavg()[0] },
  };
}

function targetsLine(rows: readonly Row[]): string {
  const targeted = rows.filter((entry) => entry.target);
  const missed = targeted.filter((entry) => !entry.target?.met);
  const names = missed.map((entry) => `${entry.measurement} ${entry.figure}`).join('; ');
  return `Targets: ${targeted.length - missed.length} met, ${missed.length} missed${names ? `: ${names}` : ''}.`;
}

interface RunInfo {
  options: BenchOptions;
  startedAt: Date;
  loadAtStart: number[];
}

function report({ options, startedAt, loadAtStart }: RunInfo, results: Record<string, MeasurementResult>): void {
  const rows = Object.values(results).flatMap((result) => result.rows);
  const flags = [...(options.quick ? ['--quick'] : []), ...(options.only ? ['--only', options.only.join(',')] : [])];
  const command = `npm run bench${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}`;
  const load = `load average ${loadAtStart[0]?.toFixed(1)} → ${loadavg()[0]?.toFixed(1)}`;
  console.log(`${command} — ${startedAt.toISOString()}, Node.js ${process.version}, ${cpus().length} cores, ${load}\n`);
  console.log(formatTable(rows));
  for (const result of Object.values(results)) if (result.notes) console.log(`\n${result.notes}`);
  console.log(`\n${targetsLine(rows)}`);
  writeResults(RESULTS_FILE, {
    command,
    startedAt: startedAt.toISOString(),
    durationS: (Date.now() - startedAt.getTime()) / 1000,
    machine: machine(loadAtStart),
    options,
    rows,
    details: Object.fromEntries(Object.entries(results).map(([name, result]) => [name, result.details])),
  });
  console.log(`Wrote ${RESULTS_FILE}`);
}

async function main(): Promise<void> {
  // The SDK warns once per process on Node.js 20; the warning is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const options = benchOptions(process.argv.slice(2), process.env);
  const measurements = selected(options);
  const run: RunInfo = { options, startedAt: new Date(), loadAtStart: loadavg() };
  const teardown = new Teardown();
  tearDownOnSignals(teardown);
  try {
    const context = await startContext(options, teardown);
    const sink = quietStdout();
    const results = await measureAll(context, measurements).finally(() => sink.restore());
    report(run, results);
  } finally {
    await teardown.run();
  }
}

main().catch((error: unknown) => {
  console.error('bench failed:', error);
  process.exitCode = 1;
});
