// The one write the operators' backfills make (audit-backfill.ts, sweep-backfill.ts): attributes set on an
// item that is still there, when it still meets the backfill's condition, without a new version (the
// record's content does not change, only the index keys it carries). A vanished or changed item is skipped.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentTable } from './document-client';
import { errorName } from './dynamo-errors';
import type { Item } from './items';
import { type AttributeChanges, updateClauses } from './update-expressions';
import { tableDefinition } from './table';

export interface BackfillResult {
  /** Items looked at. */
  scanned: number;
  /** Items given their index keys. */
  updated: number;
}

/** A condition on the item beside its existence, with its own names and values. */
export interface BackfillCondition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/** Sets (or, `setIfAbsent`, keeps when present) the attributes on the item; false when it is gone or fails `condition`. */
export async function backfillAttributes(table: DocumentTable, item: Item, attributes: AttributeChanges, condition?: BackfillCondition): Promise<boolean> {
  const { sets, names, values } = updateClauses({ set: attributes.set, setIfAbsent: attributes.setIfAbsent });
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { [tableDefinition.partitionKey]: item[tableDefinition.partitionKey], [tableDefinition.sortKey]: item[tableDefinition.sortKey] },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: condition ? `attribute_exists(#pk) AND ${condition.expression}` : 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': tableDefinition.partitionKey, ...condition?.names, ...names },
        ExpressionAttributeValues: { ...condition?.values, ...values },
      }),
    );
    return true;
  } catch (error) {
    if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    return false;
  }
}
