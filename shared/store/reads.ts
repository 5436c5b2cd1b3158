// The store's reads: one item by key, and the items of one partition (or of the source index) — all of them,
// or one cursor page in id order, with the cursor and page maths.
import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../domain/store';
import type { DocumentTable } from './document-client';
import { guard } from './dynamo-errors';
import type { Item } from './items';
import { padId } from './keys';
import { tableDefinition } from './table';

const QUERY_PAGE_LIMIT = 1000;

/** A FilterExpression with the names and values it uses. */
export interface Filter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

export async function getItem(table: DocumentTable, key: Item): Promise<Item | undefined> {
  const result = await guard(table.client.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true })));
  return result.Item;
}

/** Follows LastEvaluatedKey until `limit` items (after any filter) or the end. */
export async function queryAll(table: DocumentTable, input: Omit<QueryCommandInput, 'TableName'>, limit?: number): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    // With a filter, DynamoDB's Limit counts items read, not items kept: read full pages then.
    const wanted = limit === undefined || input.FilterExpression ? QUERY_PAGE_LIMIT : Math.min(QUERY_PAGE_LIMIT, limit - items.length);
    const result = await guard(
      table.client.send(new QueryCommand({ TableName: table.tableName, ...input, Limit: wanted, ExclusiveStartKey: startKey })),
    );
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
  } while (startKey && (limit === undefined || items.length < limit));
  return limit === undefined ? items : items.slice(0, limit);
}

export interface PageQuery {
  pk: string;
  /** The source index; the table when undefined. */
  index?: string;
  prefix: string;
  page: PageRequest;
  consistent: boolean;
  minId?: number;
  maxId?: number;
  filter?: Filter;
}

/**
 * One page of items whose sort key is `{prefix}{padded id}`, in id order, between optional id bounds,
 * after an optional filter. Fetches one item more than the page to know whether more exist.
 */
export async function queryPage(table: DocumentTable, query: PageQuery): Promise<Page<Item>> {
  const { page } = query;
  const descending = page.order === 'desc';
  let minId = query.minId ?? 0;
  let maxId = query.maxId ?? Number.MAX_SAFE_INTEGER;
  // `after` continues in the listing's order; `before` walks back against it (and is reversed below).
  const cursor = page.after ?? page.before;
  const forwardInOrder = page.before === undefined;
  const scanDescending = forwardInOrder ? descending : !descending;
  if (cursor !== undefined) {
    if (scanDescending) maxId = Math.min(maxId, cursor - 1);
    else minId = Math.max(minId, cursor + 1);
  }
  if (minId > maxId) return { items: [], hasMore: false };
  const sortKey = query.index ? tableDefinition.sourceIndex.sortKey : tableDefinition.sortKey;
  const partitionKey = query.index ? tableDefinition.sourceIndex.partitionKey : tableDefinition.partitionKey;
  const items = await queryAll(
    table,
    {
      IndexName: query.index,
      ConsistentRead: query.consistent || undefined,
      ScanIndexForward: !scanDescending,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      FilterExpression: query.filter?.expression,
      ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey, ...query.filter?.names },
      ExpressionAttributeValues: {
        ':pk': query.pk,
        ':from': `${query.prefix}${padId(minId)}`,
        ':to': `${query.prefix}${padId(maxId)}`,
        ...query.filter?.values,
      },
    },
    page.size === undefined ? undefined : page.size + 1,
  );
  const hasMore = page.size !== undefined && items.length > page.size;
  const pageItems = hasMore ? items.slice(0, page.size) : items;
  return { items: forwardInOrder ? pageItems : pageItems.reverse(), hasMore };
}
