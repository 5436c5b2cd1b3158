// `npm start` as a user runs it: a child process (`node --import tsx local/start.ts`, what the npm script runs) on free
// ports, the printed demo token used against the API, then Ctrl-C / SIGTERM and a look at /proc to be
// sure nothing it started — DynamoDB Local's Java above all — outlives it. Also --data-dir / DATA_DIR
// persistence, clean failures on start-up, and the admin console it serves beside the API.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { assertPortFree, freePort } from '../../local/dynamodb-local';
import { generateToken } from '../../shared/domain/token-format';
import { basicAuth } from '../support/api-stack';

const REPO_ROOT = resolve(__dirname, '../..');
// What `npm start` runs, with this Node (not through PATH), so a test can take Java off PATH.
const START_COMMAND = ['--import', 'tsx', 'local/start.ts'];
const START_TIMEOUT_MS = 120_000;

interface StackProcess {
  /** Pid of the start process, also the id of the process group everything started belongs to. */
  pid: number;
  output(): string;
  errors(): string;
  waitForOutput(pattern: RegExp): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

interface ProcessInfo {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
  args: string[];
}

const running: StackProcess[] = [];
const tempDirs: string[] = [];

/** Starts the local stack detached, in its own process group, as a terminal would run `npm start`. */
function startStack(env: Record<string, string>, args: string[] = []): StackProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const inherited of ['TABLE_NAME', 'DYNAMODB_ENDPOINT', 'DATA_DIR']) if (!(inherited in env)) delete childEnv[inherited];
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, [...START_COMMAND, ...args], {
    cwd: REPO_ROOT,
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close' comes after the last output, unlike 'exit'.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('close', (code, signal) => done({ code, signal })),
  );
  const stack: StackProcess = {
    pid: child.pid!,
    output: () => stdout,
    errors: () => stderr,
    exited,
    waitForOutput: (pattern) =>
      new Promise((done, fail) => {
        const check = () => {
          const found = pattern.exec(stdout);
          if (!found) return;
          child.stdout.off('data', check);
          done(found);
        };
        child.stdout.on('data', check);
        void exited.then(() => fail(new Error(`local stack exited before printing ${pattern}:\n${stdout}\n${stderr}`)));
        check();
      }),
  };
  running.push(stack);
  return stack;
}

function processInfo(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may itself hold spaces or parentheses.
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { pid, state: state!, ppid: Number(ppid), pgrp: Number(pgrp), args };
  } catch {
    return undefined; // gone between listing and reading
  }
}

function allProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => processInfo(Number(entry)))
    .filter((info): info is ProcessInfo => info !== undefined);
}

/** Running means present and not a zombie (a zombie has exited and only waits to be reaped). */
function isRunning(pid: number): boolean {
  const info = processInfo(pid);
  return info !== undefined && info.state !== 'Z' && info.state !== 'X';
}

function runningInGroup(pgrp: number): ProcessInfo[] {
  return allProcesses().filter((info) => info.pgrp === pgrp && isRunning(info.pid));
}

function dynamoDbLocalPid(port: number): number | undefined {
  return allProcesses().find(
    (info) => info.args.some((arg) => arg.endsWith('DynamoDBLocal.jar')) && info.args.join(' ').includes(`-port ${port}`),
  )?.pid;
}

/**
 * Helpers that tsx and Node start (esbuild's service) end when their pipes close, just after their
 * parent; wait for that rather than assume it. Bounded so a leak fails the test instead of hanging it.
 */
async function waitUntilGroupIsGone(pgrp: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (runningInGroup(pgrp).length === 0) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  const left = runningInGroup(pgrp).map((info) => `${info.pid} ${info.args.join(' ')}`);
  throw new Error(`processes left behind:\n${left.join('\n')}`);
}

async function freePorts(): Promise<{ port: number; dynamodbPort: number }> {
  const port = await freePort();
  let dynamodbPort = await freePort();
  while (dynamodbPort === port) dynamodbPort = await freePort();
  return { port, dynamodbPort };
}

function portEnv({ port, dynamodbPort }: { port: number; dynamodbPort: number }): Record<string, string> {
  return { PORT: String(port), DYNAMODB_PORT: String(dynamodbPort) };
}

function demoTokenIn(output: string): string | undefined {
  return /^\s+(apit_demo_\w+)$/m.exec(output)?.[1];
}

async function showCurrentUser(port: number, token: string): Promise<{ status: number; body: { user?: Record<string, unknown> } }> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v2/users/me.json`, {
    headers: { Authorization: basicAuth('admin@demo.test', token) },
  });
  return { status: response.status, body: (await response.json()) as { user?: Record<string, unknown> } };
}

/** After the stack has exited: Java gone, nothing of its process group left, both ports free again. */
async function expectNothingLeft(stack: StackProcess, javaPid: number | undefined, ports: { port: number; dynamodbPort: number }) {
  if (javaPid !== undefined) expect(isRunning(javaPid)).toBe(false);
  await waitUntilGroupIsGone(stack.pid);
  expect(dynamoDbLocalPid(ports.dynamodbPort)).toBeUndefined();
  await expect(assertPortFree(ports.port, 'the API')).resolves.toBeUndefined();
  await expect(assertPortFree(ports.dynamodbPort, 'DynamoDB Local')).resolves.toBeUndefined();
}

afterAll(async () => {
  // Only when a test failed midway: stop whatever is still running, the whole group at once.
  for (const stack of running) {
    if (runningInGroup(stack.pid).length > 0) process.kill(-stack.pid, 'SIGKILL');
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

test(
  'serves the seeded demo account with the printed token; Ctrl-C stops everything, Java included',
  async () => {
    const ports = await freePorts();
    const stack = startStack(portEnv(ports));
    await stack.waitForOutput(/Ctrl-C stops/);
    const output = stack.output();
    const token = demoTokenIn(output);
    expect(token).toBeDefined();
    const url = `http://127.0.0.1:${ports.port}`;
    expect(output).toContain(url);
    expect(output).toContain(`curl -u admin@demo.test/token:${token} ${url}/api/v2/users/me.json`);
    expect(output).toContain(`${url}/api/v2/api_tokens.json`);

    // The admin console on the API's origin, named in the banner with the demo admin.
    expect(output).toContain(`Admin console:  ${url}/admin/  (sign in as admin@demo.test with the API token below)`);
    const root = await fetch(`${url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/admin/');
    const page = await fetch(`${url}/admin/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${url}${script}`)).status).toBe(200);

    const me = await showCurrentUser(ports.port, token!);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: 'admin@demo.test', role: 'admin', verified: true });

    // What an operator follows in the output: the authorizer's line for a denied request names the request
    // (the id the client received, also on the emulator's line), the route, and the account and token id
    // the credentials named, as in AWS; never the secret.
    const tokenId = Number(token!.split('_')[2]);
    const forged = generateToken('demo', tokenId).token;
    const denied = await fetch(`${url}/api/v2/users/me.json`, { headers: { Authorization: basicAuth('admin@demo.test', forged) } });
    expect(denied.status).toBe(401);
    const requestId = denied.headers.get('x-amzn-requestid')!;
    await stack.waitForOutput(new RegExp(`^GET /api/v2/users/me\\.json 401 \\d+ms requestId=${requestId}$`, 'm'));
    const logLines = stack.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logLines.filter((line) => line.function_request_id === requestId)).toEqual([
      expect.objectContaining({
        message: 'Authentication denied',
        reason: 'wrong_secret',
        route: 'authorizer',
        function_name: 'authorizer',
        cold_start: false,
        account_id: 'demo',
        api_token_id: tokenId,
      }),
    ]);
    expect(stack.output()).not.toContain(forged);

    const javaPid = dynamoDbLocalPid(ports.dynamodbPort);
    expect(javaPid).toBeDefined();
    expect(processInfo(javaPid!)?.pgrp).toBe(stack.pid);

    // Ctrl-C in a terminal signals the whole foreground process group.
    process.kill(-stack.pid, 'SIGINT');
    expect(await stack.exited).toEqual({ code: 0, signal: null });
    // The token appears in the banner (its own line and three curl lines) and in no request log line.
    expect(stack.output().split(token!).length - 1).toBe(4);
    await expectNothingLeft(stack, javaPid, ports);
  },
  START_TIMEOUT_MS,
);

test(
  '--data-dir / DATA_DIR persist the account: a second start keeps it, prints no new token, and the old token works',
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'api-tokens-start-'));
    tempDirs.push(dataDir);

    const firstPorts = await freePorts();
    const first = startStack(portEnv(firstPorts), ['--data-dir', dataDir]);
    await first.waitForOutput(/Ctrl-C stops/);
    const token = demoTokenIn(first.output());
    expect(token).toBeDefined();
    expect(first.output()).toContain(`persisted in ${dataDir}`);
    const firstJava = dynamoDbLocalPid(firstPorts.dynamodbPort);
    // SIGTERM to the stack's own process only (as a process manager would): it must stop Java itself.
    process.kill(first.pid, 'SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    await expectNothingLeft(first, firstJava, firstPorts);

    const secondPorts = await freePorts();
    const second = startStack({ ...portEnv(secondPorts), DATA_DIR: dataDir });
    await second.waitForOutput(/Ctrl-C stops/);
    expect(demoTokenIn(second.output())).toBeUndefined();
    expect(second.output()).toContain('already exists');
    expect(second.output()).toContain('npx tokenctl tokens create demo');
    const me = await showCurrentUser(secondPorts.port, token!);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: 'admin@demo.test' });

    const secondJava = dynamoDbLocalPid(secondPorts.dynamodbPort);
    process.kill(-second.pid, 'SIGINT');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    await expectNothingLeft(second, secondJava, secondPorts);
  },
  START_TIMEOUT_MS,
);

describe('a failed start says why, exits 1 and leaves nothing running', () => {
  function listen(port: number): Promise<Server> {
    return new Promise((done, fail) => {
      const server = createServer();
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => done(server));
    });
  }

  const closeServer = (server: Server) => new Promise<void>((done) => server.close(() => done()));

  test.each([
    ['the API port', 'port' as const],
    ['the DynamoDB port', 'dynamodbPort' as const],
  ])(
    '%s in use',
    async (_, taken) => {
      const ports = await freePorts();
      const blocker = await listen(ports[taken]);
      try {
        const stack = startStack(portEnv(ports));
        expect((await stack.exited).code).toBe(1);
        expect(stack.errors()).toContain(`Port ${ports[taken]} on 127.0.0.1 is already in use`);
        await waitUntilGroupIsGone(stack.pid);
        expect(dynamoDbLocalPid(ports.dynamodbPort)).toBeUndefined();
      } finally {
        await closeServer(blocker);
      }
    },
    START_TIMEOUT_MS,
  );

  test(
    'no Java on PATH',
    async () => {
      const ports = await freePorts();
      const stack = startStack({ ...portEnv(ports), PATH: join(tmpdir(), 'no-such-dir') });
      expect((await stack.exited).code).toBe(1);
      expect(stack.errors()).toContain('Java was not found on PATH');
      await waitUntilGroupIsGone(stack.pid);
    },
    START_TIMEOUT_MS,
  );
});
