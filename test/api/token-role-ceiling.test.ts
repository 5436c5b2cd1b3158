// The role ceiling through the local stack: `max_role` on create and edit, in every view of the token; a
// request acts with the lower of its user's role and the ceiling (a token with `agent` used with an admin's
// email cannot manage tokens), at the authorizer and at commit: a ceiling lowered while a request is in
// flight makes its change fail. The ceiling beside deactivation, deletion, the kill switch and the limit;
// the audit entries.
import { addUser, OPERATOR, request, tokenPath, type ApiResponse, type ProvisionedAccount } from '../support/api-stack';
import { tokenPolicySuite, type TokenBody, type ErrorBody } from '../support/token-policy-suite';
import { whileCommitHeld } from '../support/commit-hold';
import { accountPartition } from '../support/tables';

type AuditBody = { audit_logs: { event: string; change_description: string; actor_api_token_id: number | null }[] };

const suite = tokenPolicySuite('ceiling');
const { account, create, edit } = suite;


const as = (email: string, token: string) => ({ auth: { email, token } });

async function historyOf(owner: ProvisionedAccount, tokenId: number) {
  const response = await request<AuditBody>(suite.stack, 'GET', `/api/v2/audit_logs.json?filter[source_type]=api_token&filter[source_id]=${tokenId}&sort=created_at`, {
    auth: owner.adminAuth,
  });
  return response.json.audit_logs.map((entry) => [entry.event, entry.change_description]);
}

/** Sends `write`, sets the ceiling of the owner's token while the write is held, lets it go; then removes the ceiling again. */
async function withCeilingSetInFlight(owner: ProvisionedAccount, maxRole: 'admin' | 'agent' | 'end_user', write: () => Promise<ApiResponse>): Promise<ApiResponse> {
  const operator = { ...OPERATOR, accountId: owner.accountId };
  const ownTokenId = Number(owner.token.split('_')[2]);
  const answered = await whileCommitHeld(write, () => suite.stack.tokens.update(operator, ownTokenId, { maxRole }));
  // Without a ceiling again, so that the owner's credentials still work for the checks after the tests.
  await suite.stack.tokens.update(operator, ownTokenId, { maxRole: null });
  return answered;
}

describe('max_role', () => {
  test('an admin with an agent-ceiling token acts as an agent: signed in, but no token management', async () => {
    const owner = await account();
    const created = await create(owner, { description: 'light integration', max_role: 'agent' });
    expect(created.status).toBe(201);
    expect(created.json.api_token.max_role).toBe('agent');
    const light = as(owner.admin.email, created.json.api_token.token!);

    const me = await request<{ user: { role: string } }>(suite.stack, 'GET', '/api/v2/users/me.json', light);
    expect(me.status).toBe(200);
    for (const [method, path, body] of [
      ['GET', '/api/v2/api_tokens.json', undefined],
      ['POST', '/api/v2/api_tokens.json', {}],
      ['PUT', tokenPath(created.json.api_token.id), { api_token: { max_role: null } }],
      ['GET', '/api/v2/account/settings.json', undefined],
      ['GET', '/api/v2/audit_logs.json', undefined],
    ] as const) {
      const response = await request<ErrorBody>(suite.stack, method, path, { ...light, body });
      expect([method, path, response.status, response.json.error]).toEqual([method, path, 403, 'Forbidden']);
    }
    // Another user's record is an admin's to read; the caller is an agent here.
    const agent = await addUser(suite.stack, owner.accountId, `agent@${owner.accountId}.test`, 'agent');
    expect((await request(suite.stack, 'GET', `/api/v2/users/${agent.userId}.json`, light)).status).toBe(403);
    expect((await request(suite.stack, 'GET', `/api/v2/users/${agent.userId}.json`, { auth: owner.adminAuth })).status).toBe(200);

    expect(await historyOf(owner, created.json.api_token.id)).toEqual([['api_token.created', 'Created; role ceiling agent']]);
    const { tokens } = await accountPartition(suite.stack.table, owner.accountId);
    expect(tokens.find((token) => token.tokenId === created.json.api_token.id)?.policy).toEqual({ maxRole: 'agent' });
  });

  test('a ceiling above the user\'s role grants nothing: an agent with an admin-ceiling token is still an agent', async () => {
    const owner = await account();
    const agent = await addUser(suite.stack, owner.accountId, `agent@${owner.accountId}.test`, 'agent');
    const created = await create(owner, { max_role: 'admin' });
    const asAgent = as(agent.email, created.json.api_token.token!);
    expect((await request(suite.stack, 'GET', '/api/v2/users/me.json', asAgent)).status).toBe(200);
    expect((await request(suite.stack, 'GET', '/api/v2/api_tokens.json', asAgent)).status).toBe(403);
    // The same token with the admin's email: admin is the lower of admin and admin.
    expect((await request(suite.stack, 'GET', '/api/v2/api_tokens.json', as(owner.admin.email, created.json.api_token.token!))).status).toBe(200);
  });

  test('an end_user ceiling keeps a request to what an end user may do', async () => {
    const owner = await account();
    const created = await create(owner, { max_role: 'end_user' });
    const limited = as(owner.admin.email, created.json.api_token.token!);
    expect((await request(suite.stack, 'GET', '/api/v2/users/me.json', limited)).status).toBe(200);
    expect((await request(suite.stack, 'GET', `/api/v2/users/${owner.admin.userId}.json`, limited)).status).toBe(200);
    expect((await request(suite.stack, 'GET', '/api/v2/api_tokens.json', limited)).status).toBe(403);
  });

  test('is edited, and removed, with an entry for each change; sending it unchanged writes nothing', async () => {
    const owner = await account();
    const created = (await create(owner, { description: 'ci' })).json.api_token;
    expect(created).not.toHaveProperty('max_role');
    const lowered = await edit(owner, created.id, { max_role: 'agent' });
    expect(lowered.status).toBe(200);
    expect(lowered.json.api_token.max_role).toBe('agent');
    expect((await edit(owner, created.id, { max_role: 'agent' })).status).toBe(200);
    const shown = (await request<TokenBody>(suite.stack, 'GET', tokenPath(created.id), { auth: owner.adminAuth })).json.api_token;
    expect((await edit(owner, created.id, { ...shown })).json.api_token).toEqual(shown);
    expect((await edit(owner, created.id, { max_role: 'end_user', description: 'ci, read only' })).status).toBe(200);
    const removed = await edit(owner, created.id, { max_role: null });
    expect(removed.json.api_token).not.toHaveProperty('max_role');
    expect(await historyOf(owner, created.id)).toEqual([
      ['api_token.created', 'Created'],
      ['api_token.max_role_changed', 'Role ceiling changed from none to agent'],
      ['api_token.description_changed', 'Description changed from "ci" to "ci, read only"'],
      ['api_token.max_role_changed', 'Role ceiling changed from agent to end_user'],
      ['api_token.max_role_changed', 'Role ceiling changed from end_user to none'],
    ]);
  });

  test.each([['owner'], ['Admin'], [1], [['agent']]])('%p is a 400, on create and on edit', async (value) => {
    const owner = await account();
    const created = await create(owner, { max_role: value });
    expect([created.status, created.json.error]).toEqual([400, 'BadRequest']);
    expect(created.json.description).toContain('max_role');
    const edited = await edit(owner, (await create(owner, {})).json.api_token.id, { max_role: value });
    expect([edited.status, edited.json.error]).toEqual([400, 'BadRequest']);
  });

  test('an admin who lowers the ceiling of the token they call with gets 200, then acts as an agent', async () => {
    const owner = await account();
    const own = (await create(owner, {})).json.api_token;
    const auth = as(owner.admin.email, own.token!);
    const lowered = await request<TokenBody>(suite.stack, 'PUT', tokenPath(own.id), { ...auth, body: { api_token: { max_role: 'agent' } } });
    expect(lowered.status).toBe(200);
    expect((await request(suite.stack, 'GET', '/api/v2/api_tokens.json', auth)).status).toBe(403);
    expect((await request(suite.stack, 'PUT', tokenPath(own.id), { ...auth, body: { api_token: { max_role: null } } })).status).toBe(403);
  });

  test('a ceiling does not outlive deactivation, deletion or the kill switch, nor bypass the limit', async () => {
    const owner = await account();
    const created = (await create(owner, { max_role: 'admin' })).json.api_token;
    const ceilinged = as(owner.admin.email, created.token!);
    expect((await request(suite.stack, 'GET', '/api/v2/api_tokens.json', ceilinged)).status).toBe(200);
    expect((await edit(owner, created.id, { active: false })).status).toBe(200);
    expect((await request(suite.stack, 'GET', '/api/v2/users/me.json', ceilinged)).status).toBe(401);
    expect((await request(suite.stack, 'DELETE', tokenPath(created.id), { auth: owner.adminAuth })).status).toBe(204);
    expect((await request(suite.stack, 'GET', '/api/v2/users/me.json', ceilinged)).status).toBe(401);

    const { account: stored } = await accountPartition(suite.stack.table, owner.accountId);
    await suite.stack.table.store.updateAccount(stored!, { tokenLimit: stored!.tokenCount + 1 }, new Date().toISOString(), []);
    const last = (await create(owner, { max_role: 'admin' })).json.api_token;
    const refused = await request<ErrorBody>(suite.stack, 'POST', '/api/v2/api_tokens.json', { ...as(owner.admin.email, last.token!), body: { api_token: { max_role: 'agent' } } });
    expect([refused.status, refused.json.details?.base?.[0]?.error]).toEqual([422, 'TokenLimitReached']);

    const off = await request(suite.stack, 'PUT', '/api/v2/account/settings.json', { ...as(owner.admin.email, last.token!), body: { settings: { api: { api_token_access: false } } } });
    expect(off.status).toBe(200);
    expect((await request(suite.stack, 'GET', '/api/v2/users/me.json', as(owner.admin.email, last.token!))).status).toBe(401);
    await suite.stack.accounts.updateAccount(OPERATOR, owner.accountId, { apiTokenAccess: true });
  });
});

describe('the ceiling at commit', () => {
  test('lowered while a request made with the token is in flight: that request\'s change fails (403) and changes nothing', async () => {
    const owner = await account();
    const other = (await create(owner, { description: 'other' })).json.api_token;
    const response = await withCeilingSetInFlight(owner, 'agent', () => edit(owner, other.id, { description: 'late' }));
    expect(response.status).toBe(403);
    expect((response.json as ErrorBody).error).toBe('Forbidden');
    const { tokens, audits } = await accountPartition(suite.stack.table, owner.accountId);
    expect(tokens.find((token) => token.tokenId === other.id)?.description).toBe('other');
    expect(audits.filter((entry) => entry.changeDescription.includes('late'))).toEqual([]);
    expect(audits.filter((entry) => entry.actorApiTokenId !== null && entry.event !== 'api_token.created')).toEqual([]);
  });

  test('a token creation in flight is refused the same way, and takes no slot', async () => {
    const owner = await account();
    const before = await accountPartition(suite.stack.table, owner.accountId);
    const response = await withCeilingSetInFlight(owner, 'end_user', () => create(owner, { description: 'late' }));
    expect(response.status).toBe(403);
    const after = await accountPartition(suite.stack.table, owner.accountId);
    expect(after.tokens.length).toBe(before.tokens.length);
    expect(after.account!.tokenCount).toBe(before.account!.tokenCount);
  });

  test('a ceiling set meanwhile that still allows the route: the change commits', async () => {
    const owner = await account();
    const other = (await create(owner, { description: 'other' })).json.api_token;
    const response = await withCeilingSetInFlight(owner, 'admin', () => edit(owner, other.id, { description: 'committed' }));
    expect(response.status).toBe(200);
    expect((response.json as TokenBody).api_token.description).toBe('committed');
  });
});
