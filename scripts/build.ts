// Bundles each Lambda entry (the authorizer and every route of the route list) with esbuild, as the
// deployed functions are built: minified ESM for Node.js 22 with source maps. Prints each bundle's size.
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { routeList } from '../shared/http/routes';
import { AUTHORIZER_ENTRY, esbuildOptions } from '../cdk/lambda-bundle';

const root = join(__dirname, '..');
const outdir = join(root, 'dist');
export const lambdaEntries = [AUTHORIZER_ENTRY, ...routeList.map((route) => route.entry)];

async function main(): Promise<void> {
  for (const entry of lambdaEntries) {
    const name = entry.replace(/^functions\//, '').replace(/\.ts$/, '');
    const outfile = join(outdir, name, 'index.mjs');
    await build(esbuildOptions(join(root, entry), outfile));
    console.log(`${name.padEnd(24)} ${(statSync(outfile).size / 1024).toFixed(1).padStart(8)} KiB`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
