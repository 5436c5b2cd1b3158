// `npm run build`: bundles every Lambda entry as the deployed functions are built (scripts/lambda-bundles.ts),
// builds the admin console (scripts/console-build.ts),
// and prints each bundle's size; `--quiet` prints nothing (the CDK app builds this way before it synthesizes).
import { buildLambdaBundles } from './lambda-bundles';
import { buildConsole } from './console-build';

async function main(): Promise<void> {
  const [bundles] = await Promise.all([buildLambdaBundles(), buildConsole()]);
  if (process.argv.includes('--quiet')) return;
  for (const { name, bytes } of bundles) console.log(`${name.padEnd(24)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
