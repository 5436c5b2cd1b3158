// Every file of the API test run (test/api) runs under this guard. The product logs at DEBUG; everything
// the process writes to stdout or stderr while the file runs, and every line the emulator logs, is
// captured; the file fails if any of it holds a full token or an Authorization value. Captured stdout is
// not echoed (it is the product's request-by-request logging). test/security/no-secrets-in-logs.test.ts
// proves the same for a scenario built to provoke every failure path, with a control that it can fail.

const FULL_TOKEN = /apit_[a-z0-9]{3,32}_[0-9]{1,16}_[0-9A-Za-z]{36}/;
const AUTHORIZATION_VALUE = /Basic\s+[A-Za-z0-9+/]{16,}={0,2}/;

const captured: string[] = [];

/** Lines logged elsewhere than stdout/stderr (the in-process emulator's), checked the same way. */
export function recordLogLine(line: string): void {
  captured.push(line);
}

export function secretsIn(text: string): string[] {
  return [FULL_TOKEN, AUTHORIZATION_VALUE].flatMap((pattern) => (pattern.test(text) ? [pattern.source] : []));
}

const testPath = expect.getState().testPath ?? '';
if (/[\\/]test[\\/]api[\\/]/.test(testPath)) {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  const originalStdout = process.stdout.write.bind(process.stdout);
  const originalStderr = process.stderr.write.bind(process.stderr);
  const text = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  process.stdout.write = ((chunk: string | Uint8Array) => (captured.push(text(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    captured.push(text(chunk));
    return (originalStderr as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;

  afterAll(() => {
    process.stdout.write = originalStdout;
    process.stderr.write = originalStderr;
    const leaks = captured.filter((line) => secretsIn(line).length > 0);
    if (leaks.length > 0) throw new Error(`secrets in the log output of ${testPath}:\n${leaks.map((line) => line.slice(0, 300)).join('\n')}`);
  });
}
