// `npm start`: the local stack (docs/architecture.md, "Local stack"). Starts DynamoDB Local (in memory, or persisted with
// --data-dir / DATA_DIR), creates the table from the shared definition, seeds the demo account, serves
// the API through the API Gateway emulator on 127.0.0.1:PORT and prints how to call it. SIGINT/SIGTERM
// stop everything, Java included; a failed start leaves nothing running and exits 1.
import { DEFAULT_TABLE_NAME } from '../shared/platform/table-name';
import { parseArgs } from 'node:util';
import { assertPortFree, type DynamoDbLocal, ensureTable, startDynamoDbLocal } from './dynamodb-local';
import { createEmulator } from './emulator';
import { DEMO_ACCOUNT, DEMO_ADMIN_EMAIL, seedDemoAccount, type SeedResult } from './seed';
import { getServices } from '../shared/runtime/services';
import { consoleSite } from './admin-console';
import { CONSOLE_BUILD_DIRECTORY, ensureConsoleBuilt } from '../scripts/console-build';
import { CONSOLE_PATH } from '../shared/http/console-headers';

// The pinned AWS SDK runs fine on Node.js 20; its notice that later SDK releases will need Node.js 22
// concerns upgrades, not someone running this command (Lambda itself runs Node.js 22).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface StartOptions {
  port: number;
  dynamodbPort: number;
  tableName: string;
  /** Persist DynamoDB Local's data here; in memory when undefined. */
  dataDir: string | undefined;
}

export interface LocalStack {
  url: string;
  dynamodb: DynamoDbLocal;
  options: StartOptions;
  seed: SeedResult;
}

type Cleanup = () => Promise<void>;

const USAGE = 'Usage: npm start [-- --data-dir DIR]   (env: PORT, DYNAMODB_PORT, TABLE_NAME, DATA_DIR)';

class UsageError extends Error {}

function portFrom(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  // 0 asks the kernel for a free port (the emulator only; DynamoDB Local needs a fixed one to be found).
  if (!/^\d+$/.test(raw) || port > 65535) throw new UsageError(`${name} must be a port number (got '${raw}')`);
  return port;
}

export function parseStartOptions(argv: string[], env: NodeJS.ProcessEnv): StartOptions {
  let values: { 'data-dir'?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const dataDir = values['data-dir'] ?? (env.DATA_DIR || undefined);
  if (dataDir === '') throw new UsageError('--data-dir needs a directory');
  const dynamodbPort = portFrom('DYNAMODB_PORT', env.DYNAMODB_PORT, 8000);
  if (dynamodbPort === 0) throw new UsageError('DYNAMODB_PORT must be a fixed port, not 0');
  return {
    port: portFrom('PORT', env.PORT, 3000),
    dynamodbPort,
    tableName: env.TABLE_NAME || DEFAULT_TABLE_NAME,
    dataDir,
  };
}

/** What to paste: the base URL, the token (once), and curl lines for the main routes. */
function bannerOf({ url, dynamodb, options, seed }: LocalStack): string {
  const dynamodbEndpoint = dynamodb.endpoint;
  const storage = options.dataDir ? `persisted in ${options.dataDir}` : 'in memory';
  const token = seed.token ?? '<token>';
  const credentials = `${DEMO_ADMIN_EMAIL}/token:${token}`;
  const lines = [
    '',
    `DynamoDB Local: ${dynamodbEndpoint} (${storage}), table ${options.tableName}`,
    `API:            ${url}`,
    `Admin console:  ${url}${CONSOLE_PATH}  (sign in as ${DEMO_ADMIN_EMAIL} with the API token below)`,
    '',
  ];
  if (seed.token) {
    lines.push(
      `Seeded account ${DEMO_ACCOUNT.accountId} (${DEMO_ACCOUNT.plan}) with ${DEMO_ADMIN_EMAIL} (admin) and agent@demo.test (agent).`,
      'Demo API token (shown only now; only its hash is stored):',
      `  ${seed.token}`,
    );
  } else {
    lines.push(
      `Account ${DEMO_ACCOUNT.accountId} already exists; its token was shown when it was created. Create a new one with:`,
      `  DYNAMODB_ENDPOINT=${dynamodbEndpoint} TABLE_NAME=${options.tableName} npx tokenctl tokens create ${DEMO_ACCOUNT.accountId}`,
    );
  }
  lines.push(
    '',
    'Try:',
    `  curl -u ${credentials} ${url}/api/v2/users/me.json`,
    `  curl -u ${credentials} ${url}/api/v2/api_tokens.json`,
    `  curl -u ${credentials} -X POST -H 'Content-Type: application/json' -d '{"api_token":{"description":"My script"}}' ${url}/api/v2/api_tokens.json`,
    '',
    'Ctrl-C stops the API and DynamoDB Local.',
    '',
  );
  return lines.join('\n');
}

/** Runs the cleanups of what has started so far, newest first; each runs once, even on a second signal. */
async function runCleanups(cleanups: Cleanup[]): Promise<void> {
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop()!;
    await cleanup().catch((error: unknown) => process.stderr.write(`cleanup failed: ${String(error)}\n`));
  }
}

/** Starts the stack; pushes a cleanup for each part as soon as it runs, so a failure can undo the rest. */
export async function startLocalStack(options: StartOptions, cleanups: Cleanup[]): Promise<LocalStack> {
  // Fail on a taken API port before Java spends seconds starting.
  if (options.port !== 0) await assertPortFree(options.port, 'the API; set PORT');
  // Built while Java starts: only when missing or older than web/ (scripts/console-build.ts).
  const consoleBuilt = ensureConsoleBuilt();
  consoleBuilt.catch(() => undefined);
  const dynamodb = await startDynamoDbLocal({ port: options.dynamodbPort, dataDir: options.dataDir });
  cleanups.push(() => dynamodb.stop());
  await ensureTable(dynamodb.endpoint, options.tableName);
  // The handlers, the authorizer and the seed read their configuration from the environment (shared/platform/config.ts).
  process.env.DYNAMODB_ENDPOINT = dynamodb.endpoint;
  process.env.TABLE_NAME = options.tableName;
  // CloudWatch metrics (EMF lines on stdout) mean nothing locally; set POWERTOOLS_METRICS_DISABLED=false to see them.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const seed = await seedDemoAccount(getServices());
  await consoleBuilt;
  const emulator = createEmulator({ log: (line) => process.stdout.write(`${line}\n`), site: consoleSite(CONSOLE_BUILD_DIRECTORY) });
  emulator.preload();
  const url = await emulator.listen(options.port);
  cleanups.push(() => emulator.close());
  return { url, dynamodb, options, seed };
}

/** JVM exit statuses after SIGINT / SIGTERM (128 + signal): Ctrl-C in the terminal reached Java too. */
const JAVA_SIGNALLED_EXIT = new Set([130, 143]);

async function main(): Promise<void> {
  const cleanups: Cleanup[] = [];
  let stopping = false;
  const shutDown = (message: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${message}\n`);
    void runCleanups(cleanups).then(() => process.exit(exitCode));
  };
  const onSignal = (signal: NodeJS.Signals) => shutDown(`${signal}: stopping the API and DynamoDB Local…`, 0);
  // Installed first, so that Ctrl-C during start-up also stops what has started.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let options: StartOptions;
  try {
    options = parseStartOptions(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  let stack: LocalStack;
  try {
    stack = await startLocalStack(options, cleanups);
  } catch (error) {
    process.stderr.write(`Could not start the local stack: ${error instanceof Error ? error.message : String(error)}\n`);
    await runCleanups(cleanups);
    process.exit(1);
  }
  // Without DynamoDB every request would fail with 503: better to stop and say so.
  stack.dynamodb.process.once('exit', (code, signal) =>
    JAVA_SIGNALLED_EXIT.has(code ?? 0)
      ? shutDown('DynamoDB Local was interrupted: stopping the API.', 0)
      : shutDown(`DynamoDB Local stopped unexpectedly (${signal ?? `exit ${code}`}): stopping the API.`, 1),
  );
  if (!stopping) process.stdout.write(bannerOf(stack));
}

if (require.main === module) void main();
