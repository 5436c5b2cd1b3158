// The admin console as an administrator meets it, for the browser tests: the API emulator in this process
// on 127.0.0.1 (a free port) serving the built console under /admin/ (local/admin-console.ts, built once
// per run by test/setup/global-setup.ts), against a fresh table on the run's DynamoDB Local. It has the
// shape of the API tests' stack (test/support/api-stack.ts), so their provisioning helpers and `request`
// work on it unchanged.
//
// Bulk data (hundreds or thousands of tokens, an audit history) is written straight to the table with the
// store's own item mapping (scripts/token-fixtures.ts).
//
// With `switchable: true` the functions reach DynamoDB through a TCP relay that a test can stop and
// start again: DynamoDB going away (connections refused) and coming back, while the test's own store
// keeps its direct connection.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { CONSOLE_BUILD_DIRECTORY } from '../../scripts/console-build';
import {
  seedAuditEntries as seedAuditItems,
  seedTokens as seedTokenItems,
  type FixtureTable,
  type SeededToken,
  type TokenSeed,
} from '../../scripts/token-fixtures';
import { consoleSite } from '../../local/admin-console';
import { createEmulator } from '../../local/emulator';
import { AccountService } from '../../shared/domain/account-service';
import type { AuditEntry } from '../../shared/domain/model';
import { TokenService } from '../../shared/domain/token-service';
import { CONSOLE_PATH } from '../../shared/http/console-headers';
import type { ApiStack, UrlLedger } from './api-stack';
import { createTestTable } from './tables';

export interface ConsoleStack extends ApiStack {
  /** The console's entry, e.g. `http://127.0.0.1:41234/admin/`. */
  consoleUrl: string;
  /** Present with `switchable: true`: stops and restarts the functions' way to DynamoDB. */
  dynamodb?: DynamoDbSwitch;
}

export interface ConsoleStackOptions {
  switchable?: boolean;
}

let started = false;

/** Starts the stack; call in beforeAll and close in afterAll. One per test file (the handlers cache their table). */
export async function startConsoleStack(options: ConsoleStackOptions = {}): Promise<ConsoleStack> {
  if (started) throw new Error('startConsoleStack: one stack per test file (the handlers cache their table in module scope)');
  started = true;
  const table = await createTestTable();
  const relay = options.switchable ? await startDynamoDbSwitch(table.endpoint) : undefined;
  // Read by the functions on their first DynamoDB call (shared/platform/config.ts).
  if (relay) process.env.DYNAMODB_ENDPOINT = relay.endpoint;
  const log: string[] = [];
  const emulator = createEmulator({ log: (line) => log.push(line), site: consoleSite(CONSOLE_BUILD_DIRECTORY) });
  emulator.preload();
  const baseUrl = await emulator.listen(0);
  const urls: UrlLedger = { seen: new Map(), gone: new Set(), credentials: new Map() };
  return {
    baseUrl,
    consoleUrl: `${baseUrl}${CONSOLE_PATH}`,
    table,
    accounts: new AccountService(table.store),
    tokens: new TokenService(table.store),
    log,
    urls,
    ...(relay ? { dynamodb: relay } : {}),
    async close() {
      try {
        await emulator.close();
      } finally {
        await relay?.close();
        table.documentClient.destroy();
      }
    },
  };
}

// ---- bulk data ----------------------------------------------------------------------------------

export type { SeededToken, TokenSeed } from '../../scripts/token-fixtures';
export { tokenSeeds } from '../../scripts/token-fixtures';

const fixtureTable = (stack: ConsoleStack): FixtureTable => ({ documentClient: stack.table.documentClient, tableName: stack.table.tableName, accounts: stack.accounts });

/** Writes tokens into an account (scripts/token-fixtures.ts): no audit entries, the token count raised to match. */
export const seedTokens = (stack: ConsoleStack, accountId: string, seeds: TokenSeed[]): Promise<SeededToken[]> => seedTokenItems(fixtureTable(stack), accountId, seeds);

/** Writes audit entries of an account as they are. */
export const seedAuditEntries = (stack: ConsoleStack, entries: Parameters<typeof seedAuditItems>[1]): Promise<AuditEntry[]> => seedAuditItems(fixtureTable(stack), entries);

// ---- DynamoDB going away --------------------------------------------------------------------------

export interface DynamoDbSwitch {
  /** What the functions are pointed at. */
  endpoint: string;
  /** DynamoDB goes away: open connections are cut and new ones refused. */
  stop(): Promise<void>;
  /** DynamoDB is back, on the same endpoint. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      const address = server.address();
      if (typeof address === 'object' && address) done(address.port);
      else fail(new Error('no address'));
    });
  });
}

/** A TCP relay on 127.0.0.1 to `target` (an http://host:port endpoint) that can be stopped and started. */
export async function startDynamoDbSwitch(target: string): Promise<DynamoDbSwitch> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    const upstream = connect(Number(targetPort), hostname);
    track(upstream);
    client.pipe(upstream).pipe(client);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  const port = await listen(server, 0);
  let listening = true;
  const stop = async () => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((done) => server.close(() => done()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop,
    async start() {
      if (listening) return;
      await listen(server, port);
      listening = true;
    },
    close: stop,
  };
}
