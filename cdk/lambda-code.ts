// Where each function's code comes from: its prebuilt bundle, `dist/<name>/index.mjs` (with its source map)
// beside `cdk/`. In this repository `npm run build` writes it (scripts/lambda-bundles.ts, the settings of
// cdk/lambda-bundle.ts); the construct library's package ships the same directory. Deploying therefore
// needs neither esbuild nor this repository's lock file, and what deploys is what the tests imported.
import { Code } from 'aws-cdk-lib/aws-lambda';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The bundles' directory: `../dist` from this module, in the repository and in the package alike. */
export const BUNDLES_DIRECTORY = join(__dirname, '..', 'dist');

/** Each bundle is an ES module exporting `handler`. */
export const BUNDLE_FILE = 'index.mjs';
export const BUNDLE_HANDLER = 'index.handler';

/** `functions/list-api-tokens.ts` → `list-api-tokens`: the bundle's directory under dist/. */
export function bundleName(entry: string): string {
  return entry.replace(/^functions\//, '').replace(/\.ts$/, '');
}

/** The asset of one function's bundle; fails synthesis, naming the file, when the bundle was never built. */
export function bundleCode(entry: string): Code {
  const directory = join(BUNDLES_DIRECTORY, bundleName(entry));
  if (!existsSync(join(directory, BUNDLE_FILE))) {
    throw new Error(`The bundle of ${entry} is missing (${join(directory, BUNDLE_FILE)}): run npm run build first`);
  }
  return Code.fromAsset(directory);
}
