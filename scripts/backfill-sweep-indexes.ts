// Gives tokens written before the token sweep's indexes their index attributes, and accounts with an
// inactivity or retention setting their place in the accounts-to-sweep index (`npm run backfill:sweep-indexes`),
// on the table of TABLE_NAME (and DYNAMODB_ENDPOINT, AWS_REGION), with the operator's AWS credentials.
// Safe to run again: items that have their attributes are left alone.
import { loadConfig } from '../shared/platform/config';
import { createDocumentClient } from '../shared/store/document-client';
import { backfillSweepIndexes } from '../shared/store/sweep-backfill';

async function main(): Promise<void> {
  const config = loadConfig();
  const result = await backfillSweepIndexes({ client: createDocumentClient(config), tableName: config.tableName });
  console.log(`${config.tableName}: ${result.scanned} tokens and accounts looked at, ${result.updated} given their sweep index attributes`);
}

main().catch((error: unknown) => {
  console.error(`backfill failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
