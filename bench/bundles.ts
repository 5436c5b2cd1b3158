// Bundles a Lambda entry with the esbuild settings of the deployed functions (cdk/lambda-bundle.ts,
// which scripts/build.ts and CDK read too), and breaks a bundle down by package from esbuild's metafile.
import { build, type Metafile } from 'esbuild';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { esbuildOptions } from '../cdk/lambda-bundle';

/** Metafile paths are relative to this: `node_modules/…`, `shared/…`, `functions/…`. */
const REPO_ROOT = join(__dirname, '..');

export interface Bundle {
  file: string;
  bytes: number;
  /** Bytes in the output per package (`@scope/name`, `name`, or the project folder for our own code). */
  byPackage: Record<string, number>;
}

export async function bundleLambda(entry: string, outdir: string, name: string): Promise<Bundle> {
  const file = join(outdir, name, 'index.mjs');
  const result = await build({ ...esbuildOptions(entry, file), absWorkingDir: REPO_ROOT, metafile: true });
  return { file, bytes: statSync(file).size, byPackage: bytesByPackage(result.metafile) };
}

/** `node_modules/@aws-sdk/client-dynamodb/dist-es/…` → `@aws-sdk/client-dynamodb`; `shared/x.ts` → `shared/`. */
export function packageOf(inputPath: string): string {
  const marker = 'node_modules/';
  const at = inputPath.lastIndexOf(marker);
  if (at < 0) {
    const slash = inputPath.indexOf('/');
    return slash < 0 ? inputPath : `${inputPath.slice(0, slash + 1)}`;
  }
  const [first = '', second = ''] = inputPath.slice(at + marker.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

function bytesByPackage(metafile: Metafile): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      totals[name] = (totals[name] ?? 0) + bytesInOutput;
    }
  }
  return totals;
}

/** Packages by how many more bytes `bundle` holds than `baseline`, largest first. */
export function beyondBaseline(bundle: Bundle, baseline: Bundle): { package: string; bytes: number }[] {
  return Object.entries(bundle.byPackage)
    .map(([name, bytes]) => ({ package: name, bytes: bytes - (baseline.byPackage[name] ?? 0) }))
    .filter((entry) => entry.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}
