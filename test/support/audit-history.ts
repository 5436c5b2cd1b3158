// A long audit history in seconds, for tests of reads over it: entries built in the stored shape and written
// straight to the table (BatchWriteItem of the store's own items, 25 a call, several calls at once), with
// ids and times set by the test; and a counter of the items each read evaluates (the Query calls'
// ScannedCount), to check what a page costs.
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClient } from '../../local/dynamodb-local';
import { firstIdAt } from '../../shared/domain/ids';
import type { AuditEntry } from '../../shared/domain/model';
import { documentClientOver } from '../../shared/store/document-client';
import { auditItem } from '../../shared/store/items';
import type { TestTable } from './tables';

const BATCH = 25;
const CONCURRENT_BATCHES = 8;

/** The first entry's time when a test does not say: well before any entry written through the product. */
export const HISTORY_START = Date.UTC(2025, 0, 1);

/**
 * An entry of `accountId` at `at` (epoch ms), its id the first of that millisecond: a history written at
 * distinct milliseconds has distinct ids in time order. An update of an API token by an operator unless told.
 */
export function historicEntry(accountId: string, at: number, fields: Partial<AuditEntry> = {}): AuditEntry {
  return {
    accountId,
    auditId: firstIdAt(at),
    action: 'update',
    event: 'api_token.description_changed',
    actorId: -1,
    actorName: 'Operator',
    actorApiTokenId: null,
    sourceType: 'api_token',
    sourceId: '1',
    sourceLabel: 'API token',
    changeDescription: 'Description changed',
    ipAddress: null,
    userAgent: 'jest',
    createdAt: new Date(at).toISOString(),
    ...fields,
  };
}

/**
 * Writes the entries as the store stores them (every index key included), in batches, several at once,
 * with a client of its own: the product's gives each call 1.5 s, less than a busy DynamoDB Local may take.
 */
export async function writeAuditHistory(table: Pick<TestTable, 'endpoint' | 'tableName'>, entries: readonly AuditEntry[]): Promise<void> {
  const client = documentClientOver(localClient(table.endpoint));
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < entries.length; start += BATCH) batches.push(entries.slice(start, start + BATCH).map(auditItem));
  const writeBatch = async (items: Record<string, unknown>[]) => {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: requests } }));
      requests = (result.UnprocessedItems?.[table.tableName] ?? []) as typeof requests;
    }
  };
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < batches.length; index = next++) await writeBatch(batches[index]!);
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENT_BATCHES }, worker));
  } finally {
    client.destroy();
  }
}

export interface ReadCounter {
  /** Items the Query calls evaluated since the last reset (ScannedCount: before any filter). */
  scanned: number;
  queries: number;
  reset(): void;
  detach(): void;
}

/** Sums the ScannedCount of every Query the client sends. */
export function countReads(client: DynamoDBDocumentClient, name: string): ReadCounter {
  const counter: ReadCounter = {
    scanned: 0,
    queries: 0,
    reset: () => {
      counter.scanned = 0;
      counter.queries = 0;
    },
    detach: () => void client.middlewareStack.remove(name),
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'QueryCommand') {
        counter.queries += 1;
        counter.scanned += (result.output as { ScannedCount?: number }).ScannedCount ?? 0;
      }
      return result;
    },
    { step: 'initialize', name },
  );
  return counter;
}
