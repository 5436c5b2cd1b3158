// Gives audit entries written before the audit indexes existed (docs/decisions.md, 2026-12-02) the index
// keys `auditItem` writes today, so that every filter finds them. One pass over the table's audit items;
// an entry that already has its keys is left alone, one removed meanwhile (TTL) is not brought back.
// An operator's one-off (scripts/backfill-audit-indexes.ts): it scans, which no Lambda may do.
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentTable } from './document-client';
import { errorName } from './dynamo-errors';
import { auditItem, toAuditEntry, type Item } from './items';
import { auditIndexes, tableDefinition } from './table';

export interface BackfillResult {
  /** Audit entries looked at. */
  scanned: number;
  /** Entries given their index keys. */
  updated: number;
}

/** The index keys an entry should carry that it lacks (or holds with another value). */
function missingKeys(item: Item): Record<string, unknown> {
  const wanted = auditItem(toAuditEntry(item));
  const keys = Object.values(auditIndexes).flatMap((index) => [index.partitionKey, index.sortKey]);
  return Object.fromEntries(keys.filter((key) => wanted[key] !== undefined && item[key] !== wanted[key]).map((key) => [key, wanted[key]]));
}

export async function backfillAuditIndexes(table: DocumentTable): Promise<BackfillResult> {
  const result: BackfillResult = { scanned: 0, updated: 0 };
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: '#type = :audit',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':audit': 'audit' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      result.scanned += 1;
      const keys = missingKeys(item);
      if (Object.keys(keys).length === 0) continue;
      const names = Object.fromEntries(Object.keys(keys).map((key, index) => [`#k${index}`, key]));
      const values = Object.fromEntries(Object.values(keys).map((value, index) => [`:k${index}`, value]));
      try {
        await table.client.send(
          new UpdateCommand({
            TableName: table.tableName,
            Key: { [tableDefinition.partitionKey]: item[tableDefinition.partitionKey], [tableDefinition.sortKey]: item[tableDefinition.sortKey] },
            UpdateExpression: `SET ${Object.keys(names).map((name, index) => `${name} = :k${index}`).join(', ')}`,
            ConditionExpression: 'attribute_exists(#pk)',
            ExpressionAttributeNames: { ...names, '#pk': tableDefinition.partitionKey },
            ExpressionAttributeValues: values,
          }),
        );
        result.updated += 1;
      } catch (error) {
        if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return result;
}
