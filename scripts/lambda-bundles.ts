// Bundles every Lambda entry (the authorizer, every route of the route list, the token sweep) with esbuild, as they deploy:
// the settings of cdk/lambda-bundle.ts, into the directories cdk/lambda-code.ts deploys from. Used by
// `npm run build`, the CDK app (cdk.json), the test run and the construct library's package.
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AUTHORIZER_ENTRY, esbuildOptions, SWEEP_ENTRY } from '../cdk/lambda-bundle';
import { BUNDLE_FILE, BUNDLES_DIRECTORY, bundleName } from '../cdk/lambda-code';
import { routeList } from '../shared/http/routes';

const REPOSITORY_ROOT = join(__dirname, '..');

export const lambdaEntries = [AUTHORIZER_ENTRY, ...routeList.map((route) => route.entry), SWEEP_ENTRY];

export interface BuiltBundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
}

/**
 * Writes a file by renaming a complete copy over it: a synthesis reading the bundles while they are rebuilt
 * (the test run builds them while a `cdk synth` may) sees the old file or the new one, never half of one.
 */
function replaceFile(path: string, contents: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/** Builds every bundle into `outdir/<name>/index.mjs` (and its source map), replacing what was there. */
export async function buildLambdaBundles(outdir: string = BUNDLES_DIRECTORY): Promise<BuiltBundle[]> {
  return Promise.all(
    lambdaEntries.map(async (entry) => {
      const name = bundleName(entry);
      const file = join(outdir, name, BUNDLE_FILE);
      const { outputFiles } = await build({ ...esbuildOptions(join(REPOSITORY_ROOT, entry), file), write: false });
      for (const output of outputFiles) replaceFile(output.path, output.contents);
      const bundle = outputFiles.find((output) => output.path === file);
      if (!bundle) throw new Error(`esbuild wrote no ${file}`);
      return { name, file, bytes: bundle.contents.byteLength };
    }),
  );
}
