// Token expiry through the local stack: `expires_at` on create (in the future, within the account's maximum
// lifetime) and in every view of the token; an expired token fails exactly as a deactivated one does, also
// for a change let in just before it expired; `api_token_max_lifetime_days` gives creates their default and
// their limit; expiry beside deactivation, deletion, the kill switch and the limit; the audit entries.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getServices } from '../../shared/runtime/services';
import type { ApiTokenJson } from '../../shared/http/presenters';
import { tokenKey } from '../../shared/store/keys';
import { createToken, OPERATOR, request, tokenIdOf, tokenPath, type ProvisionedAccount } from '../support/api-stack';
import { answerOf, tokenPolicySuite, type TokenBody, type ErrorBody } from '../support/token-policy-suite';
import { accountPartition } from '../support/tables';

type SettingsBody = { settings: { api: { api_token_access: boolean; api_token_max_lifetime_days?: number } } };
type AuditBody = { audit_logs: { event: string; change_description: string; source_id: number | string; actor_api_token_id: number | null }[] };

const DAY_MS = 86_400_000;
const UNAUTHORIZED = { error: "Couldn't authenticate you" };

const suite = tokenPolicySuite('expiry');
const { account, create } = suite;

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
const me = (owner: ProvisionedAccount, token: string) => request(suite.stack, 'GET', '/api/v2/users/me.json', { auth: { email: owner.admin.email, token } });
const settings = (owner: ProvisionedAccount, api: Record<string, unknown>) =>
  request<SettingsBody & ErrorBody>(suite.stack, 'PUT', '/api/v2/account/settings.json', { auth: owner.adminAuth, body: { settings: { api } } });

/** What a denied request gets: status, body and the challenge, to compare one denial with another. */
const denialOf = answerOf;

/** Moves a token's expiry into the past, as time passing would: the stored value only, nothing else. */
async function expireNow(accountId: string, tokenId: number): Promise<void> {
  await suite.stack.table.documentClient.send(
    new UpdateCommand({
      TableName: suite.stack.table.tableName,
      Key: tokenKey(accountId, tokenId),
      UpdateExpression: 'SET policy.expiresAt = :past',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
    }),
  );
}

async function auditOf(owner: ProvisionedAccount, query: string) {
  const response = await request<AuditBody>(suite.stack, 'GET', `/api/v2/audit_logs.json${query}`, { auth: owner.adminAuth });
  expect(response.status).toBe(200);
  return response.json.audit_logs;
}

describe('expires_at', () => {
  test('is shown in every view of the token, and named in its creation entry', async () => {
    const owner = await account();
    const expiresAt = inDays(30);
    const created = await create(owner, { description: 'expiring', expires_at: expiresAt });
    expect(created.status).toBe(201);
    expect(created.json.api_token.expires_at).toBe(expiresAt);
    const id = created.json.api_token.id;
    const shown = await request<TokenBody>(suite.stack, 'GET', tokenPath(id), { auth: owner.adminAuth });
    expect(shown.json.api_token.expires_at).toBe(expiresAt);
    const listed = await request<{ api_tokens: ApiTokenJson[] }>(suite.stack, 'GET', '/api/v2/api_tokens.json', { auth: owner.adminAuth });
    expect(listed.json.api_tokens.find((token) => token.id === id)?.expires_at).toBe(expiresAt);
    const edited = await request<TokenBody>(suite.stack, 'PUT', tokenPath(id), { auth: owner.adminAuth, body: { api_token: { description: 'still expiring' } } });
    expect(edited.json.api_token.expires_at).toBe(expiresAt);
    expect((await me(owner, created.json.api_token.token!)).status).toBe(200);

    const entries = await auditOf(owner, `?filter[source_type]=api_token&filter[source_id]=${id}&sort=created_at`);
    expect(entries.map((entry) => [entry.event, entry.change_description])).toEqual([
      ['api_token.created', `Created; expires ${expiresAt}`],
      ['api_token.description_changed', 'Description changed from "expiring" to "still expiring"'],
    ]);
  });

  test('a token created without one has none, and is shown exactly as before (no expires_at field)', async () => {
    const owner = await account();
    const created = await create(owner, { description: 'forever' });
    expect(created.status).toBe(201);
    expect(Object.keys(created.json.api_token).sort()).toEqual(
      ['active', 'created_at', 'description', 'id', 'last_used', 'token', 'updated_at', 'url', 'user_id', 'visible_token'],
    );
    const nulled = await create(owner, { expires_at: null });
    expect(nulled.status).toBe(201);
    expect(nulled.json.api_token).not.toHaveProperty('expires_at');
    const entries = await auditOf(owner, `?filter[source_type]=api_token&filter[source_id]=${created.json.api_token.id}`);
    expect(entries.map((entry) => entry.change_description)).toEqual(['Created']);
  });

  test('milliseconds are accepted and the time is shown to the second', async () => {
    const owner = await account();
    const created = await create(owner, { expires_at: '2099-06-01T12:30:45.678Z' });
    expect(created.status).toBe(201);
    expect(created.json.api_token.expires_at).toBe('2099-06-01T12:30:45Z');
  });

  test.each([
    ['in the past', () => '2020-01-01T00:00:00Z'],
    ['now, to the second', () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')],
  ])('%s: 422 naming expires_at, no token made', async (_, value) => {
    const owner = await account();
    const before = (await accountPartition(suite.stack.table, owner.accountId)).tokens.length;
    const response = await create(owner, { description: 'late', expires_at: value() });
    expect(response.status).toBe(422);
    expect(response.json.error).toBe('RecordInvalid');
    expect(Object.keys(response.json.details ?? {})).toEqual(['expires_at']);
    expect(response.json.details?.expires_at?.[0]?.description).toMatch(/in the future/);
    expect((await accountPartition(suite.stack.table, owner.accountId)).tokens.length).toBe(before);
  });

  test('with a bad description too: one 422 naming both', async () => {
    const owner = await account();
    const response = await create(owner, { description: 'x'.repeat(256), expires_at: '2020-01-01T00:00:00Z' });
    expect(response.status).toBe(422);
    expect(Object.keys(response.json.details ?? {}).sort()).toEqual(['description', 'expires_at']);
  });

  test.each([['tomorrow'], ['2099-02-30T00:00:00Z'], ['2099-01-01T24:00:00Z'], ['2099-01-01T00:00:00+01:00'], ['2099-01-01'], ['2099-01-01T00:00:00.1234Z'], [4102444800], [true]])(
    'malformed (%p): 400',
    async (value) => {
      const owner = await account();
      const response = await create(owner, { expires_at: value });
      expect([response.status, response.json.error]).toEqual([400, 'BadRequest']);
      expect(response.json.description).toContain('expires_at');
    },
  );
});

describe('an expired token', () => {
  test('fails exactly as a deactivated one does, once its time has come', async () => {
    const owner = await account();
    const expiresAt = new Date(Date.now() + 2000).toISOString();
    const expiring = await create(owner, { expires_at: expiresAt });
    expect(expiring.status).toBe(201);
    const token = expiring.json.api_token.token!;
    expect((await me(owner, token)).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
    const deactivated = await createToken(suite.stack, owner.accountId);
    await suite.stack.tokens.update({ ...OPERATOR, accountId: owner.accountId }, tokenIdOf(deactivated), { active: false });
    const expiredAnswer = denialOf(await me(owner, token));
    expect(expiredAnswer).toEqual({ status: 401, json: UNAUTHORIZED, challenge: 'Basic realm="Web Password"' });
    expect(expiredAnswer).toEqual(denialOf(await me(owner, deactivated)));
    const write = await request(suite.stack, 'POST', '/api/v2/api_tokens.json', { auth: { email: owner.admin.email, token }, body: {} });
    expect(denialOf(write)).toEqual(expiredAnswer);

    // It stays listed as it is: active, with its expiry.
    const shown = await request<TokenBody>(suite.stack, 'GET', tokenPath(expiring.json.api_token.id), { auth: owner.adminAuth });
    expect(shown.json.api_token).toMatchObject({ active: true, expires_at: expiresAt.replace(/\.\d{3}Z$/, 'Z') });
  });

  test('can be deactivated and deleted, which frees its slot; reactivating it does not bring it back', async () => {
    const owner = await account();
    const created = await create(owner, { expires_at: inDays(1) });
    const id = created.json.api_token.id;
    await expireNow(owner.accountId, id);
    const token = created.json.api_token.token!;
    expect((await me(owner, token)).status).toBe(401);

    const deactivated = await request<TokenBody>(suite.stack, 'PUT', tokenPath(id), { auth: owner.adminAuth, body: { api_token: { active: false } } });
    expect(deactivated.status).toBe(200);
    expect((await request(suite.stack, 'PUT', tokenPath(id), { auth: owner.adminAuth, body: { api_token: { active: true } } })).status).toBe(200);
    expect((await me(owner, token)).status).toBe(401);

    const active = await request<ErrorBody>(suite.stack, 'DELETE', tokenPath(id), { auth: owner.adminAuth });
    expect([active.status, active.json.details?.base?.[0]?.error]).toEqual([422, 'TokenActive']);
    await request(suite.stack, 'PUT', tokenPath(id), { auth: owner.adminAuth, body: { api_token: { active: false } } });
    const countBefore = (await accountPartition(suite.stack.table, owner.accountId)).account!.tokenCount;
    expect((await request(suite.stack, 'DELETE', tokenPath(id), { auth: owner.adminAuth })).status).toBe(204);
    expect((await accountPartition(suite.stack.table, owner.accountId)).account!.tokenCount).toBe(countBefore - 1);
  });

  test('holds its slot until deleted: at the limit, expired tokens still count', async () => {
    const owner = await account();
    const { account: stored } = await accountPartition(suite.stack.table, owner.accountId);
    await suite.stack.table.store.updateAccount(stored!, { tokenLimit: 2 }, new Date().toISOString(), []);
    const second = await create(owner, { expires_at: inDays(1) });
    expect(second.status).toBe(201);
    await expireNow(owner.accountId, second.json.api_token.id);
    const third = await create(owner, {});
    expect([third.status, third.json.details?.base?.[0]?.error]).toEqual([422, 'TokenLimitReached']);
  });

  test('the kill switch and expiry are independent: turning access back on does not revive an expired token', async () => {
    const owner = await account();
    const created = await create(owner, { expires_at: inDays(1) });
    const token = created.json.api_token.token!;
    expect((await settings(owner, { api_token_access: false })).status).toBe(200);
    expect((await me(owner, token)).status).toBe(401);
    await expireNow(owner.accountId, created.json.api_token.id);
    await suite.stack.accounts.updateAccount(OPERATOR, owner.accountId, { apiTokenAccess: true });
    expect((await me(owner, owner.token)).status).toBe(200);
    expect((await me(owner, token)).status).toBe(401);
  });

  test('a change let in just before the token expired is refused at commit with the same 401, and changes nothing', async () => {
    // Held at the handler's first read, between the authorizer's check and the commit; the commit's
    // condition is that the token has not expired when the change is sent.
    const owner = await account();
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const created = await create(owner, { expires_at: expiresAt });
    const auth = { email: owner.admin.email, token: created.json.api_token.token! };
    const { documentClient } = getServices();
    let reached!: () => void;
    const atCommit = new Promise<void>((resolve) => (reached = resolve));
    documentClient.middlewareStack.add(
      (next) => async (args) => {
        const key = (args.input as { Key?: { SK?: unknown } }).Key;
        if (typeof key?.SK === 'string' && key.SK.startsWith('USER#')) {
          reached();
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now() + 50)));
        }
        return next(args);
      },
      { step: 'initialize', name: 'holdUntilExpired' },
    );
    try {
      const response = request(suite.stack, 'POST', '/api/v2/api_tokens.json', { auth, body: { api_token: { description: 'late' } } });
      await atCommit;
      const answer = await response;
      expect(denialOf(answer)).toEqual({ status: 401, json: UNAUTHORIZED, challenge: 'Basic realm="Web Password"' });
    } finally {
      documentClient.middlewareStack.remove('holdUntilExpired');
    }
    const { tokens } = await accountPartition(suite.stack.table, owner.accountId);
    expect(tokens.filter((token) => token.description === 'late')).toEqual([]);
  });
});

describe('sending the token back', () => {
  test('expires_at is read-only: equal or null for a token without one is ignored, anything else is a 422 naming it', async () => {
    const owner = await account();
    const expiring = (await create(owner, { description: 'a', expires_at: inDays(10) })).json.api_token;
    const shown = (await request<TokenBody>(suite.stack, 'GET', tokenPath(expiring.id), { auth: owner.adminAuth })).json.api_token;
    const unchanged = await request<TokenBody>(suite.stack, 'PUT', tokenPath(shown.id), { auth: owner.adminAuth, body: { api_token: { ...shown, description: 'b' } } });
    expect(unchanged.status).toBe(200);
    expect(unchanged.json.api_token.expires_at).toBe(shown.expires_at);
    for (const other of [inDays(20), null]) {
      const refused = await request<ErrorBody>(suite.stack, 'PUT', tokenPath(shown.id), { auth: owner.adminAuth, body: { api_token: { expires_at: other, description: 'c' } } });
      expect([other, refused.status, Object.keys(refused.json.details ?? {})]).toEqual([other, 422, ['expires_at']]);
    }
    const forever = (await create(owner, {})).json.api_token;
    const nulled = await request(suite.stack, 'PUT', tokenPath(forever.id), { auth: owner.adminAuth, body: { api_token: { expires_at: null, description: 'd' } } });
    expect(nulled.status).toBe(200);
    const given = await request<ErrorBody>(suite.stack, 'PUT', tokenPath(forever.id), { auth: owner.adminAuth, body: { api_token: { expires_at: inDays(1) } } });
    expect([given.status, Object.keys(given.json.details ?? {})]).toEqual([422, ['expires_at']]);
    const stored = (await accountPartition(suite.stack.table, owner.accountId)).tokens.find((token) => token.tokenId === forever.id);
    expect(stored?.policy).toBeUndefined();
  });
});

describe('api_token_max_lifetime_days', () => {
  test('is shown once set, gives creates without expires_at that lifetime, refuses one beyond it, and is audited', async () => {
    const owner = await account();
    const existing = (await create(owner, { description: 'before the maximum' })).json.api_token;
    const set = await settings(owner, { api_token_max_lifetime_days: 30 });
    expect(set.status).toBe(200);
    expect(set.json).toEqual({ settings: { api: { api_token_access: true, api_token_max_lifetime_days: 30 } } });
    expect((await request(suite.stack, 'GET', '/api/v2/account/settings.json', { auth: owner.adminAuth })).json).toEqual(set.json);

    const before = Date.now();
    const defaulted = await create(owner, { description: 'default lifetime' });
    expect(defaulted.status).toBe(201);
    const expiry = Date.parse(defaulted.json.api_token.expires_at!);
    expect(expiry).toBeGreaterThanOrEqual(Math.floor((before + 30 * DAY_MS) / 1000) * 1000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);
    expect((await create(owner, { expires_at: null })).json.api_token.expires_at).toEqual(expect.any(String));
    const within = inDays(29);
    expect((await create(owner, { expires_at: within })).json.api_token.expires_at).toBe(within);

    const beyond = await create(owner, { expires_at: inDays(31) });
    expect(beyond.status).toBe(422);
    expect(Object.keys(beyond.json.details ?? {})).toEqual(['expires_at']);
    expect(beyond.json.details?.expires_at?.[0]?.description).toMatch(/maximum API token lifetime of 30 days/);

    // Tokens made before it keep what they had.
    const kept = await request<TokenBody>(suite.stack, 'GET', tokenPath(existing.id), { auth: owner.adminAuth });
    expect(kept.json.api_token).not.toHaveProperty('expires_at');

    const cleared = await settings(owner, { api_token_max_lifetime_days: null });
    expect(cleared.json).toEqual({ settings: { api: { api_token_access: true } } });
    expect((await create(owner, {})).json.api_token).not.toHaveProperty('expires_at');
    expect((await create(owner, { expires_at: inDays(400) })).status).toBe(201);

    const entries = await auditOf(owner, '?filter[source_type]=account_settings&sort=created_at');
    expect(entries.map((entry) => [entry.event, entry.change_description])).toEqual([
      ['account.api_token_max_lifetime_changed', 'Maximum API token lifetime changed from unlimited to 30 days'],
      ['account.api_token_max_lifetime_changed', 'Maximum API token lifetime changed from 30 days to unlimited'],
    ]);
  });

  test('setting it to what it is changes nothing and writes no entry; with api_token_access in the same body each is its own entry', async () => {
    const owner = await account();
    expect((await settings(owner, { api_token_max_lifetime_days: null })).status).toBe(200);
    expect((await settings(owner, { api_token_access: true, api_token_max_lifetime_days: 7 })).json).toEqual({
      settings: { api: { api_token_access: true, api_token_max_lifetime_days: 7 } },
    });
    expect((await settings(owner, { api_token_max_lifetime_days: 7 })).status).toBe(200);
    const entries = await auditOf(owner, '?filter[source_type]=account_settings');
    expect(entries.map((entry) => entry.change_description)).toEqual(['Maximum API token lifetime changed from unlimited to 7 days']);
  });

  test.each([[0], [-1], [3651], [1e9]])('%p days: 422 naming it', async (days) => {
    const owner = await account();
    const response = await settings(owner, { api_token_max_lifetime_days: days });
    expect([response.status, Object.keys(response.json.details ?? {})]).toEqual([422, ['api_token_max_lifetime_days']]);
  });

  test.each([[1.5], ['30'], [true]])('%p: 400', async (days) => {
    const owner = await account();
    const response = await settings(owner, { api_token_max_lifetime_days: days });
    expect([response.status, response.json.error]).toEqual([400, 'BadRequest']);
  });

  test('applies to operators too: tokenctl creates get the same default and limit', async () => {
    const owner = await account();
    await suite.stack.accounts.updateAccount(OPERATOR, owner.accountId, { apiTokenMaxLifetimeDays: 1 });
    const { apiToken } = await suite.stack.tokens.create({ ...OPERATOR, accountId: owner.accountId }, 'operator');
    expect(Date.parse(apiToken.policy!.expiresAt!)).toBeLessThanOrEqual(Date.now() + DAY_MS);
    await expect(suite.stack.tokens.create({ ...OPERATOR, accountId: owner.accountId }, 'operator', { expiresAt: inDays(2) })).rejects.toMatchObject({
      fields: { expires_at: [expect.stringMatching(/maximum API token lifetime of 1 day /)] },
    });
  });
});
