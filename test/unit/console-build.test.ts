// The admin console's build (scripts/console-build.ts): `npm start` builds it only when it is missing or
// older than its sources, and a rebuild replaces the whole directory at once.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleBuildIsStale, ensureConsoleBuilt } from '../../scripts/console-build';

let parent: string;
let outDir: string;

beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'console-build-'));
  outDir = join(parent, 'admin-console');
});

afterAll(() => rmSync(parent, { recursive: true, force: true }));

test('a missing build is built, then left alone while it is newer than its sources, rebuilt once it is older', async () => {
  expect(consoleBuildIsStale(outDir)).toBe(true);
  await expect(ensureConsoleBuilt(outDir)).resolves.toBe(true);
  const index = readFileSync(join(outDir, 'index.html'), 'utf8');
  // The page loads its script from under /admin/, as a file (the CSP forbids inline script).
  expect(index).toMatch(/<script type="module" crossorigin src="\/admin\/assets\/[\w-]+\.js"><\/script>/);
  expect(readdirSync(join(outDir, 'assets')).some((file) => file.endsWith('.js'))).toBe(true);

  expect(consoleBuildIsStale(outDir)).toBe(false);
  await expect(ensureConsoleBuilt(outDir)).resolves.toBe(false);

  // As if web/ had been edited after the build.
  const longAgo = new Date('2020-01-01T00:00:00Z');
  utimesSync(join(outDir, 'index.html'), longAgo, longAgo);
  expect(consoleBuildIsStale(outDir)).toBe(true);
  await expect(ensureConsoleBuilt(outDir)).resolves.toBe(true);
  expect(consoleBuildIsStale(outDir)).toBe(false);
  // Nothing of the staging directories is left beside the build.
  expect(readdirSync(parent)).toEqual(['admin-console']);
  expect(existsSync(join(outDir, 'index.html'))).toBe(true);
}, 120_000);
