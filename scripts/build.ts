// Bundles each Lambda entry (the authorizer and every route of the route list) with esbuild, as the
// deployed functions are built: minified ESM for Node.js 22 with source maps. Prints each bundle's size.
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { routeList } from '../functions/routes';

const root = join(__dirname, '..');
const outdir = join(root, 'dist');
export const lambdaEntries = ['functions/authorizer.ts', ...routeList.map((route) => route.entry)];

async function main(): Promise<void> {
  for (const entry of lambdaEntries) {
    const name = entry.replace(/^functions\//, '').replace(/\.ts$/, '');
    const outfile = join(outdir, name, 'index.mjs');
    await build({
      entryPoints: [join(root, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      minify: true,
      sourcemap: true,
      // ESM bundles of CommonJS dependencies still call require() for Node built-ins.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'warning',
    });
    console.log(`${name.padEnd(24)} ${(statSync(outfile).size / 1024).toFixed(1).padStart(8)} KiB`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
