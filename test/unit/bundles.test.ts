// The deployed bundles (the shared esbuild settings of cdk/lambda-bundle.ts): the authorizer's stays within
// its size budget and holds no X-Ray SDK (it is not traced, docs/decisions.md), while a handler's carries the
// tracer; neither holds `bowser`, which the SDK imports only in browsers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bundle, bundleLambda } from '../../bench/bundles';
import { AUTHORIZER_ENTRY } from '../../cdk/lambda-bundle';
import { routes } from '../../shared/http/routes';

/** The authorizer's budget: what it weighed before tracing came to the handlers (docs/bench.md). */
const AUTHORIZER_MAX_BYTES = 579 * 1024;
const TRACING_PACKAGES = ['@aws-lambda-powertools/tracer', 'aws-xray-sdk-core', 'cls-hooked'];

let outdir: string;
let authorizer: Bundle;
let handler: Bundle;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'bundles-'));
  authorizer = await bundleLambda(AUTHORIZER_ENTRY, outdir, 'authorizer');
  handler = await bundleLambda(routes.showCurrentUser.entry, outdir, 'show-current-user');
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const packagesOf = (bundle: Bundle) => Object.keys(bundle.byPackage);

test('the authorizer bundle stays within its budget and is not traced', () => {
  expect(authorizer.bytes).toBeLessThanOrEqual(AUTHORIZER_MAX_BYTES);
  expect(packagesOf(authorizer).filter((name) => TRACING_PACKAGES.includes(name))).toEqual([]);
});

test("a handler's bundle carries the tracer", () => {
  expect(packagesOf(handler)).toEqual(expect.arrayContaining(TRACING_PACKAGES));
});

test('no bundle holds bowser, the browser user-agent parser', () => {
  expect(packagesOf(authorizer)).not.toContain('bowser');
  expect(packagesOf(handler)).not.toContain('bowser');
});
