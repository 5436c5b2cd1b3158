// The one write the operators' backfills make (audit-backfill.ts, sweep-backfill.ts): attributes set on an
// item that is still there, when it still meets the backfill's condition, without a new version (the
// record's content does not change, only the index keys it carries). A vanished or changed item is skipped.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentTable } from './document-client';
import { errorName } from './dynamo-errors';
import type { Item } from './items';
import type { AttributeChanges } from './sweep-index';
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
  const names: Record<string, string> = { '#pk': tableDefinition.partitionKey, ...condition?.names };
  const values: Record<string, unknown> = { ...condition?.values };
  const clause = (entries: [string, unknown][], form: (name: string, value: string) => string) =>
    entries.map(([attribute, value]) => {
      const index = Object.keys(names).length;
      names[`#b${index}`] = attribute;
      values[`:b${index}`] = value;
      return form(`#b${index}`, `:b${index}`);
    });
  const sets = [
    ...clause(Object.entries(attributes.set ?? {}), (name, value) => `${name} = ${value}`),
    ...clause(Object.entries(attributes.setIfAbsent ?? {}), (name, value) => `${name} = if_not_exists(${name}, ${value})`),
  ];
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { [tableDefinition.partitionKey]: item[tableDefinition.partitionKey], [tableDefinition.sortKey]: item[tableDefinition.sortKey] },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: condition ? `attribute_exists(#pk) AND ${condition.expression}` : 'attribute_exists(#pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    return false;
  }
}
