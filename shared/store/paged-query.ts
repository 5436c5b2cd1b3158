// One cursor page of items keyed `{prefix}{padded id}`, read from one or more partitions (of the table or
// of an index) and merged in id order, between id bounds, after an optional filter — reading at most a
// window of items whatever the partitions hold. This is how every filter of the audit log costs the same
// at 5,000 entries as at 50,000 (docs/architecture.md, "Reads").
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../domain/store';
import type { DocumentTable } from './document-client';
import { guard } from './dynamo-errors';
import type { Item } from './items';
import { padId } from './keys';
import { tableDefinition, type IndexDefinition } from './table';

/** DynamoDB returns at most 1 MB per call anyway; this keeps each call's Limit in the range it accepts. */
const MAX_LIMIT_PER_CALL = 1000;

/** A FilterExpression with the names and values it uses. */
export interface Filter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** One partition to read: of the table when `index` is undefined. */
export interface PartitionSource {
  index?: IndexDefinition;
  pk: string;
}

export interface PageQuery {
  /** Read together and merged in id order; their items must be disjoint (one entry sits in one of them). */
  sources: readonly PartitionSource[];
  prefix: string;
  page: PageRequest;
  /** Strongly consistent reads (the table only: indexes are eventually consistent). */
  consistent: boolean;
  minId?: number;
  maxId?: number;
  filter?: Filter;
  /**
   * At most this many items are read (before the filter) per page, over all sources; when it runs out
   * before the page is full, the page ends early with `resumeAt`. Undefined: no bound.
   */
  window?: number;
}

interface SourceState {
  source: PartitionSource;
  /** Items kept by the filter, in scan order, not yet returned. */
  kept: Item[];
  startKey?: Record<string, unknown>;
  done: boolean;
  /** Scan position of the last item read (see `scanPosition`); everything before it has been looked at. */
  reached: number;
  nextLimit: number;
}

/**
 * Reads a page. Each source is read in scan order; an item is final once every source still open has
 * read past it, so the merge never returns an item ahead of one a slower source has yet to read. The
 * source furthest behind is read next, with a Limit that starts at what the page still needs and doubles
 * while a filter keeps few items.
 */
export async function queryPage(table: DocumentTable, query: PageQuery): Promise<Page<Item>> {
  const { page } = query;
  const forwardInOrder = page.before === undefined;
  // `after` continues in the listing's order; `before` walks back against it (and is reversed below).
  const scanDescending = forwardInOrder ? page.order === 'desc' : page.order !== 'desc';
  const cursor = page.after ?? page.before;
  let minId = query.minId ?? 0;
  let maxId = query.maxId ?? Number.MAX_SAFE_INTEGER;
  if (cursor !== undefined) {
    if (scanDescending) maxId = Math.min(maxId, cursor - 1);
    else minId = Math.max(minId, cursor + 1);
  }
  if (minId > maxId) return { items: [], hasMore: false };

  /** Positions grow in scan order, whichever way the ids run. */
  const scanPosition = (id: number) => (scanDescending ? -id : id);
  const idOf = (item: Item, index?: IndexDefinition) => Number(String(item[index?.sortKey ?? tableDefinition.sortKey]).slice(query.prefix.length));
  const wanted = page.size === undefined ? Number.POSITIVE_INFINITY : page.size + 1;
  const states: SourceState[] = query.sources.map((source) => ({
    source,
    kept: [],
    done: false,
    reached: Number.NEGATIVE_INFINITY,
    nextLimit: Math.min(MAX_LIMIT_PER_CALL, wanted),
  }));
  const window = query.window ?? Number.POSITIVE_INFINITY;
  let read = 0;

  const finalUpTo = () => Math.min(...states.filter((state) => !state.done).map((state) => state.reached));
  const finalItems = () => {
    const upTo = finalUpTo();
    return states
      .flatMap((state) => state.kept.map((item) => ({ item, position: scanPosition(idOf(item, state.source.index)) })))
      .filter((entry) => entry.position <= upTo)
      .sort((a, b) => a.position - b.position)
      .map((entry) => entry.item);
  };

  let final = finalItems();
  // Every source is read at least once, whatever the window, so that a page always moves the position on.
  const mayRead = () => read < window || states.some((state) => !state.done && state.reached === Number.NEGATIVE_INFINITY);
  while (final.length < wanted && states.some((state) => !state.done) && mayRead()) {
    const behind = states.filter((state) => !state.done).reduce((a, b) => (b.reached < a.reached ? b : a));
    const limit = Math.max(1, Math.min(behind.nextLimit, window - read));
    const { index, pk } = behind.source;
    const result = await guard(
      table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: index?.name,
          ConsistentRead: (query.consistent && !index) || undefined,
          ScanIndexForward: !scanDescending,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          FilterExpression: query.filter?.expression,
          ExpressionAttributeNames: {
            '#pk': index?.partitionKey ?? tableDefinition.partitionKey,
            '#sk': index?.sortKey ?? tableDefinition.sortKey,
            ...query.filter?.names,
          },
          ExpressionAttributeValues: { ':pk': pk, ':from': `${query.prefix}${padId(minId)}`, ':to': `${query.prefix}${padId(maxId)}`, ...query.filter?.values },
          Limit: limit,
          ExclusiveStartKey: behind.startKey,
        }),
      ),
    );
    read += result.ScannedCount ?? 0;
    behind.kept.push(...(result.Items ?? []));
    behind.startKey = result.LastEvaluatedKey;
    behind.done = result.LastEvaluatedKey === undefined;
    if (result.LastEvaluatedKey) behind.reached = scanPosition(idOf(result.LastEvaluatedKey, index));
    // A filter that kept little: read more per call next time.
    behind.nextLimit = Math.min(MAX_LIMIT_PER_CALL, (result.Items?.length ?? 0) >= limit ? limit : limit * 2);
    final = finalItems();
  }

  const full = final.length >= wanted;
  const exhausted = states.every((state) => state.done);
  const pageItems = full ? final.slice(0, page.size) : final;
  const ordered = forwardInOrder ? pageItems : pageItems.reverse();
  if (full || exhausted) return { items: ordered, hasMore: full };
  // The window ran out: everything up to the slowest source's position has been looked at.
  return { items: ordered, hasMore: true, resumeAt: Math.abs(finalUpTo()) };
}
