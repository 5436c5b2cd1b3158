// Builds the admin console (web/, Vite) into dist/admin-console/, the directory the local server
// (local/admin-console.ts) and the CDK stack (cdk/admin-console.ts) serve. Used by `npm run build`, the CDK
// app, the test run, the construct library's package and `npm start` (only when the build is missing or
// older than its sources).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const REPOSITORY_ROOT = join(__dirname, '..');
export const CONSOLE_SOURCE_DIRECTORY = join(REPOSITORY_ROOT, 'web');
export const CONSOLE_BUILD_DIRECTORY = join(REPOSITORY_ROOT, 'dist', 'admin-console');
const VITE_CONFIG = join(CONSOLE_SOURCE_DIRECTORY, 'vite.config.mts');
const VITE_CLI = join(REPOSITORY_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
/** What the console's bundle is made of besides web/: the shared schemas it is typed by, the pinned versions. */
const OTHER_INPUTS = [join(REPOSITORY_ROOT, 'shared'), join(REPOSITORY_ROOT, 'package-lock.json')];

function newestModification(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestModification(join(path, entry)));
  }
  return newest;
}

/** True when the build is missing or any of its inputs changed after it was written. */
export function consoleBuildIsStale(outDir: string = CONSOLE_BUILD_DIRECTORY): boolean {
  const built = join(outDir, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return [CONSOLE_SOURCE_DIRECTORY, ...OTHER_INPUTS].some((input) => newestModification(input) > builtAt);
}

/**
 * Builds into a fresh directory beside `outDir`, then swaps it in, so that a server or a synthesis reading
 * the console while it is rebuilt sees the old build or the new one, never half of one.
 */
export async function buildConsole(outDir: string = CONSOLE_BUILD_DIRECTORY): Promise<void> {
  mkdirSync(join(outDir, '..'), { recursive: true });
  const staging = `${outDir}.${process.pid}.${Date.now()}.tmp`;
  try {
    await promisify(execFile)(process.execPath, [VITE_CLI, 'build', '--config', VITE_CONFIG, '--outDir', staging, '--emptyOutDir'], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const output = error instanceof Error && 'stderr' in error ? String(error.stderr) : '';
    throw new Error(`The admin console did not build (${relative(REPOSITORY_ROOT, VITE_CONFIG)}):\n${output}`, { cause: error });
  }
  const previous = `${outDir}.${process.pid}.${Date.now()}.old`;
  if (existsSync(outDir)) renameSync(outDir, previous);
  renameSync(staging, outDir);
  rmSync(previous, { recursive: true, force: true });
}

/** Builds the console only when its build is missing or stale; true when it built. */
export async function ensureConsoleBuilt(outDir: string = CONSOLE_BUILD_DIRECTORY): Promise<boolean> {
  if (!consoleBuildIsStale(outDir)) return false;
  await buildConsole(outDir);
  return true;
}
