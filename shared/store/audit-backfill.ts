// Gives audit entries written before the audit indexes existed (docs/decisions.md, 2026-12-02) the index
// keys `auditItem` writes today, so that every filter finds them. One pass over the table's audit items;
// an entry that already has its keys is left alone, one removed meanwhile (TTL) is not brought back.
// An operator's one-off (scripts/backfill-audit-indexes.ts): it scans, which no Lambda may do.
import type { DocumentTable } from './document-client';
import { backfillAttributes, type BackfillResult } from './backfill-update';
import { auditItem, toAuditEntry, type Item } from './items';
import { scanItems } from './reads';
import { auditIndexes } from './table';

export type { BackfillResult };

/** The index keys an entry should carry that it lacks (or holds with another value). */
function missingKeys(item: Item): Record<string, unknown> {
  const wanted = auditItem(toAuditEntry(item));
  const keys = Object.values(auditIndexes).flatMap((index) => [index.partitionKey, index.sortKey]);
  return Object.fromEntries(keys.filter((key) => wanted[key] !== undefined && item[key] !== wanted[key]).map((key) => [key, wanted[key]]));
}

export async function backfillAuditIndexes(table: DocumentTable): Promise<BackfillResult> {
  const result: BackfillResult = { scanned: 0, updated: 0 };
  const audits = scanItems(table, { FilterExpression: '#type = :audit', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':audit': 'audit' } });
  for await (const item of audits) {
    result.scanned += 1;
    const keys = missingKeys(item);
    if (Object.keys(keys).length > 0 && (await backfillAttributes(table, item, { set: keys }))) result.updated += 1;
  }
  return result;
}
