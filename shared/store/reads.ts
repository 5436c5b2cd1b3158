// The store's simple reads: one item by key, every item of one query, and (for operators' one-off backfills
// only: no Lambda may scan) every item of the table that passes a filter.
// Cursor pages are shared/store/paged-query.ts.
import { GetCommand, QueryCommand, type QueryCommandInput, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DocumentTable } from './document-client';
import { guard } from './dynamo-errors';
import type { Item } from './items';

const QUERY_PAGE_LIMIT = 1000;

export async function getItem(table: DocumentTable, key: Item): Promise<Item | undefined> {
  const result = await guard(table.client.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true })));
  return result.Item;
}

/** The items of a query, a page (of its `Limit`) per call, following LastEvaluatedKey as far as the caller reads. */
export async function* queryItems(table: DocumentTable, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): AsyncIterable<Item> {
  let startKey: Item | undefined;
  do {
    const result = await guard(table.client.send(new QueryCommand({ TableName: table.tableName, ...input, ExclusiveStartKey: startKey })));
    yield* result.Items ?? [];
    startKey = result.LastEvaluatedKey;
  } while (startKey);
}

/** Every item of a query, following LastEvaluatedKey to the end. */
export async function queryAll(table: DocumentTable, input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of queryItems(table, { ...input, Limit: QUERY_PAGE_LIMIT })) items.push(item);
  return items;
}

/** Every item of the table that passes the filter, a page at a time, as far as the caller reads. */
export async function* scanItems(table: DocumentTable, filter: Pick<ScanCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>): AsyncIterable<Item> {
  let startKey: Item | undefined;
  do {
    const page = await table.client.send(new ScanCommand({ TableName: table.tableName, ...filter, ExclusiveStartKey: startKey }));
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
