// The IP allow-list through the local stack: `allowed_ips` on create and edit, read strictly, stored and shown
// in canonical form; a request from an address outside it gets the usual 401, whatever X-Forwarded-For says
// (the source address is the client's socket address, as API Gateway's `requestContext.identity.sourceIp`).
// The allow-list beside deactivation, deletion, the kill switch and the limit; the audit entries.
import type { ApiTokenJson } from '../../shared/http/presenters';
import { OPERATOR, provisionAccount, request, startApiStack, tokenPath, type ApiResponse, type ApiStack, type ProvisionedAccount } from '../support/api-stack';
import { accountPartition } from '../support/tables';

type TokenBody = { api_token: ApiTokenJson & { token?: string } };
type ErrorBody = { error: string; description: string; details?: Record<string, { error: string; description: string }[]> };
type AuditBody = { audit_logs: { event: string; change_description: string; ip_address: string | null }[] };

const UNAUTHORIZED = { status: 401, json: { error: "Couldn't authenticate you" }, challenge: 'Basic realm="Web Password"' };
/** Where the tests' requests come from: the emulator listens on the loopback address. */
const HERE = '127.0.0.1';

let stack: ApiStack;
let accountCount = 0;

beforeAll(async () => {
  stack = await startApiStack();
});

afterAll(() => stack.close());

async function account(): Promise<ProvisionedAccount> {
  accountCount += 1;
  return provisionAccount(stack, `iplist${accountCount}`);
}

const create = (owner: ProvisionedAccount, apiToken: Record<string, unknown>) =>
  request<TokenBody & ErrorBody>(stack, 'POST', '/api/v2/api_tokens.json', { auth: owner.adminAuth, body: { api_token: apiToken } });
const edit = (owner: ProvisionedAccount, id: number, apiToken: Record<string, unknown>) =>
  request<TokenBody & ErrorBody>(stack, 'PUT', tokenPath(id), { auth: owner.adminAuth, body: { api_token: apiToken } });
const me = (owner: ProvisionedAccount, token: string, headers?: Record<string, string>) =>
  request(stack, 'GET', '/api/v2/users/me.json', { auth: { email: owner.admin.email, token }, headers });
const answer = (response: ApiResponse) => ({ status: response.status, json: response.json, challenge: response.headers.get('www-authenticate') });

async function historyOf(owner: ProvisionedAccount, tokenId: number) {
  const response = await request<AuditBody>(stack, 'GET', `/api/v2/audit_logs.json?filter[source_type]=api_token&filter[source_id]=${tokenId}&sort=created_at`, {
    auth: owner.adminAuth,
  });
  return response.json.audit_logs.map((entry) => [entry.event, entry.change_description]);
}

describe('allowed_ips', () => {
  test('a token works from an address in its list, and from no other: the usual 401, whatever X-Forwarded-For says', async () => {
    const owner = await account();
    const here = await create(owner, { description: 'here', allowed_ips: [HERE] });
    expect(here.status).toBe(201);
    expect(here.json.api_token.allowed_ips).toEqual([`${HERE}/32`]);
    expect((await me(owner, here.json.api_token.token!)).status).toBe(200);

    const elsewhere = await create(owner, { description: 'elsewhere', allowed_ips: ['10.0.0.0/8', '2001:db8::/32'] });
    expect(elsewhere.status).toBe(201);
    const token = elsewhere.json.api_token.token!;
    expect(answer(await me(owner, token))).toEqual(UNAUTHORIZED);
    for (const forwarded of ['10.1.2.3', '10.1.2.3, 127.0.0.1', '2001:db8::1']) {
      expect(answer(await me(owner, token, { 'X-Forwarded-For': forwarded, 'X-Real-IP': '10.1.2.3' }))).toEqual(UNAUTHORIZED);
    }
    const write = await request(stack, 'POST', '/api/v2/api_tokens.json', { auth: { email: owner.admin.email, token }, body: {} });
    expect(answer(write)).toEqual(UNAUTHORIZED);

    expect(await historyOf(owner, here.json.api_token.id)).toEqual([['api_token.created', `Created; IP allow-list ${HERE}/32`]]);
    expect(await historyOf(owner, elsewhere.json.api_token.id)).toEqual([['api_token.created', 'Created; IP allow-list 10.0.0.0/8, 2001:db8::/32']]);
  });

  test('blocks are stored and shown in canonical form, each once; a block around the address lets it in', async () => {
    const owner = await account();
    const created = await create(owner, { allowed_ips: ['127.0.0.0/8', '2001:DB8:0:0:0:0:0:1', '192.0.2.1', '127.0.0.0/8', '::/0'] });
    expect(created.status).toBe(201);
    expect(created.json.api_token.allowed_ips).toEqual(['127.0.0.0/8', '2001:db8::1/128', '192.0.2.1/32', '::/0']);
    const { tokens } = await accountPartition(stack.table, owner.accountId);
    expect(tokens.find((token) => token.tokenId === created.json.api_token.id)?.policy).toEqual({ allowedIps: ['127.0.0.0/8', '2001:db8::1/128', '192.0.2.1/32', '::/0'] });
    expect((await me(owner, created.json.api_token.token!)).status).toBe(200);
    // IPv6 blocks alone, even all of IPv6, do not take in an IPv4 client.
    const v6 = await create(owner, { allowed_ips: ['::/0'] });
    expect((await me(owner, v6.json.api_token.token!)).status).toBe(401);
  });

  test.each([
    ['an octet past 255', ['10.0.0.256']],
    ['a leading zero', ['010.0.0.1']],
    ['bits set after the prefix', ['10.1.2.3/8']],
    ['a prefix too long', ['10.0.0.0/33']],
    ['an IPv6 prefix too long', ['2001:db8::/129']],
    ['a prefix with a leading zero', ['10.0.0.0/08']],
    ['an empty prefix', ['10.0.0.0/']],
    ['a zone', ['fe80::1%eth0']],
    ['fullwidth digits', ['\uff11\uff12\uff17.0.0.1']],
    ['a bidirectional control', ['\u202e127.0.0.1']],
    ['a space', [' 127.0.0.1']],
    ['a host name', ['localhost']],
    ['an IPv4-mapped address', ['::ffff:127.0.0.1']],
    ['an empty string', ['']],
    ['seventeen blocks', Array.from({ length: 17 }, (_, index) => `10.${index}.0.0/16`)],
  ])('%s: 422 naming allowed_ips, on create and on edit; nothing stored', async (_, allowedIps) => {
    const owner = await account();
    const created = await create(owner, { allowed_ips: allowedIps });
    expect([created.status, created.json.error, Object.keys(created.json.details ?? {})]).toEqual([422, 'RecordInvalid', ['allowed_ips']]);
    const id = (await create(owner, {})).json.api_token.id;
    const edited = await edit(owner, id, { allowed_ips: allowedIps, description: 'not applied' });
    expect([edited.status, Object.keys(edited.json.details ?? {})]).toEqual([422, ['allowed_ips']]);
    // Quoted back escaped: no invisible or reordering character reaches the answer.
    expect(created.text).not.toMatch(/[\u202e\uff11]/);
    const { tokens } = await accountPartition(stack.table, owner.accountId);
    expect(tokens.filter((token) => token.policy !== undefined || token.description === 'not applied')).toEqual([]);
  });

  test('sixteen blocks are accepted', async () => {
    const owner = await account();
    const created = await create(owner, { allowed_ips: [...Array.from({ length: 15 }, (_, index) => `10.${index}.0.0/16`), HERE] });
    expect(created.status).toBe(201);
    expect(created.json.api_token.allowed_ips).toHaveLength(16);
    expect((await me(owner, created.json.api_token.token!)).status).toBe(200);
  });

  test.each([['127.0.0.1'], [[1]], [[null]], [{ ip: '127.0.0.1' }]])('%p: 400', async (value) => {
    const owner = await account();
    const response = await create(owner, { allowed_ips: value });
    expect([response.status, response.json.error]).toEqual([400, 'BadRequest']);
    expect(response.json.description).toContain('allowed_ips');
  });

  test('is edited and removed with [] or null, an entry for each change; the same blocks in another order are no change', async () => {
    const owner = await account();
    const created = (await create(owner, {})).json.api_token;
    const token = created.token!;
    expect(created).not.toHaveProperty('allowed_ips');
    expect((await edit(owner, created.id, { allowed_ips: ['10.0.0.0/8', HERE] })).json.api_token.allowed_ips).toEqual(['10.0.0.0/8', `${HERE}/32`]);
    expect((await edit(owner, created.id, { allowed_ips: [`${HERE}/32`, '10.0.0.0/8'] })).status).toBe(200);
    const shown = (await request<TokenBody>(stack, 'GET', tokenPath(created.id), { auth: owner.adminAuth })).json.api_token;
    expect(shown.allowed_ips).toEqual(['10.0.0.0/8', `${HERE}/32`]);
    expect((await edit(owner, created.id, { ...shown })).json.api_token).toEqual(shown);
    expect((await edit(owner, created.id, { allowed_ips: ['10.0.0.0/8'] })).status).toBe(200);
    expect((await me(owner, token)).status).toBe(401);
    const emptied = await edit(owner, created.id, { allowed_ips: [] });
    expect(emptied.json.api_token).not.toHaveProperty('allowed_ips');
    expect((await me(owner, token)).status).toBe(200);
    expect((await edit(owner, created.id, { allowed_ips: ['192.0.2.0/24'] })).status).toBe(200);
    expect((await edit(owner, created.id, { allowed_ips: null })).json.api_token).not.toHaveProperty('allowed_ips');
    expect(await historyOf(owner, created.id)).toEqual([
      ['api_token.created', 'Created'],
      ['api_token.allowed_ips_changed', `IP allow-list changed from none to 10.0.0.0/8, ${HERE}/32`],
      ['api_token.allowed_ips_changed', `IP allow-list changed from 10.0.0.0/8, ${HERE}/32 to 10.0.0.0/8`],
      ['api_token.allowed_ips_changed', 'IP allow-list changed from 10.0.0.0/8 to none'],
      ['api_token.allowed_ips_changed', 'IP allow-list changed from none to 192.0.2.0/24'],
      ['api_token.allowed_ips_changed', 'IP allow-list changed from 192.0.2.0/24 to none'],
    ]);
  });

  test('every part of a policy at once: one entry each, in one change', async () => {
    const owner = await account();
    const created = (await create(owner, { description: 'all', expires_at: '2099-01-01T00:00:00Z' })).json.api_token;
    const edited = await edit(owner, created.id, { assigned_user_id: owner.admin.userId, max_role: 'agent', allowed_ips: [HERE], description: 'all set' });
    expect(edited.json.api_token).toMatchObject({ assigned_user_id: owner.admin.userId, max_role: 'agent', allowed_ips: [`${HERE}/32`], expires_at: '2099-01-01T00:00:00Z' });
    const token = created.token!;
    expect((await me(owner, token)).status).toBe(200);
    expect((await request(stack, 'GET', '/api/v2/api_tokens.json', { auth: { email: owner.admin.email, token } })).status).toBe(403);
    expect(await historyOf(owner, created.id)).toEqual([
      ['api_token.created', 'Created; expires 2099-01-01T00:00:00Z'],
      ['api_token.description_changed', 'Description changed from "all" to "all set"'],
      ['api_token.assigned_user_changed', `Assigned user changed from none to user ${owner.admin.userId} (${owner.admin.email})`],
      ['api_token.max_role_changed', 'Role ceiling changed from none to agent'],
      ['api_token.allowed_ips_changed', `IP allow-list changed from none to ${HERE}/32`],
    ]);
  });

  test('an admin who takes their own address out of the list of the token they call with gets 200, then is locked out', async () => {
    const owner = await account();
    const own = (await create(owner, {})).json.api_token;
    const auth = { email: owner.admin.email, token: own.token! };
    const narrowed = await request<TokenBody>(stack, 'PUT', tokenPath(own.id), { auth, body: { api_token: { allowed_ips: ['192.0.2.0/24'] } } });
    expect(narrowed.status).toBe(200);
    expect((await me(owner, own.token!)).status).toBe(401);
    // An operator, from anywhere, can widen it again.
    await stack.tokens.update({ ...OPERATOR, accountId: owner.accountId }, own.id, { allowedIps: null });
    expect((await me(owner, own.token!)).status).toBe(200);
  });

  test('an allow-listed token is deactivated, deleted and stopped by the kill switch like any other, and counts toward the limit', async () => {
    const owner = await account();
    const listed = (await create(owner, { allowed_ips: [HERE] })).json.api_token;
    const token = listed.token!;
    expect((await edit(owner, listed.id, { active: false })).status).toBe(200);
    expect((await me(owner, token)).status).toBe(401);
    expect((await edit(owner, listed.id, { active: true })).status).toBe(200);
    expect((await request(stack, 'PUT', '/api/v2/account/settings.json', { auth: owner.adminAuth, body: { settings: { api: { api_token_access: false } } } })).status).toBe(200);
    expect((await me(owner, token)).status).toBe(401);
    await stack.accounts.updateAccount(OPERATOR, owner.accountId, { apiTokenAccess: true });
    expect((await me(owner, token)).status).toBe(200);

    const { account: stored } = await accountPartition(stack.table, owner.accountId);
    await stack.table.store.updateAccount(stored!, { tokenLimit: stored!.tokenCount }, new Date().toISOString(), []);
    const refused = await create(owner, { allowed_ips: [HERE] });
    expect([refused.status, refused.json.details?.base?.[0]?.error]).toEqual([422, 'TokenLimitReached']);
    await edit(owner, listed.id, { active: false });
    expect((await request(stack, 'DELETE', tokenPath(listed.id), { auth: owner.adminAuth })).status).toBe(204);
    expect((await me(owner, token)).status).toBe(401);
    expect((await create(owner, { allowed_ips: [HERE] })).status).toBe(201);
  });
});
