// The audit log API through the emulator: one entry per change with actor, IP and a readable description;
// filters (one token through the source index), sort, cursor pages in both directions while entries are
// being written; Enterprise-only access; and the account settings kill switch.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  addUser,
  OPERATOR,
  provisionAccount,
  request,
  startApiStack,
  type ApiStack,
  type ProvisionedAccount,
} from '../support/api-stack';

interface AuditLog {
  id: number;
  url: string;
  action: string;
  action_label: string;
  actor_id: number;
  actor_name: string;
  source_id: number | string;
  source_type: string;
  source_label: string;
  change_description: string;
  ip_address: string | null;
  created_at: string;
  event: string;
}
interface AuditLogList {
  audit_logs: AuditLog[];
  meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null };
  links: { next: string | null; prev: string | null };
}
type TokenBody = { api_token: { id: number; token?: string; active: boolean } };

let stack: ApiStack;
let ent: ProvisionedAccount;
let team: ProvisionedAccount;
let other: ProvisionedAccount;

beforeAll(async () => {
  stack = await startApiStack();
  ent = await provisionAccount(stack, 'ent');
  team = await provisionAccount(stack, 'team', { plan: 'team' });
  other = await provisionAccount(stack, 'other');
  await addUser(stack, 'ent', 'agent@ent.test', 'agent');
  await addUser(stack, 'ent', 'enduser@ent.test', 'end_user');
});

afterAll(() => stack.close());

const admin = (account: ProvisionedAccount) => ({ auth: account.adminAuth });
const logs = (query = '', account = ent) => request<AuditLogList>(stack, 'GET', `/api/v2/audit_logs.json${query}`, admin(account));
const pathOf = (url: string) => url.slice(stack.baseUrl.length);

describe('every change writes exactly one entry', () => {
  test('token changes through the API carry the admin as actor and the request IP', async () => {
    const created = await request<TokenBody>(stack, 'POST', '/api/v2/api_tokens.json', { ...admin(ent), body: { api_token: { description: 'a' } } });
    const id = created.json.api_token.id;
    const path = `/api/v2/api_tokens/${id}.json`;
    await request(stack, 'PUT', path, { ...admin(ent), body: { api_token: { description: 'b' } } });
    await request(stack, 'PUT', path, { ...admin(ent), body: { api_token: { active: false } } });
    await request(stack, 'PUT', path, { ...admin(ent), body: { api_token: { active: true } } });
    await request(stack, 'PUT', path, { ...admin(ent), body: { api_token: { active: false } } });
    await request(stack, 'DELETE', path, admin(ent));

    const response = await logs(`?filter[source_type]=api_token&filter[source_id]=${id}`);
    expect(response.status).toBe(200);
    const entries = response.json.audit_logs;
    expect(entries.map((entry) => [entry.action, entry.action_label, entry.event, entry.change_description])).toEqual([
      ['destroy', 'Deleted', 'api_token.deleted', 'Deleted'],
      ['update', 'Updated', 'api_token.deactivated', 'Deactivated'],
      ['update', 'Updated', 'api_token.reactivated', 'Reactivated'],
      ['update', 'Updated', 'api_token.deactivated', 'Deactivated'],
      ['update', 'Updated', 'api_token.description_changed', 'Description changed from "a" to "b"'],
      ['create', 'Created', 'api_token.created', 'Created'],
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        actor_id: ent.admin.userId,
        actor_name: ent.admin.name,
        source_id: id,
        source_type: 'api_token',
        ip_address: '127.0.0.1',
        url: `${stack.baseUrl}/api/v2/audit_logs/${entry.id}.json`,
      });
      expect(entry.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
    const shown = await request<{ audit_log: AuditLog }>(stack, 'GET', `/api/v2/audit_logs/${entries[0]!.id}`, admin(ent));
    expect(shown.json.audit_log).toEqual(entries[0]);
  });

  test('operator changes (plan, user, access) have the Operator as actor', async () => {
    await stack.accounts.updateAccount(OPERATOR, 'ent', { plan: 'enterprise_plus' });
    await addUser(stack, 'ent', 'new@ent.test', 'agent');
    await stack.accounts.updateUser(OPERATOR, 'ent', 'new@ent.test', { role: 'admin' });
    await stack.accounts.removeUser(OPERATOR, 'ent', 'new@ent.test');
    const entries = (await logs('?filter[actor_id]=-1&page[size]=4')).json.audit_logs;
    expect(entries.map((entry) => [entry.event, entry.source_type, entry.change_description])).toEqual([
      ['user.removed', 'user', 'User removed'],
      ['user.updated', 'user', 'Role changed from "agent" to "admin"'],
      ['user.created', 'user', 'User added with role agent'],
      ['account.plan_changed', 'account', 'Plan changed from "enterprise" to "enterprise_plus"'],
    ]);
    for (const entry of entries) expect(entry).toMatchObject({ actor_id: -1, actor_name: 'Operator', ip_address: OPERATOR.request.ipAddress });
  });
});

describe('filters and sort', () => {
  test('each filter alone and combined; sort both ways; apitoken is an alias', async () => {
    const all = (await logs('?page[size]=100')).json.audit_logs;
    const ids = all.map((entry) => entry.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const ascending = (await logs('?sort=created_at&page[size]=100')).json.audit_logs.map((entry) => entry.id);
    expect(ascending).toEqual([...ids].reverse());

    const check = async (query: string, predicate: (entry: AuditLog) => boolean) => {
      const found = (await logs(`${query}&page[size]=100`)).json.audit_logs.map((entry) => entry.id);
      const expected = all.filter(predicate).map((entry) => entry.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(found).toEqual(expected);
    };
    const token = all.find((entry) => entry.source_type === 'api_token')!;
    await check(`?filter[source_type]=apitoken&filter[source_id]=${token.source_id}`, (entry) => entry.source_type === 'api_token' && entry.source_id === token.source_id);
    await check('?filter[source_type]=user', (entry) => entry.source_type === 'user');
    await check(`?filter[source_id]=${token.source_id}`, (entry) => entry.source_id === token.source_id);
    await check(`?filter[actor_id]=${ent.admin.userId}`, (entry) => entry.actor_id === ent.admin.userId);
    await check('?filter[action]=destroy', (entry) => entry.action === 'destroy');
    await check('?filter[action][]=create&filter[action][]=destroy', (entry) => ['create', 'destroy'].includes(entry.action));
    await check('?filter[ip_address]=127.0.0.1', (entry) => entry.ip_address === '127.0.0.1');
    await check('?filter[ip_address]=127.0.0.1&filter[action]=update&filter[source_type]=api_token', (entry) => entry.ip_address === '127.0.0.1' && entry.action === 'update' && entry.source_type === 'api_token');

    const middle = all[Math.floor(all.length / 2)]!;
    const start = all[all.length - 1]!.created_at;
    await check(
      `?filter[created_at][]=${start}&filter[created_at][]=${middle.created_at}`,
      (entry) => entry.created_at >= start && entry.created_at <= middle.created_at,
    );
    await check(`?filter[created_at][]=${start}&filter[created_at][]=${middle.created_at}&filter[action]=create`, (entry) => entry.created_at <= middle.created_at && entry.action === 'create');
  });

  test.each([
    ['an unknown filter', '?filter[colour]=red'],
    ['an unknown source type', '?filter[source_type]=ticket'],
    ['a non-numeric actor', '?filter[actor_id]=me'],
    ['an unknown action', '?filter[action]=explode'],
    ['a bad IP address', '?filter[ip_address]=300.1.1.1'],
    ['one created_at bound', '?filter[created_at][]=2026-01-01T00:00:00Z'],
    ['a bad timestamp', '?filter[created_at][]=yesterday&filter[created_at][]=today'],
    ['start after end', '?filter[created_at][]=2026-02-01T00:00:00Z&filter[created_at][]=2026-01-01T00:00:00Z'],
    ['a bad sort', '?sort=name'],
    ['a bad cursor', '?page[after]=nonsense'],
    ['a page size over 100', '?page[size]=101'],
  ])('%s is a 400', async (_name, query) => {
    const response = await request<{ error: string }>(stack, 'GET', `/api/v2/audit_logs${query}`, admin(ent));
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('BadRequest');
  });
});

describe('cursor pagination', () => {
  test('250 entries in pages of 100, both directions: each exactly once and in order, while entries are being written', async () => {
    const walker = await provisionAccount(stack, 'walker');
    const context = { ...OPERATOR, accountId: 'walker' };
    const tokenIds = await Promise.all(Array.from({ length: 5 }, () => stack.tokens.create(context, 'x').then((created) => created.apiToken.tokenId)));
    // 5 creates + provisioning (account, admin, token) = 8 entries; 242 description changes make 250.
    for (let round = 0; round < 242; round += tokenIds.length) {
      await Promise.all(tokenIds.slice(0, Math.min(tokenIds.length, 242 - round)).map((id, i) => stack.tokens.update(context, id, { description: `r${round + i}` })));
    }
    const firstPage = (await request<AuditLogList>(stack, 'GET', '/api/v2/audit_logs.json?page[size]=100', admin(walker))).json;
    expect(firstPage.meta.has_more).toBe(true);

    // From here on a writer adds entries while the walk goes on: the walk must neither see them nor repeat anything.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i += 1) await stack.tokens.update(context, tokenIds[0]!, { description: `during ${i}` });
    })();
    const forward: AuditLog[] = [...firstPage.audit_logs];
    const backward: AuditLog[] = [];
    try {
      let next: string | null = firstPage.links.next && pathOf(firstPage.links.next);
      let lastPage = firstPage;
      while (next) {
        const page: AuditLogList = (await request<AuditLogList>(stack, 'GET', next, admin(walker))).json;
        forward.push(...page.audit_logs);
        lastPage = page;
        next = page.links.next && pathOf(page.links.next);
      }
      backward.push(...lastPage.audit_logs);
      let prev: string | null = lastPage.links.prev && pathOf(lastPage.links.prev);
      while (prev) {
        const page: AuditLogList = (await request<AuditLogList>(stack, 'GET', prev, admin(walker))).json;
        backward.unshift(...page.audit_logs);
        prev = page.links.prev && pathOf(page.links.prev);
      }
    } finally {
      writing = false;
      await writer;
    }
    const forwardIds = forward.map((entry) => entry.id);
    expect(forward).toHaveLength(250);
    expect(new Set(forwardIds).size).toBe(250);
    expect([...forwardIds].sort((a, b) => b - a)).toEqual(forwardIds);
    // Walking back from the oldest page reaches the newest entries, including those written meanwhile.
    const backwardIds = backward.map((entry) => entry.id);
    expect(new Set(backwardIds).size).toBe(backwardIds.length);
    expect([...backwardIds].sort((a, b) => b - a)).toEqual(backwardIds);
    expect(backwardIds.slice(-250)).toEqual(forwardIds);
    expect(backwardIds.length).toBeGreaterThanOrEqual(250);
  }, 120_000);
});

describe('access', () => {
  test('an admin on a non-Enterprise plan gets 403 naming the plan requirement; entries appear after an upgrade', async () => {
    const refused = await request<{ error: string; description: string }>(stack, 'GET', '/api/v2/audit_logs.json', admin(team));
    expect(refused.status).toBe(403);
    expect(refused.json.error).toBe('Forbidden');
    expect(refused.json.description).toMatch(/enterprise/i);
    await stack.accounts.updateAccount(OPERATOR, 'team', { plan: 'enterprise' });
    const entries = (await logs('', team)).json.audit_logs;
    expect(entries.map((entry) => entry.event)).toEqual(['account.plan_changed', 'api_token.created', 'user.created', 'account.created']);
  });

  test.each(['agent@ent.test', 'enduser@ent.test'])('%s gets 403', async (email) => {
    for (const path of ['/api/v2/audit_logs.json', '/api/v2/audit_logs/1.json', '/api/v2/account/settings.json']) {
      const response = await request<{ error: string }>(stack, 'GET', path, { auth: { email, token: ent.token } });
      expect([path, response.status, response.json.error]).toEqual([path, 403, 'Forbidden']);
    }
  });

  test("another account's audit ids are 404", async () => {
    const theirs = (await logs('', other)).json.audit_logs[0]!;
    const response = await request<{ error: string }>(stack, 'GET', `/api/v2/audit_logs/${theirs.id}.json`, admin(ent));
    expect(response.status).toBe(404);
    expect(response.json.error).toBe('RecordNotFound');
    expect((await logs()).json.audit_logs.map((entry) => entry.id)).not.toContain(theirs.id);
  });
});

describe('account settings', () => {
  test('turning API token access off is a kill switch; only an operator turns it back on; token states are kept', async () => {
    const killed = await provisionAccount(stack, 'killed');
    const auth = killed.adminAuth;
    const second = await request<TokenBody>(stack, 'POST', '/api/v2/api_tokens.json', { auth });
    const parked = await request<TokenBody>(stack, 'POST', '/api/v2/api_tokens.json', { auth });
    await request(stack, 'PUT', `/api/v2/api_tokens/${parked.json.api_token.id}.json`, { auth, body: { api_token: { active: false } } });

    expect((await request(stack, 'GET', '/api/v2/account/settings.json', { auth })).json).toEqual({ settings: { api: { api_token_access: true } } });
    const off = await request(stack, 'PUT', '/api/v2/account/settings.json', { auth, body: { settings: { api: { api_token_access: false } } } });
    expect(off.status).toBe(200);
    expect(off.json).toEqual({ settings: { api: { api_token_access: false } } });

    const me = (token: string) => request(stack, 'GET', '/api/v2/users/me.json', { auth: { email: auth.email, token } });
    expect((await me(killed.token)).status).toBe(401);
    expect((await me(second.json.api_token.token!)).status).toBe(401);

    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(__dirname, '../../bin/tokenctl.cjs'), ...args], {
        env: { ...process.env, DYNAMODB_ENDPOINT: stack.table.endpoint, TABLE_NAME: stack.table.tableName },
        encoding: 'utf8',
      });
    const refused = cli('tokens', 'create', 'killed');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/API token access is turned off/);

    expect(cli('accounts', 'update', 'killed', '--api-token-access', 'on').status).toBe(0);
    expect((await me(killed.token)).status).toBe(200);
    expect((await me(second.json.api_token.token!)).status).toBe(200);
    expect((await me(parked.json.api_token.token!)).status).toBe(401);

    const entries = (await logs('?filter[source_type]=account_settings', killed)).json.audit_logs;
    expect(entries.map((entry) => [entry.event, entry.change_description, entry.actor_name, entry.ip_address])).toEqual([
      ['account.api_token_access_changed', 'API token access turned on', 'Operator', null],
      ['account.api_token_access_changed', 'API token access turned off', killed.admin.name, '127.0.0.1'],
    ]);
  }, 60_000);

  test('bad settings bodies are 400', async () => {
    for (const body of ['{', { settings: { api: { api_token_access: 'no' } } }, { settings: { api: {} } }, { settings: { api: { api_token_access: true, extra: 1 } } }]) {
      const response = await request<{ error: string }>(stack, 'PUT', '/api/v2/account/settings', { ...admin(ent), body });
      expect([body, response.status, response.json.error]).toEqual([body, 400, 'BadRequest']);
    }
  });
});
