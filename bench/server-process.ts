// A server the benchmark runs in a child process (`node --import tsx <script>`), so that the load it
// serves does not share the benchmark's event loop: started with the benchmark's environment, ready when
// it prints its marker line (followed by JSON), stopped by closing its stdin (SIGKILL if it lingers),
// at teardown or when the benchmark exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const REPO_ROOT = join(__dirname, '..');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

export interface ServerProcess {
  /** What `script` is, for messages and the teardown's list. */
  name: string;
  /** Path of the script, relative to bench/. */
  script: string;
  marker: string;
  env: NodeJS.ProcessEnv;
  onCleanup: (name: string, step: () => Promise<void>) => void;
}

function waitForReady<T>(child: ChildProcess, server: ServerProcess): Promise<T> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the ${server.name} did not start within ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS);
    child.once('exit', (code) => fail(new Error(`the ${server.name} process exited (${code}) before it was ready:\n${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith(server.marker)) return;
      clearTimeout(timer);
      done(JSON.parse(line.slice(server.marker.length)) as T);
    });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
}

/** Starts the server and resolves with what its ready line says. */
export async function startServerProcess<T>(server: ServerProcess): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, server.script)], {
    cwd: REPO_ROOT,
    env: server.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stop = stopper(child);
  server.onCleanup(`${server.name} process`, stop);
  try {
    return await waitForReady<T>(child, server);
  } catch (error) {
    await stop();
    throw error;
  }
}
