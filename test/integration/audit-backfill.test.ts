// The backfill of the audit indexes against the real engine: an entry written before the indexes existed
// (its item without their keys) is found by no filter; after the backfill every filter finds it, a second
// run changes nothing, and an entry already in the indexes is left as it was.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { operatorContext } from '../../shared/domain/audit-entries';
import { AccountService } from '../../shared/domain/account-service';
import type { AuditEntry } from '../../shared/domain/model';
import type { AuditQuery } from '../../shared/domain/store';
import { backfillAuditIndexes } from '../../shared/store/audit-backfill';
import { auditKey, auditSourceKey } from '../../shared/store/keys';
import { createTestTable, scanTable, type TestTable } from '../support/tables';

let table: TestTable;
const ACCOUNT = 'backfill';
const now = Math.floor(Date.now() / 1000);

const oldEntry: AuditEntry = {
  accountId: ACCOUNT,
  auditId: 1_700_000_000_000_123,
  action: 'destroy',
  event: 'api_token.deleted',
  actorId: 4242,
  actorName: 'Old Admin',
  actorApiTokenId: 5151,
  sourceType: 'api_token',
  sourceId: '777',
  sourceLabel: 'old token',
  changeDescription: 'Deleted',
  ipAddress: '198.51.100.7',
  userAgent: 'curl',
  createdAt: new Date(1_700_000_000_000).toISOString(),
};

/** The filters that each find the old entry, alone. */
const filters: Partial<AuditQuery>[] = [
  { actorId: 4242 },
  { actorApiTokenId: 5151 },
  { actions: ['destroy'] },
  { ipAddress: '198.51.100.7' },
  { sourceType: 'api_token' },
  { sourceId: '777' },
  { source: { type: 'api_token', id: '777' } },
];

const backfill = () => backfillAuditIndexes({ client: table.documentClient, tableName: table.tableName });

const found = async (filter: Partial<AuditQuery>) =>
  (await table.store.listAuditEntries(ACCOUNT, { ...filter, page: { size: 100, order: 'desc' }, now })).items.map((entry) => entry.auditId);

beforeAll(async () => {
  table = await createTestTable();
  await new AccountService(table.store).createAccount(operatorContext('jest'), { accountId: ACCOUNT, name: ACCOUNT, plan: 'enterprise', legacy: false, apiTokenAccess: true });
  // As the store wrote entries before the audit indexes: the table's keys and GSI1's, nothing more.
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...auditKey(ACCOUNT, oldEntry.auditId), ...auditSourceKey(ACCOUNT, oldEntry.sourceType, oldEntry.sourceId, oldEntry.auditId), type: 'audit', ...oldEntry },
    }),
  );
});

test('an entry without index keys is missing from the filters until the backfill, then found by every one', async () => {
  for (const filter of filters.filter((each) => !each.source && !each.sourceId)) expect({ filter, ids: await found(filter) }).toEqual({ filter, ids: [] });

  const first = await backfill();
  expect(first).toEqual({ scanned: 2, updated: 1 });
  for (const filter of filters) expect({ filter, ids: await found(filter) }).toEqual({ filter, ids: [oldEntry.auditId] });
});

test('a second run changes nothing, and entries written with their keys are left as they are', async () => {
  const before = await scanTable(table);
  expect(await backfill()).toEqual({ scanned: 2, updated: 0 });
  expect(await scanTable(table)).toEqual(before);
});
