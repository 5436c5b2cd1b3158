// The token sweep against the real engine, with a fake clock: across accounts with different inactivity
// policies (and one without), exactly the due tokens are deactivated or deleted, their slots freed, each
// change audited by the sweep; a second run and two concurrent runs end in the same state without a
// duplicate entry; a use recorded while the sweep decides keeps the token; the sweep reads only about the
// due tokens and never the partitions of accounts without a setting; `tokenctl sweep` runs it.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { AccountService, type AccountUpdate } from '../../shared/domain/account-service';
import { operatorContext } from '../../shared/domain/audit-entries';
import type { ApiToken, AuditEntry } from '../../shared/domain/model';
import type { TokenStore } from '../../shared/domain/store';
import { TokenService } from '../../shared/domain/token-service';
import { TokenSweepService } from '../../shared/domain/token-sweep';
import { DynamoAuthorizationStore } from '../../shared/store/authorization-store';
import { createDocumentClient } from '../../shared/store/document-client';
import { createDynamoDbClient } from '../../shared/store/dynamodb-client';
import { DynamoTokenStore } from '../../shared/store/dynamo-store';
import { activityPartition, deactivatedPartition } from '../../shared/store/sweep-index';
import { DynamoSweepStore } from '../../shared/store/sweep-queries';
import { handler } from '../../functions/sweep-tokens';
import { seedTokens, type TokenSeed } from '../../scripts/token-fixtures';
import { accountPartition, createTestTable, type TestTable } from '../support/tables';
import { runTokenctl } from '../support/tokenctl';

jest.setTimeout(120_000);

const DAY_MS = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const day = (n: number) => new Date(T0 + n * DAY_MS);
const OPERATOR = operatorContext('jest');

let table: TestTable;
let clock: Date;
let accounts: AccountService;
const authorization = () => new DynamoAuthorizationStore(createDynamoDbClient({ dynamodbEndpoint: table.endpoint, region: 'us-east-1' }), table.tableName);

/** A sweep on the fake clock, over the given client (a counting one) and store (a racing one). */
function sweeper(client: DynamoDBDocumentClient = table.documentClient, store: TokenStore = new DynamoTokenStore(client, table.tableName)) {
  return new TokenSweepService(store, new DynamoSweepStore(client, table.tableName), { clock: () => clock });
}

async function newAccount(accountId: string, settings: AccountUpdate): Promise<void> {
  await accounts.createAccount(OPERATOR, { accountId, name: accountId, plan: 'enterprise', legacy: false, apiTokenAccess: true });
  if (Object.keys(settings).length > 0) await accounts.updateAccount(OPERATOR, accountId, settings);
}

const seed = async (accountId: string, seeds: TokenSeed[]) => (await seedTokens({ documentClient: table.documentClient, tableName: table.tableName, accounts }, accountId, seeds)).map((seeded) => seeded.apiToken);

/** What the sweep may change of a token: whether it is there, and active. */
async function stateOf(accountId: string) {
  const { account, tokens: stored, audits } = await accountPartition(table, accountId);
  return {
    tokenCount: account?.tokenCount,
    tokens: Object.fromEntries(stored.map((token) => [token.description ?? token.tokenId, token.active])),
    sweepEntries: audits.filter((entry) => entry.actorId === -3).map((entry) => `${entry.sourceLabel}: ${entry.event} ${entry.changeDescription}`).sort(),
  };
}

beforeAll(async () => {
  table = await createTestTable();
  clock = day(0);
  accounts = new AccountService(table.store, { clock: () => clock });
});

afterAll(() => table.documentClient.destroy());

describe('one sweep with a fake clock', () => {
  beforeAll(async () => {
    clock = day(0);
    await newAccount('acme', { apiTokenInactivityDays: 30, apiTokenDeactivatedRetentionDays: 60 });
    await newAccount('globex', { apiTokenInactivityDays: 60 });
    await newAccount('initech', {});
    await seed('acme', [
      { description: 'never used', createdAt: day(0) },
      { description: 'used lately', createdAt: day(0), lastUsedAt: day(50) },
      { description: 'created lately', createdAt: day(50) },
      { description: 'created long ago', createdAt: day(10) },
      { description: 'deactivated long ago', active: false, createdAt: day(0), deactivatedAt: day(1) },
      { description: 'deactivated lately', active: false, createdAt: day(0), deactivatedAt: day(40) },
      { description: 'grace ended', createdAt: day(0), rotated: { to: 1, graceEndsAt: day(70) } },
      { description: 'grace ended, deactivated', active: false, createdAt: day(0), rotated: { to: 2, graceEndsAt: day(75) } },
      { description: 'in its grace', createdAt: day(0), rotated: { to: 3, graceEndsAt: day(80) } },
    ]);
    await seed('globex', [
      { description: 'never used', createdAt: day(0) },
      { description: 'created lately', createdAt: day(20) },
      { description: 'deactivated long ago', active: false, createdAt: day(0), deactivatedAt: day(1) },
    ]);
    await seed('initech', [
      { description: 'never used', createdAt: day(0) },
      { description: 'deactivated long ago', active: false, createdAt: day(0), deactivatedAt: day(1) },
    ]);
    // Used through the authorizer's own write: the sweep reads the use from the index it moves.
    const [globexOld] = await seed('globex', [{ description: 'used through the authorizer', createdAt: day(0) }]);
    await authorization().recordTokenUse('globex', globexOld!.tokenId, day(30).toISOString(), day(30).toISOString());
    clock = day(75);
  });

  const expected = {
    acme: {
      tokenCount: 6,
      tokens: {
        'never used': false,
        'used lately': true,
        'created lately': true,
        'created long ago': false,
        'deactivated lately': false,
        'in its grace': true,
      },
      sweepEntries: [
        'created long ago: api_token.deactivated Deactivated after 30 days unused',
        'deactivated long ago: api_token.deleted Deleted 60 days after deactivation',
        'grace ended, deactivated: api_token.deleted Deleted when its rotation grace ended',
        'grace ended: api_token.deleted Deleted when its rotation grace ended',
        'never used: api_token.deactivated Deactivated after 30 days unused',
      ],
    },
    globex: {
      tokenCount: 4,
      tokens: { 'never used': false, 'created lately': true, 'deactivated long ago': false, 'used through the authorizer': true },
      sweepEntries: ['never used: api_token.deactivated Deactivated after 60 days unused'],
    },
    initech: { tokenCount: 2, tokens: { 'never used': true, 'deactivated long ago': false }, sweepEntries: [] },
  };

  test('changes exactly the due tokens, frees their slots, and audits each change by the sweep', async () => {
    expect(await sweeper().sweep()).toEqual({ deactivated: 3, deleted: 3, complete: true });
    for (const [accountId, state] of Object.entries(expected)) expect({ accountId, ...(await stateOf(accountId)) }).toEqual({ accountId, ...state });
    const entry = (await accountPartition(table, 'acme')).audits.find((audit) => audit.actorId === -3) as AuditEntry;
    expect(entry).toMatchObject({ actorName: 'Token sweep', actorApiTokenId: null, sourceType: 'api_token', createdAt: day(75).toISOString() });
  });

  test('a deactivated token records when; a second run changes nothing and writes no entry', async () => {
    const deactivated = (await accountPartition(table, 'acme')).tokens.find((token) => token.description === 'never used') as ApiToken;
    expect((await table.store.getToken('acme', deactivated.tokenId))?.deactivatedAt).toBe(day(75).toISOString());
    const before = await Promise.all(Object.keys(expected).map((id) => accountPartition(table, id)));
    expect(await sweeper().sweep()).toEqual({ deactivated: 0, deleted: 0, complete: true });
    expect(await Promise.all(Object.keys(expected).map((id) => accountPartition(table, id)))).toEqual(before);
  });

  test('a deactivated token is deleted once its retention has passed from its deactivation, not before', async () => {
    clock = day(75 + 59);
    // Deactivated at day 40, and the grace that ended at day 80; the two left active are unused by now.
    expect(await sweeper().sweep('acme')).toEqual({ deactivated: 2, deleted: 2, complete: true });
    expect((await stateOf('acme')).tokens).toEqual({ 'never used': false, 'created long ago': false, 'used lately': false, 'created lately': false });
    clock = day(75 + 61);
    // Those deactivated at day 75 are due; those deactivated at day 134 are not.
    expect(await sweeper().sweep('acme')).toEqual({ deactivated: 0, deleted: 2, complete: true });
    expect(await stateOf('acme')).toMatchObject({ tokenCount: 2, tokens: { 'used lately': false, 'created lately': false } });
  });
});

describe('two concurrent runs', () => {
  test('end in the state of one run, each change made and audited once', async () => {
    clock = day(0);
    await newAccount('umbrella', { apiTokenInactivityDays: 10, apiTokenDeactivatedRetentionDays: 10 });
    await seed('umbrella', [
      ...Array.from({ length: 12 }, (_, n): TokenSeed => ({ description: `unused ${n}`, createdAt: day(0) })),
      ...Array.from({ length: 6 }, (_, n): TokenSeed => ({ description: `deactivated ${n}`, active: false, createdAt: day(0), deactivatedAt: day(0) })),
      { description: 'fresh', createdAt: day(19) },
    ]);
    clock = day(20);
    const [first, second] = await Promise.all([sweeper().sweep('umbrella'), sweeper().sweep('umbrella')]);
    expect({ deactivated: first.deactivated + second.deactivated, deleted: first.deleted + second.deleted }).toEqual({ deactivated: 12, deleted: 6 });
    const state = await stateOf('umbrella');
    expect(state.tokenCount).toBe(13);
    expect(Object.values(state.tokens).filter((active) => active)).toHaveLength(1);
    expect(state.sweepEntries).toHaveLength(18);
    expect(new Set(state.sweepEntries).size).toBe(18);
    expect(await sweeper().sweep('umbrella')).toEqual({ deactivated: 0, deleted: 0, complete: true });
  });
});

describe('the re-check', () => {
  test('a token used after the sweep read it, before its write, stays active', async () => {
    clock = day(0);
    await newAccount('hooli', { apiTokenInactivityDays: 30 });
    const [token] = await seed('hooli', [{ description: 'about to be used', createdAt: day(0) }]);
    clock = day(40);
    // The use lands between the sweep's read of the token and its write, as a request would: no version moves.
    let used = false;
    const racing = new DynamoTokenStore(table.documentClient, table.tableName);
    const getToken = racing.getToken.bind(racing);
    racing.getToken = async (accountId, tokenId) => {
      const read = await getToken(accountId, tokenId);
      if (!used) {
        used = true;
        await authorization().recordTokenUse(accountId, tokenId, day(40).toISOString(), day(40).toISOString());
      }
      return read;
    };
    expect(await sweeper(table.documentClient, racing).sweep('hooli')).toMatchObject({ deactivated: 0 });
    expect(await table.store.getToken('hooli', token!.tokenId)).toMatchObject({ active: true, lastUsedAt: day(40).toISOString() });
    expect((await stateOf('hooli')).sweepEntries).toEqual([]);
  });
});

describe('token updates keep the indexes', () => {
  test('a deactivation moves a token to its deactivated partition, a reactivation back, keeping its last activity', async () => {
    clock = day(0);
    await newAccount('moving', {});
    const [token] = await seed('moving', [{ description: 'moved', createdAt: day(0), lastUsedAt: day(3) }]);
    const service = new TokenService(table.store, { clock: () => clock });
    const raw = async () => (await accountPartition(table, 'moving')).items.find((item) => item.type === 'token')!;
    clock = day(5);
    expect(await service.update({ ...OPERATOR, accountId: 'moving' }, token!.tokenId, { active: false })).toMatchObject({ deactivatedAt: day(5).toISOString() });
    expect(await raw()).toMatchObject({ DuePK: deactivatedPartition('moving'), DueAt: day(5).toISOString(), deactivatedAt: day(5).toISOString(), activityAt: day(3).toISOString() });
    expect(await raw()).not.toHaveProperty('ActivityPK');
    clock = day(6);
    expect(await service.update({ ...OPERATOR, accountId: 'moving' }, token!.tokenId, { active: true })).not.toHaveProperty('deactivatedAt');
    const reactivated = await raw();
    expect(reactivated).toMatchObject({ ActivityPK: activityPartition('moving'), activityAt: day(3).toISOString() });
    for (const attribute of ['DuePK', 'DueAt', 'deactivatedAt']) expect(reactivated).not.toHaveProperty(attribute);
    expect(await table.store.getToken('moving', token!.tokenId)).not.toHaveProperty('activityAt');
  });
});

/** A document client that records each call: its command, its input and how many items came back. */
function countingClient() {
  const client = createDocumentClient({ dynamodbEndpoint: table.endpoint, region: 'us-east-1' });
  const calls: { command: string; input: unknown; items: number }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as { Items?: unknown[]; Item?: unknown };
      calls.push({ command: context.commandName ?? '', input: args.input, items: output.Items?.length ?? (output.Item ? 1 : 0) });
      return result;
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return { client, calls };
}

describe('the cost', () => {
  test('grows with the due tokens, not with all tokens, and accounts without a setting are never queried', async () => {
    clock = day(0);
    await newAccount('bigco', { apiTokenInactivityDays: 30 });
    await newAccount('quiet', {});
    await seed('bigco', [
      ...Array.from({ length: 200 }, (_, n): TokenSeed => ({ description: `recent ${n}`, createdAt: day(35) })),
      ...Array.from({ length: 3 }, (_, n): TokenSeed => ({ description: `due ${n}`, createdAt: day(0) })),
    ]);
    await seed('quiet', Array.from({ length: 50 }, (_, n): TokenSeed => ({ description: `unused ${n}`, createdAt: day(0) })));
    clock = day(40);
    const { client, calls } = countingClient();
    try {
      expect(await sweeper(client).sweep('bigco')).toMatchObject({ deactivated: 3 });
      const queried = calls.filter((call) => call.command === 'QueryCommand').reduce((sum, call) => sum + call.items, 0);
      const read = calls.filter((call) => call.command === 'GetItemCommand').length;
      // The three due tokens (and the rotated partition, empty): not the 200 recent ones.
      expect(queried).toBe(3);
      // The account, and each due token once.
      expect(read).toBe(4);

      calls.length = 0;
      await sweeper(client).sweep();
      // The calls as sent (marshalled): no query names a quiet account's partitions, no read its account.
      const sent = calls.map((call) => JSON.stringify(call.input));
      for (const quiet of ['quiet', 'initech']) {
        for (const partition of [activityPartition(quiet), deactivatedPartition(quiet), `"ACCOUNT#${quiet}"`]) {
          expect(sent.filter((call) => call.includes(partition))).toEqual([]);
        }
      }
      expect(sent.some((call) => call.includes(activityPartition('bigco')))).toBe(true);
    } finally {
      client.destroy();
    }
  });
});

describe('tokenctl sweep', () => {
  const tokenctl = (args: string[]) => runTokenctl(table, args);

  test('sweeps one account now and prints what it did; exit codes as for the other commands', async () => {
    clock = new Date();
    await newAccount('cliacme', { apiTokenInactivityDays: 1, apiTokenDeactivatedRetentionDays: 1 });
    await seed('cliacme', [
      { description: 'unused', createdAt: new Date(Date.now() - 3 * DAY_MS) },
      { description: 'unused too', createdAt: new Date(Date.now() - 3 * DAY_MS) },
      { description: 'deactivated', active: false, createdAt: new Date(Date.now() - 3 * DAY_MS), deactivatedAt: new Date(Date.now() - 2 * DAY_MS) },
      { description: 'fresh' },
    ]);
    expect(await tokenctl(['sweep', 'cliacme'])).toEqual({ status: 0, stdout: 'Deactivated 2 tokens, deleted 1 token\n', stderr: '' });
    const again = await tokenctl(['sweep', 'cliacme', '--json']);
    expect({ status: again.status, json: JSON.parse(again.stdout) as unknown }).toEqual({ status: 0, json: { sweep: { deactivated: 0, deleted: 0, complete: true } } });
    expect((await tokenctl(['sweep', 'nosuchaccount'])).status).toBe(1);
    expect((await tokenctl(['sweep', 'cliacme', 'extra'])).status).toBe(2);
  });
});

describe('the scheduled function', () => {
  test('runs one sweep of every account on the real clock, within its deadline; the next run finds nothing left', async () => {
    const first = await handler({} as ScheduledEvent);
    // Everything the fake-clock tests left is long due by now.
    expect(first.complete).toBe(true);
    expect(first.deactivated + first.deleted).toBeGreaterThan(0);
    expect(await handler({} as ScheduledEvent)).toEqual({ deactivated: 0, deleted: 0, complete: true });
  });
});
