// The backfill of the sweep's indexes against the real engine: tokens and an account written before the
// indexes existed (their items without the attributes) are found by no sweep; after the backfill the sweep
// finds exactly the due ones, a use the authorizer recorded meanwhile is kept, and a second run changes nothing.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { AccountService } from '../../shared/domain/account-service';
import { operatorContext } from '../../shared/domain/audit-entries';
import { TokenSweepService } from '../../shared/domain/token-sweep';
import { DynamoAuthorizationStore } from '../../shared/store/authorization-store';
import { createDynamoDbClient } from '../../shared/store/dynamodb-client';
import { accountItem, tokenItem, type Item } from '../../shared/store/items';
import {
  ACTIVITY_AT_ATTRIBUTE,
  ACTIVITY_PARTITION_ATTRIBUTE,
  DUE_AT_ATTRIBUTE,
  DUE_PARTITION_ATTRIBUTE,
  SWEEP_ACCOUNT_ATTRIBUTE,
} from '../../shared/store/sweep-index';
import { backfillSweepIndexes } from '../../shared/store/sweep-backfill';
import { DynamoSweepStore } from '../../shared/store/sweep-queries';
import { seedTokens } from '../../scripts/token-fixtures';
import { accountPartition, createTestTable, type TestTable } from '../support/tables';

const DAY_MS = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00.000Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

let table: TestTable;
const backfill = () => backfillSweepIndexes({ client: table.documentClient, tableName: table.tableName });
const sweep = () => new TokenSweepService(table.store, new DynamoSweepStore(table.documentClient, table.tableName), { clock: () => NOW }).sweep();

/** The item as written before the sweep's indexes: without the attributes they are keyed on. */
function withoutSweepAttributes(item: Item): Item {
  const copy = { ...item };
  for (const attribute of [ACTIVITY_PARTITION_ATTRIBUTE, ACTIVITY_AT_ATTRIBUTE, DUE_PARTITION_ATTRIBUTE, DUE_AT_ATTRIBUTE, SWEEP_ACCOUNT_ATTRIBUTE]) delete copy[attribute];
  return copy;
}

const put = (item: Item) => table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: withoutSweepAttributes(item) }));

beforeAll(async () => {
  table = await createTestTable();
  const accounts = new AccountService(table.store, { clock: () => ago(100) });
  await accounts.createAccount(operatorContext('jest'), { accountId: 'legacy', name: 'legacy', plan: 'enterprise', legacy: false, apiTokenAccess: true });
  const seeded = await seedTokens({ documentClient: table.documentClient, tableName: table.tableName, accounts }, 'legacy', [
    { description: 'unused', createdAt: ago(90) },
    { description: 'used lately', createdAt: ago(90) },
    { description: 'fresh', createdAt: ago(5) },
    { description: 'deactivated long ago', active: false, createdAt: ago(90) },
  ]);
  for (const { apiToken } of seeded) await put(tokenItem(apiToken));
  const account = await accounts.getAccount('legacy');
  await put(accountItem({ ...account, apiTokenInactivityDays: 30, apiTokenDeactivatedRetentionDays: 30 }));
  // A use recorded by the authorizer of this release before the backfill ran: its activity time is current.
  const used = seeded.find(({ apiToken }) => apiToken.description === 'used lately')!.apiToken;
  const authorization = new DynamoAuthorizationStore(createDynamoDbClient({ dynamodbEndpoint: table.endpoint, region: 'us-east-1' }), table.tableName);
  await authorization.recordTokenUse('legacy', used.tokenId, ago(1).toISOString(), ago(1).toISOString());
});

afterAll(() => table.documentClient.destroy());

test('before the backfill the sweep finds nothing; after it exactly the due tokens; a second run changes nothing', async () => {
  expect(await sweep()).toEqual({ deactivated: 0, deleted: 0, complete: true });
  expect(await backfill()).toEqual({ scanned: 5, updated: 5 });
  expect(await sweep()).toEqual({ deactivated: 1, deleted: 1, complete: true });
  const { tokens, account } = await accountPartition(table, 'legacy');
  expect(Object.fromEntries(tokens.map((token) => [token.description, token.active]))).toEqual({ unused: false, 'used lately': true, fresh: true });
  expect(account?.tokenCount).toBe(3);
  const before = await accountPartition(table, 'legacy');
  expect(await backfill()).toEqual({ scanned: 0, updated: 0 });
  expect(await accountPartition(table, 'legacy')).toEqual(before);
});
