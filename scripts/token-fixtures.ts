// Many tokens at once, for the browser tests, the screenshots and the console benchmark: written straight
// to the table with BatchWriteItem of the store's own item mapping (shared/store/items.ts), so the items
// are those the product writes, and the account's token count raised by as many in one update. A
// thousand tokens take well under a second this way, against one transaction each through the API.
// No audit entries are written: these stand for tokens made long ago.
import { BatchWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccountService } from '../shared/domain/account-service';
import { newId } from '../shared/domain/ids';
import { OPERATOR_ACTOR_ID, type ApiToken, type AuditEntry } from '../shared/domain/model';
import { generateToken } from '../shared/domain/token-format';
import { accountKey } from '../shared/store/keys';
import { auditItem, tokenItem, type Item } from '../shared/store/items';

export interface FixtureTable {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  accounts: AccountService;
}

const BATCH_SIZE = 25;
const BATCHES_IN_FLIGHT = 8;

async function batchWrite(table: FixtureTable, items: Item[]): Promise<void> {
  const batches: Item[][] = [];
  for (let start = 0; start < items.length; start += BATCH_SIZE) batches.push(items.slice(start, start + BATCH_SIZE));
  const write = async (batch: Item[]) => {
    let requests = batch.map((item) => ({ PutRequest: { Item: item } }));
    while (requests.length > 0) {
      const result = await table.documentClient.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: requests } }));
      requests = (result.UnprocessedItems?.[table.tableName] ?? []) as typeof requests;
    }
  };
  for (let start = 0; start < batches.length; start += BATCHES_IN_FLIGHT) await Promise.all(batches.slice(start, start + BATCHES_IN_FLIGHT).map(write));
}

export interface TokenSeed {
  description: string | null;
  active?: boolean;
  /** Default: now. */
  createdAt?: Date;
  lastUsedAt?: Date | null;
  /** A user id of the account; the operator by default. */
  createdBy?: number;
  /** When an inactive token was deactivated; default: not recorded (its last change stands for it). */
  deactivatedAt?: Date;
  /** A token rotated with a grace: its successor's id, and the end of its grace (its expiry). */
  rotated?: { to: number; graceEndsAt: Date };
}

export interface SeededToken {
  apiToken: ApiToken;
  /** The full token, as its creator would have received it. */
  token: string;
}

/** Writes the tokens into the account and raises its token count by as many; refuses to pass its limit. */
export async function seedTokens(table: FixtureTable, accountId: string, seeds: TokenSeed[]): Promise<SeededToken[]> {
  const account = await table.accounts.getAccount(accountId);
  if (account.tokenCount + seeds.length > account.tokenLimit) {
    throw new Error(`seedTokens: ${seeds.length} more tokens would pass ${accountId}'s limit of ${account.tokenLimit} (it has ${account.tokenCount})`);
  }
  const taken = new Set<number>();
  const seeded = seeds.map((seed): SeededToken => {
    const createdAt = seed.createdAt ?? new Date();
    let tokenId = newId(createdAt.getTime());
    while (taken.has(tokenId)) tokenId = newId(createdAt.getTime());
    taken.add(tokenId);
    const { token, secretHash, visibleToken } = generateToken(accountId, tokenId);
    const timestamp = createdAt.toISOString();
    const apiToken: ApiToken = {
      accountId,
      tokenId,
      description: seed.description,
      active: seed.active ?? true,
      secretHash,
      visibleToken,
      createdBy: seed.createdBy ?? OPERATOR_ACTOR_ID,
      createdAt: timestamp,
      updatedAt: timestamp,
      lastUsedAt: seed.lastUsedAt ? seed.lastUsedAt.toISOString() : null,
      ...(seed.deactivatedAt ? { deactivatedAt: seed.deactivatedAt.toISOString() } : {}),
      ...(seed.rotated ? { rotatedTo: seed.rotated.to, policy: { expiresAt: seed.rotated.graceEndsAt.toISOString() } } : {}),
      version: 1,
    };
    return { apiToken, token };
  });
  // The item mapping leaves the last use out (the authorizer writes it); a seeded one is put back.
  await batchWrite(table, seeded.map(({ apiToken }) => ({ ...tokenItem(apiToken), lastUsedAt: apiToken.lastUsedAt ?? undefined })));
  await table.documentClient.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: accountKey(accountId),
      UpdateExpression: 'ADD tokenCount :added, version :one',
      ExpressionAttributeValues: { ':added': seeds.length, ':one': 1 },
    }),
  );
  return seeded;
}

/** `count` tokens described `${prefix} ${n}` (n from 1), created a minute apart, oldest first, ending an hour ago. */
export function tokenSeeds(count: number, prefix: string, shape: (index: number) => Partial<TokenSeed> = () => ({})): TokenSeed[] {
  const start = Date.now() - (count + 60) * 60_000;
  return Array.from({ length: count }, (_, index) => ({
    description: `${prefix} ${index + 1}`,
    createdAt: new Date(start + index * 60_000),
    ...shape(index),
  }));
}

/** Writes audit entries as they are; an entry without an id gets one from its time, as the product makes them. */
export async function seedAuditEntries(table: FixtureTable, entries: (Omit<AuditEntry, 'auditId'> & { auditId?: number })[]): Promise<AuditEntry[]> {
  const complete = entries.map((entry): AuditEntry => ({ ...entry, auditId: entry.auditId ?? newId(Date.parse(entry.createdAt)) }));
  await batchWrite(table, complete.map(auditItem));
  return complete;
}
