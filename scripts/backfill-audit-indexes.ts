// Gives audit entries written before the audit indexes their index keys (`npm run backfill:audit-indexes`),
// on the table of TABLE_NAME (and DYNAMODB_ENDPOINT, AWS_REGION), with the operator's AWS credentials.
// Safe to run again: entries that have their keys are left alone.
import { loadConfig } from '../shared/platform/config';
import { backfillAuditIndexes } from '../shared/store/audit-backfill';
import { createDocumentClient } from '../shared/store/document-client';

async function main(): Promise<void> {
  const config = loadConfig();
  const result = await backfillAuditIndexes({ client: createDocumentClient(config), tableName: config.tableName });
  console.log(`${config.tableName}: ${result.scanned} audit entries looked at, ${result.updated} given their index keys`);
}

main().catch((error: unknown) => {
  console.error(`backfill failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
