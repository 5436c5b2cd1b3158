// The IP allow-list through the local stack: `allowed_ips` on create and edit, read strictly, stored and shown
// in canonical form; a request from an address outside it gets the usual 401, whatever X-Forwarded-For says
// (the source address is the client's socket address, as API Gateway's `requestContext.identity.sourceIp`).
// A change let in from an address the list held commits only while the list is still the one checked. The
// allow-list beside deactivation, deletion, the kill switch and the limit; the audit entries.
import { OPERATOR, request, tokenPath, type ProvisionedAccount } from '../support/api-stack';
import { tokenPolicySuite, UNAUTHORIZED_ANSWER, answerOf, type TokenBody } from '../support/token-policy-suite';
import { whileCommitHeld } from '../support/commit-hold';
import { accountPartition } from '../support/tables';

type AuditBody = { audit_logs: { event: string; change_description: string; ip_address: string | null }[] };

const UNAUTHORIZED = UNAUTHORIZED_ANSWER;
/** Where the tests' requests come from: the emulator listens on the loopback address. */
const HERE = '127.0.0.1';

const suite = tokenPolicySuite('iplist');
const { account, create, edit } = suite;


const me = (owner: ProvisionedAccount, token: string, headers?: Record<string, string>) =>
  request(suite.stack, 'GET', '/api/v2/users/me.json', { auth: { email: owner.admin.email, token }, headers });
const answer = answerOf;

async function historyOf(owner: ProvisionedAccount, tokenId: number) {
  const response = await request<AuditBody>(suite.stack, 'GET', `/api/v2/audit_logs.json?filter[source_type]=api_token&filter[source_id]=${tokenId}&sort=created_at`, {
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
    const write = await request(suite.stack, 'POST', '/api/v2/api_tokens.json', { auth: { email: owner.admin.email, token }, body: {} });
    expect(answer(write)).toEqual(UNAUTHORIZED);

    expect(await historyOf(owner, here.json.api_token.id)).toEqual([['api_token.created', `Created; IP allow-list ${HERE}/32`]]);
    expect(await historyOf(owner, elsewhere.json.api_token.id)).toEqual([['api_token.created', 'Created; IP allow-list 10.0.0.0/8, 2001:db8::/32']]);
  });

  test('blocks are stored and shown in canonical form, each once; a block around the address lets it in', async () => {
    const owner = await account();
    const created = await create(owner, { allowed_ips: ['127.0.0.0/8', '2001:DB8:0:0:0:0:0:1', '192.0.2.1', '127.0.0.0/8', '::/0'] });
    expect(created.status).toBe(201);
    expect(created.json.api_token.allowed_ips).toEqual(['127.0.0.0/8', '2001:db8::1/128', '192.0.2.1/32', '::/0']);
    const { tokens } = await accountPartition(suite.stack.table, owner.accountId);
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
    const { tokens } = await accountPartition(suite.stack.table, owner.accountId);
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
    const shown = (await request<TokenBody>(suite.stack, 'GET', tokenPath(created.id), { auth: owner.adminAuth })).json.api_token;
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
    expect((await request(suite.stack, 'GET', '/api/v2/api_tokens.json', { auth: { email: owner.admin.email, token } })).status).toBe(403);
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
    const narrowed = await request<TokenBody>(suite.stack, 'PUT', tokenPath(own.id), { auth, body: { api_token: { allowed_ips: ['192.0.2.0/24'] } } });
    expect(narrowed.status).toBe(200);
    expect((await me(owner, own.token!)).status).toBe(401);
    // An operator, from anywhere, can widen it again.
    await suite.stack.tokens.update({ ...OPERATOR, accountId: owner.accountId }, own.id, { allowedIps: null });
    expect((await me(owner, own.token!)).status).toBe(200);
  });

  test('an allow-listed token is deactivated, deleted and stopped by the kill switch like any other, and counts toward the limit', async () => {
    const owner = await account();
    const listed = (await create(owner, { allowed_ips: [HERE] })).json.api_token;
    const token = listed.token!;
    expect((await edit(owner, listed.id, { active: false })).status).toBe(200);
    expect((await me(owner, token)).status).toBe(401);
    expect((await edit(owner, listed.id, { active: true })).status).toBe(200);
    expect((await request(suite.stack, 'PUT', '/api/v2/account/settings.json', { auth: owner.adminAuth, body: { settings: { api: { api_token_access: false } } } })).status).toBe(200);
    expect((await me(owner, token)).status).toBe(401);
    await suite.stack.accounts.updateAccount(OPERATOR, owner.accountId, { apiTokenAccess: true });
    expect((await me(owner, token)).status).toBe(200);

    const { account: stored } = await accountPartition(suite.stack.table, owner.accountId);
    await suite.stack.table.store.updateAccount(stored!, { tokenLimit: stored!.tokenCount }, new Date().toISOString(), []);
    const refused = await create(owner, { allowed_ips: [HERE] });
    expect([refused.status, refused.json.details?.base?.[0]?.error]).toEqual([422, 'TokenLimitReached']);
    await edit(owner, listed.id, { active: false });
    expect((await request(suite.stack, 'DELETE', tokenPath(listed.id), { auth: owner.adminAuth })).status).toBe(204);
    expect((await me(owner, token)).status).toBe(401);
    expect((await create(owner, { allowed_ips: [HERE] })).status).toBe(201);
  });
});

describe('the allow-list at commit', () => {
  /** Sends a change with a token that has an allow-list, changes the list while the change is held before its commit, then lets it go. */
  async function changedInFlight(newList: string[] | null) {
    const owner = await account();
    const listed = (await create(owner, { allowed_ips: ['10.0.0.0/8', HERE] })).json.api_token;
    const target = (await create(owner, { description: 'target' })).json.api_token;
    const answered = await whileCommitHeld(
      () => request<TokenBody>(suite.stack, 'PUT', tokenPath(target.id), { auth: { email: owner.admin.email, token: listed.token! }, body: { api_token: { description: 'late' } } }),
      () => suite.stack.tokens.update({ ...OPERATOR, accountId: owner.accountId }, listed.id, { allowedIps: newList }),
    );
    const { tokens } = await accountPartition(suite.stack.table, owner.accountId);
    return { answered, description: tokens.find((token) => token.tokenId === target.id)?.description };
  }

  test('the list unchanged meanwhile: the change commits', async () => {
    const { answered, description } = await changedInFlight(['10.0.0.0/8', HERE]);
    expect(answered.status).toBe(200);
    expect(description).toBe('late');
  });

  test.each([
    ['narrowed to leave the address out', ['10.0.0.0/8']],
    ['widened (any change: the list checked is no longer the token\'s)', ['10.0.0.0/8', '127.0.0.0/8']],
    ['removed', null],
  ])('%s meanwhile: the change is refused with the usual 401 and changes nothing', async (_, newList) => {
    const { answered, description } = await changedInFlight(newList);
    expect(answer(answered)).toEqual(UNAUTHORIZED);
    expect(description).toBe('target');
  });

  test('a token without a list that gets one meanwhile: the change is refused too', async () => {
    const owner = await account();
    const target = (await create(owner, { description: 'target' })).json.api_token;
    const ownId = Number(owner.token.split('_')[2]);
    const response = whileCommitHeld(
      () => edit(owner, target.id, { description: 'late' }),
      () => suite.stack.tokens.update({ ...OPERATOR, accountId: owner.accountId }, ownId, { allowedIps: [HERE] }),
    );
    expect(answer(await response)).toEqual(UNAUTHORIZED);
    await suite.stack.tokens.update({ ...OPERATOR, accountId: owner.accountId }, ownId, { allowedIps: null });
  });
});
