// DynamoDB adapter of SweepStore: the token sweep's reads of its three sparse, keys-only indexes
// (table.ts, sweep-index.ts), a page of keys at a time, and the two writes the token store has no form of:
// deactivating a token only while it is still unused, and deleting a token rotated with a grace, active or
// not. The sweep reads every token again by key (DynamoTokenStore.getToken) before it acts, so a stale
// index entry costs a read, never a wrong change.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiToken, AuditEntry } from '../domain/model';
import type { SweepStore, TokenKey } from '../domain/store';
import type { DocumentTable } from './document-client';
import type { Item } from './items';
import { accountIdOf, accountPk, tokenIdOf, tokenKey } from './keys';
import { queryItems } from './reads';
import { LAST_USED_ATTRIBUTE } from './authorization-store';
import { activeChangeAttributes, activityPartition, deactivatedPartition, ROTATED_PARTITION, SWEEP_ACCOUNTS_PARTITION } from './sweep-index';
import { type IndexDefinition, sweepIndexes, tableDefinition } from './table';
import { putAudit, releaseTokenSlot, staleOrMissing, transact, updateVersioned, versionedDelete } from './transactions';

/** Keys per Query call: a run acts on a bounded number of tokens anyway (token-sweep.ts). */
export const SWEEP_PAGE_SIZE = 100;

/** One index partition, sorted key below a bound (`<`, or `<=`), optionally of one account. */
interface IndexRange {
  index: IndexDefinition;
  partition: string;
  below?: { value: string; inclusive: boolean };
  accountId?: string;
}

/** Only a token rotated with a grace is deleted whatever its `active`. */
const ONLY_ROTATED = { expression: 'attribute_exists(rotatedTo)', values: {} };

const tokenKeyOf = (item: Item): TokenKey => ({ accountId: accountIdOf(String(item.PK)), tokenId: tokenIdOf(String(item.SK)) });

export class DynamoSweepStore implements SweepStore {
  private readonly table: DocumentTable;

  constructor(client: DynamoDBDocumentClient, private readonly tableName: string) {
    this.table = { client, tableName };
  }

  async *accountsToSweep(): AsyncIterable<string> {
    for await (const item of this.keysIn({ index: sweepIndexes.accounts, partition: SWEEP_ACCOUNTS_PARTITION })) yield accountIdOf(String(item.PK));
  }

  async *inactiveTokens(accountId: string, before: string): AsyncIterable<TokenKey> {
    const range = { index: sweepIndexes.activity, partition: activityPartition(accountId), below: { value: before, inclusive: false } };
    for await (const item of this.keysIn(range)) yield tokenKeyOf(item);
  }

  async *deactivatedTokens(accountId: string, before: string): AsyncIterable<TokenKey> {
    const range = { index: sweepIndexes.due, partition: deactivatedPartition(accountId), below: { value: before, inclusive: false } };
    for await (const item of this.keysIn(range)) yield tokenKeyOf(item);
  }

  async *rotatedTokens(by: string, accountId?: string): AsyncIterable<TokenKey> {
    const range = { index: sweepIndexes.due, partition: ROTATED_PARTITION, below: { value: by, inclusive: true }, accountId };
    for await (const item of this.keysIn(range)) yield tokenKeyOf(item);
  }

  async deactivateUnusedToken(token: ApiToken, unusedBefore: string, updatedAt: string, audit: AuditEntry): Promise<void> {
    const change = {
      key: tokenKey(token.accountId, token.tokenId),
      expectedVersion: token.version,
      changes: { active: false },
      updatedAt,
      also: activeChangeAttributes(token, false, updatedAt),
      condition: {
        expression: '(attribute_not_exists(#lastUsedAt) OR #lastUsedAt < :unusedBefore)',
        names: { '#lastUsedAt': LAST_USED_ATTRIBUTE },
        values: { ':unusedBefore': unusedBefore },
      },
    };
    await updateVersioned(this.table, change, [audit]);
  }

  async deleteRotatedToken(token: ApiToken, audit: AuditEntry): Promise<void> {
    await transact(
      this.table,
      [
        versionedDelete(this.tableName, tokenKey(token.accountId, token.tokenId), token.version, ONLY_ROTATED),
        releaseTokenSlot(this.tableName, token.accountId),
        putAudit(this.tableName, audit),
      ],
      staleOrMissing,
    );
  }

  /** The keys of one index range, oldest first, a page per Query call, read only as far as the caller goes. */
  private async *keysIn({ index, partition, below, accountId }: IndexRange): AsyncIterable<Item> {
    const names: Record<string, string> = { '#pk': index.partitionKey };
    const values: Item = { ':pk': partition };
    let keyCondition = '#pk = :pk';
    if (below) {
      Object.assign(names, { '#sk': index.sortKey });
      Object.assign(values, { ':below': below.value });
      keyCondition += ` AND #sk ${below.inclusive ? '<=' : '<'} :below`;
    }
    // Rotated tokens of every account share a partition: one account's are a filter on the table's key.
    if (accountId !== undefined) {
      Object.assign(names, { '#tablePk': tableDefinition.partitionKey });
      Object.assign(values, { ':tablePk': accountPk(accountId) });
    }
    yield* queryItems(this.table, {
      IndexName: index.name,
      KeyConditionExpression: keyCondition,
      FilterExpression: accountId === undefined ? undefined : '#tablePk = :tablePk',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: SWEEP_PAGE_SIZE,
    });
  }
}
