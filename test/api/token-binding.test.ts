// Binding a token to one user through the local stack: `assigned_user_id` on create and edit, in every view;
// a bound token authenticates only with its user's email, every other email gets the usual 401; removing or
// suspending the user makes the token fail for every email, and so does rebinding it while a request made
// with it is in flight. Binding beside deactivation, deletion, the kill switch and the limit; the audit entries.
import { addUser, OPERATOR, provisionAccount, request, tokenPath, type ProvisionedAccount } from '../support/api-stack';
import { tokenPolicySuite, UNAUTHORIZED_ANSWER, answerOf, type TokenBody } from '../support/token-policy-suite';
import { whileCommitHeld } from '../support/commit-hold';
import { accountPartition } from '../support/tables';
import type { User } from '../../shared/domain/model';

type AuditBody = { audit_logs: { event: string; change_description: string }[] };

const UNAUTHORIZED = UNAUTHORIZED_ANSWER;

const suite = tokenPolicySuite('binding');
const { account, create, edit } = suite;

interface Scene {
  owner: ProvisionedAccount;
  /** A second admin, whose email the bound token must refuse. */
  other: User;
  /** An agent to bind tokens to. */
  agent: User;
}

async function scene(): Promise<Scene> {
  const owner = await account();
  const other = await addUser(suite.stack, owner.accountId, `other@${owner.accountId}.test`, 'admin');
  const agent = await addUser(suite.stack, owner.accountId, `agent@${owner.accountId}.test`, 'agent');
  return { owner, other, agent };
}

const me = (email: string, token: string) => request(suite.stack, 'GET', '/api/v2/users/me.json', { auth: { email, token } });
const answer = answerOf;

async function historyOf(owner: ProvisionedAccount, tokenId: number) {
  const response = await request<AuditBody>(suite.stack, 'GET', `/api/v2/audit_logs.json?filter[source_type]=api_token&filter[source_id]=${tokenId}&sort=created_at`, {
    auth: owner.adminAuth,
  });
  return response.json.audit_logs.map((entry) => [entry.event, entry.change_description]);
}

describe('assigned_user_id', () => {
  test('a bound token authenticates only with its user\'s email; any other email gets the usual 401', async () => {
    const { owner, other, agent } = await scene();
    const created = await create(owner, { description: 'agent only', assigned_user_id: agent.userId });
    expect(created.status).toBe(201);
    expect(created.json.api_token.assigned_user_id).toBe(agent.userId);
    const token = created.json.api_token.token!;

    const asAgent = await request<{ user: { id: number } }>(suite.stack, 'GET', '/api/v2/users/me.json', { auth: { email: agent.email, token } });
    expect([asAgent.status, asAgent.json.user.id]).toEqual([200, agent.userId]);
    for (const email of [owner.admin.email, other.email, `nobody@${owner.accountId}.test`]) {
      expect(answer(await me(email, token))).toEqual(UNAUTHORIZED);
    }
    // The same email in another case is the same user.
    expect((await me(agent.email.toUpperCase(), token)).status).toBe(200);

    const shown = await request<TokenBody>(suite.stack, 'GET', tokenPath(created.json.api_token.id), { auth: owner.adminAuth });
    expect(shown.json.api_token.assigned_user_id).toBe(agent.userId);
    expect(await historyOf(owner, created.json.api_token.id)).toEqual([['api_token.created', `Created; assigned to user ${agent.userId} (${agent.email})`]]);
  });

  test('binding an admin\'s token to an agent leaves the agent an agent; binding is about who, the ceiling about what', async () => {
    const { owner, agent } = await scene();
    const created = await create(owner, { assigned_user_id: owner.admin.userId, max_role: 'agent' });
    const token = created.json.api_token.token!;
    expect((await request(suite.stack, 'GET', '/api/v2/api_tokens.json', { auth: { email: owner.admin.email, token } })).status).toBe(403);
    expect((await me(agent.email, token)).status).toBe(401);
    expect(await historyOf(owner, created.json.api_token.id)).toEqual([
      ['api_token.created', `Created; assigned to user ${owner.admin.userId} (${owner.admin.email}); role ceiling agent`],
    ]);
  });

  test('suspending the bound user makes the token fail for every email; unsuspending brings it back', async () => {
    const { owner, other, agent } = await scene();
    const token = (await create(owner, { assigned_user_id: agent.userId })).json.api_token.token!;
    await suite.stack.accounts.updateUser(OPERATOR, owner.accountId, agent.email, { suspended: true });
    for (const email of [agent.email, other.email, owner.admin.email]) expect(answer(await me(email, token))).toEqual(UNAUTHORIZED);
    await suite.stack.accounts.updateUser(OPERATOR, owner.accountId, agent.email, { suspended: false });
    expect((await me(agent.email, token)).status).toBe(200);
  });

  test('removing the bound user makes the token fail for every email, also once a user of that email is added again', async () => {
    const { owner, other, agent } = await scene();
    const token = (await create(owner, { assigned_user_id: agent.userId })).json.api_token.token!;
    await suite.stack.accounts.removeUser(OPERATOR, owner.accountId, agent.email);
    for (const email of [agent.email, other.email, owner.admin.email]) expect(answer(await me(email, token))).toEqual(UNAUTHORIZED);
    await addUser(suite.stack, owner.accountId, agent.email, 'agent');
    expect(answer(await me(agent.email, token))).toEqual(UNAUTHORIZED);
  });

  test('is edited and removed, an entry for each change, naming the users; unchanged writes nothing', async () => {
    const { owner, other, agent } = await scene();
    const created = (await create(owner, {})).json.api_token;
    const token = created.token!;
    expect(created).not.toHaveProperty('assigned_user_id');
    expect((await edit(owner, created.id, { assigned_user_id: agent.userId })).json.api_token.assigned_user_id).toBe(agent.userId);
    expect((await me(owner.admin.email, token)).status).toBe(401);
    expect((await edit(owner, created.id, { assigned_user_id: agent.userId })).status).toBe(200);
    const shown = (await request<TokenBody>(suite.stack, 'GET', tokenPath(created.id), { auth: owner.adminAuth })).json.api_token;
    expect((await edit(owner, created.id, { ...shown })).json.api_token).toEqual(shown);
    expect((await edit(owner, created.id, { assigned_user_id: other.userId })).status).toBe(200);
    expect((await me(agent.email, token)).status).toBe(401);
    expect((await me(other.email, token)).status).toBe(200);
    await suite.stack.accounts.removeUser(OPERATOR, owner.accountId, other.email);
    const unbound = await edit(owner, created.id, { assigned_user_id: null });
    expect(unbound.json.api_token).not.toHaveProperty('assigned_user_id');
    expect((await me(owner.admin.email, token)).status).toBe(200);
    expect(await historyOf(owner, created.id)).toEqual([
      ['api_token.created', 'Created'],
      ['api_token.assigned_user_changed', `Assigned user changed from none to user ${agent.userId} (${agent.email})`],
      ['api_token.assigned_user_changed', `Assigned user changed from user ${agent.userId} (${agent.email}) to user ${other.userId} (${other.email})`],
      // The user is gone: named by id alone.
      ['api_token.assigned_user_changed', `Assigned user changed from user ${other.userId} to none`],
    ]);
  });

  test('a user that is not in the account is a 422 naming assigned_user_id, on create and on edit; a wrong type or an integer past 2^53 is a 400', async () => {
    const { owner } = await scene();
    const elsewhere = await provisionAccount(suite.stack, `${owner.accountId}else`);
    for (const userId of [elsewhere.admin.userId, 1, 0, -5]) {
      const created = await create(owner, { assigned_user_id: userId });
      expect([userId, created.status, Object.keys(created.json.details ?? {})]).toEqual([userId, 422, ['assigned_user_id']]);
    }
    const id = (await create(owner, {})).json.api_token.id;
    const edited = await edit(owner, id, { assigned_user_id: elsewhere.admin.userId, description: 'not applied' });
    expect([edited.status, Object.keys(edited.json.details ?? {})]).toEqual([422, ['assigned_user_id']]);
    for (const value of ['1', 1.5, true, [1], 2 ** 53 + 2]) {
      const response = await create(owner, { assigned_user_id: value });
      expect([value, response.status, response.json.error]).toEqual([value, 400, 'BadRequest']);
    }
    const { tokens } = await accountPartition(suite.stack.table, owner.accountId);
    expect(tokens.filter((token) => token.policy?.assignedUserId !== undefined)).toEqual([]);
  });

  test('a bound token is deactivated, deleted and stopped by the kill switch like any other, and counts toward the limit', async () => {
    const { owner, agent } = await scene();
    const bound = (await create(owner, { assigned_user_id: agent.userId })).json.api_token;
    const token = bound.token!;
    expect((await edit(owner, bound.id, { active: false })).status).toBe(200);
    expect((await me(agent.email, token)).status).toBe(401);
    expect((await edit(owner, bound.id, { active: true })).status).toBe(200);
    expect((await me(agent.email, token)).status).toBe(200);

    const off = await request(suite.stack, 'PUT', '/api/v2/account/settings.json', { auth: owner.adminAuth, body: { settings: { api: { api_token_access: false } } } });
    expect(off.status).toBe(200);
    expect((await me(agent.email, token)).status).toBe(401);
    await suite.stack.accounts.updateAccount(OPERATOR, owner.accountId, { apiTokenAccess: true });
    expect((await me(agent.email, token)).status).toBe(200);

    const { account: stored } = await accountPartition(suite.stack.table, owner.accountId);
    await suite.stack.table.store.updateAccount(stored!, { tokenLimit: stored!.tokenCount }, new Date().toISOString(), []);
    const refused = await create(owner, { assigned_user_id: agent.userId });
    expect([refused.status, refused.json.details?.base?.[0]?.error]).toEqual([422, 'TokenLimitReached']);

    await edit(owner, bound.id, { active: false });
    expect((await request(suite.stack, 'DELETE', tokenPath(bound.id), { auth: owner.adminAuth })).status).toBe(204);
    expect((await me(agent.email, token)).status).toBe(401);
    expect((await create(owner, { assigned_user_id: agent.userId })).status).toBe(201);
  });

  test('rebinding a token while a request made with it is in flight: that request\'s change fails with 401 and changes nothing', async () => {
    const { owner, other } = await scene();
    // The owner's own token, used by the owner, is rebound to another admin before the owner's change commits.
    const target = (await create(owner, { description: 'target' })).json.api_token;
    const ownId = Number(owner.token.split('_')[2]);
    const response = whileCommitHeld(
      () => edit(owner, target.id, { description: 'late' }),
      () => suite.stack.tokens.update({ ...OPERATOR, accountId: owner.accountId }, ownId, { assignedUserId: other.userId }),
    );
    expect(answer(await response)).toEqual(UNAUTHORIZED);
    const { tokens } = await accountPartition(suite.stack.table, owner.accountId);
    expect(tokens.find((token) => token.tokenId === target.id)?.description).toBe('target');
    // Bound back, so that the owner's credentials work for the checks after the tests.
    await suite.stack.tokens.update({ ...OPERATOR, accountId: owner.accountId }, ownId, { assignedUserId: null });
  });
});
