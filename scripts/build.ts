// `npm run build`: bundles every Lambda entry as the deployed functions are built (scripts/lambda-bundles.ts)
// and prints each bundle's size; `--quiet` prints nothing (the CDK app builds this way before it synthesizes).
import { buildLambdaBundles } from './lambda-bundles';

async function main(): Promise<void> {
  const bundles = await buildLambdaBundles();
  if (process.argv.includes('--quiet')) return;
  for (const { name, bytes } of bundles) console.log(`${name.padEnd(24)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
