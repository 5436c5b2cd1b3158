// Runs the real tokenctl binary (bin/tokenctl.cjs) against a test table, as an operator would: its exit
// status and everything it printed.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestTable } from './tables';

export const REPO_ROOT = resolve(__dirname, '../..');

export interface TokenctlRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** tokenctl with `args`, on `table`, with the environment's other settings given in `env` (undefined: unset). */
export function runTokenctl(table: Pick<TestTable, 'endpoint' | 'tableName'>, args: string[], env: Record<string, string | undefined> = {}): Promise<TokenctlRun> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DYNAMODB_ENDPOINT: table.endpoint,
    TABLE_NAME: table.tableName,
    AWS_REGION: 'us-east-1',
    ...env,
  };
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/tokenctl.cjs', ...args], { cwd: REPO_ROOT, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}
