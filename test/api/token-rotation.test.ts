// Rotation through the local stack: `POST /api_tokens/{id}/rotate` gives a new token with the old one's
// description and policy; with no grace the old token is replaced at once in its slot (so it works at the
// limit), with one both work until the grace ends, then only the new one. Its audit entries name each other;
// rotation beside deactivation, deletion, the kill switch and the limit; every request in flight while a
// rotation commits is answered by one of the two tokens' states.
import { AccountSuspendedError, ApiTokenAccessDisabledError } from '../../shared/domain/errors';
import type { GeneratedToken } from '../../shared/domain/token-format';
import { addUser, createToken, OPERATOR, request, tokenIdOf, tokenPath, type ApiResponse, type ProvisionedAccount } from '../support/api-stack';
import { holdNextCommit, whileCommitHeld } from '../support/commit-hold';
import { accountPartition } from '../support/tables';
import { tokenPolicySuite, UNAUTHORIZED_ANSWER, answerOf, type ErrorBody, type TokenBody } from '../support/token-policy-suite';

// Every token the process generates, in order, so that the in-flight test can use a rotation's new token
// while its commit is held, before the API has answered with it.
const mockGenerated: GeneratedToken[] = [];
jest.mock('../../shared/domain/token-format', () => {
  const actual = jest.requireActual<typeof import('../../shared/domain/token-format')>('../../shared/domain/token-format');
  return {
    ...actual,
    generateToken: (accountId: string, tokenId: number) => {
      const generated = actual.generateToken(accountId, tokenId);
      mockGenerated.push(generated);
      return generated;
    },
  };
});

type AuditBody = { audit_logs: { event: string; action: string; change_description: string; actor_api_token_id: number | null }[] };
type ListBody = { api_tokens: { id: number }[]; meta: { token_count: number } };

const suite = tokenPolicySuite('rotation');
const { account, create, edit } = suite;
const DAY_MS = 86_400_000;

const rotate = (owner: ProvisionedAccount, id: number, body?: unknown) =>
  request<TokenBody & ErrorBody>(suite.stack, 'POST', `/api/v2/api_tokens/${id}/rotate.json`, { auth: owner.adminAuth, body });
const me = (owner: ProvisionedAccount, token: string) => request(suite.stack, 'GET', '/api/v2/users/me.json', { auth: { email: owner.admin.email, token } });
const show = (owner: ProvisionedAccount, id: number) => request<TokenBody & ErrorBody>(suite.stack, 'GET', tokenPath(id), { auth: owner.adminAuth });
const tokenCount = async (owner: ProvisionedAccount) =>
  (await request<ListBody>(suite.stack, 'GET', '/api/v2/api_tokens.json', { auth: owner.adminAuth })).json.meta.token_count;
const operator = (owner: ProvisionedAccount) => ({ ...OPERATOR, accountId: owner.accountId });
/** The old token of a rotation without grace is deleted: its url no longer resolves. */
const replaced = (id: number) => suite.stack.urls.gone.add(`${suite.stack.baseUrl}/api/v2/api_tokens/${id}`);

async function historyOf(owner: ProvisionedAccount, tokenId: number) {
  const response = await request<AuditBody>(suite.stack, 'GET', `/api/v2/audit_logs.json?filter[source_type]=api_token&filter[source_id]=${tokenId}&sort=created_at`, {
    auth: owner.adminAuth,
  });
  return response.json.audit_logs.map((entry) => [entry.event, entry.action, entry.change_description]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

describe('without a grace', () => {
  test('the old token is replaced at once: it fails, the new one works with the same policy, the count is unchanged, both audited naming each other', async () => {
    const owner = await account();
    const agent = await addUser(suite.stack, owner.accountId, `agent@${owner.accountId}.test`, 'agent');
    const created = await create(owner, { description: 'deploy bot', assigned_user_id: agent.userId, max_role: 'agent', allowed_ips: ['127.0.0.1', '::1'], expires_at: inDays(10) });
    const old = created.json.api_token;
    const countBefore = await tokenCount(owner);

    const rotated = await rotate(owner, old.id);
    replaced(old.id);
    expect(rotated.status).toBe(201);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const fresh = rotated.json.api_token;
    expect(rotated.headers.get('location')).toBe(fresh.url);
    expect(fresh).toMatchObject({ description: 'deploy bot', active: true, assigned_user_id: agent.userId, max_role: 'agent', allowed_ips: ['127.0.0.1/32', '::1/128'] });
    expect(fresh.id).not.toBe(old.id);
    expect(tokenIdOf(fresh.token!)).toBe(fresh.id);
    // The same lifetime (10 days), counted from the rotation.
    const lifetime = Date.parse(fresh.expires_at!) - Date.parse(fresh.created_at);
    expect(Math.abs(lifetime - 10 * DAY_MS)).toBeLessThan(5_000);
    // Shown to the second: a rotation within the old token's first second may show the same time.
    expect(Date.parse(fresh.expires_at!)).toBeGreaterThanOrEqual(Date.parse(old.expires_at!));

    const agentCall = (token: string) => request(suite.stack, 'GET', '/api/v2/users/me.json', { auth: { email: agent.email, token } });
    expect(answerOf(await agentCall(old.token!))).toEqual(UNAUTHORIZED_ANSWER);
    expect((await agentCall(fresh.token!)).status).toBe(200);
    // The binding came along: the admin's email does not authenticate with it.
    expect((await me(owner, fresh.token!)).status).toBe(401);
    expect((await show(owner, old.id)).status).toBe(404);
    expect(await tokenCount(owner)).toBe(countBefore);
    const { account: stored, tokens } = await accountPartition(suite.stack.table, owner.accountId);
    expect(stored!.tokenCount).toBe(tokens.length);

    const oldTokenId = Number(old.id);
    expect(await historyOf(owner, oldTokenId)).toEqual([
      ['api_token.created', 'create', expect.stringMatching(/^Created; /)],
      ['api_token.rotated', 'update', `Rotated: replaced by token ${fresh.id} (${fresh.visible_token}) at once`],
    ]);
    expect(await historyOf(owner, fresh.id)).toEqual([
      [
        'api_token.created',
        'create',
        `Created by rotation of token ${old.id} (${old.visible_token}); expires ${fresh.expires_at}; assigned to user ${agent.userId} (${agent.email}); role ceiling agent; IP allow-list 127.0.0.1/32, ::1/128`,
      ],
    ]);
  });

  test('at the limit (256 tokens) it succeeds: the slot is reused', async () => {
    const owner = await account();
    const oldId = (await create(owner, { description: 'full house' })).json.api_token.id;
    const stored = (await suite.stack.accounts.getAccount(owner.accountId))!;
    for (let i = stored.tokenCount; i < stored.tokenLimit; i += 1) await createToken(suite.stack, owner.accountId, `t${i}`);
    expect(await tokenCount(owner)).toBe(256);
    expect((await create(owner, {})).json.details?.base?.[0]?.error).toBe('TokenLimitReached');

    const withGrace = await rotate(owner, oldId, { grace_seconds: 3600 });
    expect([withGrace.status, withGrace.json.details?.base?.[0]?.error]).toEqual([422, 'TokenLimitReached']);

    const rotated = await rotate(owner, oldId, {});
    replaced(oldId);
    expect(rotated.status).toBe(201);
    expect(rotated.json.api_token.description).toBe('full house');
    expect(await tokenCount(owner)).toBe(256);
    expect((await accountPartition(suite.stack.table, owner.accountId)).tokens).toHaveLength(256);
    expect((await me(owner, rotated.json.api_token.token!)).status).toBe(200);
  }, 60_000);

  test('the caller may rotate the very token it calls with: the answer is given, then the old token fails', async () => {
    const owner = await account();
    const ownId = tokenIdOf(owner.token);
    const rotated = await rotate(owner, ownId);
    replaced(ownId);
    expect(rotated.status).toBe(201);
    expect((await me(owner, owner.token)).status).toBe(401);
    expect((await me(owner, rotated.json.api_token.token!)).status).toBe(200);
    owner.adminAuth.token = rotated.json.api_token.token!;
    expect((await historyOf(owner, rotated.json.api_token.id))[0]![0]).toBe('api_token.created');
  });
});

describe('with a grace', () => {
  test('both tokens work during the grace, only the new one after it; the old one stays listed until the sweep deletes it', async () => {
    const owner = await account();
    const created = await create(owner, { description: 'nightly export' });
    const old = created.json.api_token;
    const countBefore = await tokenCount(owner);

    const rotated = await rotate(owner, old.id, { grace_seconds: 2 });
    expect(rotated.status).toBe(201);
    const fresh = rotated.json.api_token;
    expect(fresh.description).toBe('nightly export');
    expect(fresh.expires_at ?? null).toBeNull();
    expect(await tokenCount(owner)).toBe(countBefore + 1);
    expect((await me(owner, old.token!)).status).toBe(200);
    expect((await me(owner, fresh.token!)).status).toBe(200);
    const during = (await show(owner, old.id)).json.api_token;
    // Marked for the sweep: in the rotated partition until the end of the grace, out of the activity one.
    const item = (await accountPartition(suite.stack.table, owner.accountId)).tokens.find((token) => token.tokenId === old.id) as unknown as Record<string, unknown>;
    const graceEnd = (item.policy as { expiresAt: string }).expiresAt;
    expect(item).toMatchObject({ rotatedTo: fresh.id, DuePK: 'ROTATED', DueAt: graceEnd });
    expect(item.ActivityPK).toBeUndefined();
    expect(Math.abs(Date.parse(graceEnd) - (Date.parse(fresh.created_at) + 2_000))).toBeLessThan(1_500);

    await sleep(Math.max(0, Date.parse(graceEnd) - Date.now()) + 200);
    expect(answerOf(await me(owner, old.token!))).toEqual(UNAUTHORIZED_ANSWER);
    expect((await me(owner, fresh.token!)).status).toBe(200);
    expect((await show(owner, old.id)).status).toBe(200);

    expect((await historyOf(owner, old.id)).at(-1)).toEqual([
      'api_token.rotated',
      'update',
      `Rotated: replaced by token ${fresh.id} (${fresh.visible_token}); the old token works until ${during.expires_at}`,
    ]);
    expect(await historyOf(owner, fresh.id)).toEqual([['api_token.created', 'create', `Created by rotation of token ${old.id} (${old.visible_token})`]]);
  });

  test('at the limit it is refused with TokenLimitReached, and nothing changes', async () => {
    const owner = await account();
    const created = await create(owner, {});
    const stored = (await suite.stack.accounts.getAccount(owner.accountId))!;
    await suite.stack.table.store.updateAccount(stored, { tokenLimit: stored.tokenCount }, new Date().toISOString(), []);
    const before = await accountPartition(suite.stack.table, owner.accountId);

    const refused = await rotate(owner, created.json.api_token.id, { grace_seconds: 60 });
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ error: 'RecordInvalid', details: { base: [{ error: 'TokenLimitReached' }] } });
    expect(await accountPartition(suite.stack.table, owner.accountId)).toEqual(before);
  });

  test('an expiry earlier than the grace is kept; a token rotated with a grace is not rotated again, its successor is', async () => {
    const owner = await account();
    const soon = new Date(Date.now() + 60_000).toISOString();
    const created = await create(owner, { expires_at: soon });
    const old = created.json.api_token;

    const rotated = await rotate(owner, old.id, { grace_seconds: 3600 });
    expect(rotated.status).toBe(201);
    expect((await show(owner, old.id)).json.api_token.expires_at).toBe(old.expires_at);
    // The lifetime (a minute) is the old token's.
    const fresh = rotated.json.api_token;
    const stored = (await accountPartition(suite.stack.table, owner.accountId)).tokens;
    const lifetimeOf = (id: number) => {
      const token = stored.find((item) => item.tokenId === id)!;
      return Date.parse(token.policy!.expiresAt!) - Date.parse(token.createdAt);
    };
    expect(lifetimeOf(fresh.id)).toBe(Date.parse(soon) - Date.parse(stored.find((item) => item.rotatedTo === fresh.id)!.createdAt));

    const again = await rotate(owner, old.id, { grace_seconds: 0 });
    expect(again.status).toBe(422);
    expect(again.json.details?.base).toEqual([{ error: 'TokenAlreadyRotated', description: `This API token was already rotated: token ${fresh.id} replaces it.` }]);
    const next = await rotate(owner, fresh.id);
    replaced(fresh.id);
    expect(next.status).toBe(201);
  });
});

describe('beside deactivation, deletion, the kill switch and the account', () => {
  test('a deactivated token may be rotated: with no grace it is replaced; with one it stays deactivated', async () => {
    const owner = await account();
    const first = (await create(owner, { description: 'leaked' })).json.api_token;
    const second = (await create(owner, { description: 'leaked too' })).json.api_token;
    for (const token of [first, second]) expect((await edit(owner, token.id, { active: false })).status).toBe(200);

    const now = await rotate(owner, first.id);
    replaced(first.id);
    expect(now.status).toBe(201);
    expect(now.json.api_token).toMatchObject({ description: 'leaked', active: true });
    expect((await me(owner, now.json.api_token.token!)).status).toBe(200);

    const later = await rotate(owner, second.id, { grace_seconds: 600 });
    expect(later.status).toBe(201);
    expect((await me(owner, second.token!)).status).toBe(401);
    expect((await show(owner, second.id)).json.api_token.active).toBe(false);
    expect((await me(owner, later.json.api_token.token!)).status).toBe(200);
  });

  test('a token rotated with a grace can be deleted the usual way, freeing its slot; a deleted or unknown token is a 404', async () => {
    const owner = await account();
    const old = (await create(owner, {})).json.api_token;
    expect((await rotate(owner, old.id, { grace_seconds: 600 })).status).toBe(201);
    const count = await tokenCount(owner);
    expect((await edit(owner, old.id, { active: false })).status).toBe(200);
    expect((await request(suite.stack, 'DELETE', tokenPath(old.id), { auth: owner.adminAuth })).status).toBe(204);
    expect(await tokenCount(owner)).toBe(count - 1);
    expect((await rotate(owner, old.id)).status).toBe(404);
    expect((await rotate(owner, 12345)).status).toBe(404);
  });

  test('the kill switch: the API refuses every token (401); an operator\'s rotation is refused like a create (403), and a suspended account too', async () => {
    const owner = await account();
    const target = (await create(owner, {})).json.api_token;
    expect((await request(suite.stack, 'PUT', '/api/v2/account/settings.json', { auth: owner.adminAuth, body: { settings: { api: { api_token_access: false } } } })).status).toBe(200);
    expect(answerOf(await rotate(owner, target.id))).toEqual(UNAUTHORIZED_ANSWER);
    await expect(suite.stack.tokens.rotate(operator(owner), target.id)).rejects.toBeInstanceOf(ApiTokenAccessDisabledError);
    await expect(suite.stack.tokens.rotate(operator(owner), target.id, 60)).rejects.toBeInstanceOf(ApiTokenAccessDisabledError);
    await suite.stack.accounts.updateAccount(OPERATOR, owner.accountId, { apiTokenAccess: true, status: 'suspended' });
    await expect(suite.stack.tokens.rotate(operator(owner), target.id)).rejects.toBeInstanceOf(AccountSuspendedError);
    await suite.stack.accounts.updateAccount(OPERATOR, owner.accountId, { status: 'active' });
    expect((await me(owner, target.token!)).status).toBe(200);
    expect((await historyOf(owner, target.id)).map(([event]) => event)).toEqual(['api_token.created']);
  });

  test('the kill switch turned on while a rotation is in flight refuses it at commit with the 401, and nothing changes', async () => {
    const owner = await account();
    const target = (await create(owner, {})).json.api_token;
    const before = await accountPartition(suite.stack.table, owner.accountId);
    const answer = await whileCommitHeld(
      () => rotate(owner, target.id),
      () => suite.stack.accounts.updateAccount(OPERATOR, owner.accountId, { apiTokenAccess: false }),
    );
    expect(answerOf(answer)).toEqual(UNAUTHORIZED_ANSWER);
    await suite.stack.accounts.updateAccount(OPERATOR, owner.accountId, { apiTokenAccess: true });
    expect((await accountPartition(suite.stack.table, owner.accountId)).tokens).toEqual(before.tokens);
    expect((await me(owner, target.token!)).status).toBe(200);
  });
});

describe('the request', () => {
  test.each([
    [{ grace_seconds: 604_801 }],
    [{ grace_seconds: -1 }],
    [{ grace_seconds: 1.5 }],
  ])('%j is a 422 naming grace_seconds', async (body) => {
    const owner = await account();
    const target = (await create(owner, {})).json.api_token;
    const refused = await rotate(owner, target.id, body);
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.json.details ?? {})).toEqual(['grace_seconds']);
  });

  test.each([[{ grace_seconds: '60' }], [{ grace_seconds: null }], [{ grace: 60 }], [[]], ['60']])('%j is a 400', async (body) => {
    const owner = await account();
    const target = (await create(owner, {})).json.api_token;
    expect((await rotate(owner, target.id, body)).status).toBe(400);
  });

  test('the largest grace (7 days) is accepted; the lifetime is capped by the account\'s maximum, and a token without expiry gets that maximum', async () => {
    const owner = await account();
    const lasting = (await create(owner, { expires_at: inDays(10) })).json.api_token;
    const endless = (await create(owner, {})).json.api_token;
    expect((await request(suite.stack, 'PUT', '/api/v2/account/settings.json', { auth: owner.adminAuth, body: { settings: { api: { api_token_max_lifetime_days: 5 } } } })).status).toBe(200);
    for (const old of [lasting, endless]) {
      const rotated = await rotate(owner, old.id, { grace_seconds: 604_800 });
      expect(rotated.status).toBe(201);
      const fresh = rotated.json.api_token;
      expect(Date.parse(fresh.expires_at!) - Date.parse(fresh.created_at)).toBe(5 * DAY_MS);
    }
  });

  test('an agent cannot rotate (403)', async () => {
    const owner = await account();
    const agent = await addUser(suite.stack, owner.accountId, `agent@${owner.accountId}.test`, 'agent');
    const agentToken = await createToken(suite.stack, owner.accountId);
    const target = (await create(owner, {})).json.api_token;
    const refused = await request(suite.stack, 'POST', `/api/v2/api_tokens/${target.id}/rotate`, { auth: { email: agent.email, token: agentToken } });
    expect(refused.status).toBe(403);
  });
});

describe('in flight', () => {
  type Probe = { token: 'old' | 'new'; kind: 'read' | 'write'; started: number; ended: number; status: number; description?: string };

  test('every request during a rotation without grace is answered by the old state or the new one, never a 5xx; writes with the old token committed before it or refused', async () => {
    const owner = await account();
    const old = (await create(owner, { description: 'switching' })).json.api_token;
    // The writes go round several tokens, so that they race the rotation rather than each other.
    const scratch = await Promise.all(Array.from({ length: 8 }, async (_, i) => (await create(owner, { description: `scratch ${i}` })).json.api_token.id));
    const credentials = { old: old.token!, new: '' };
    let writes = 0;
    const probe = async (token: 'old' | 'new', kind: 'read' | 'write'): Promise<Probe> => {
      const auth = { email: owner.admin.email, token: credentials[token] };
      const started = performance.now();
      const description = kind === 'write' ? `write ${(writes += 1)}` : undefined;
      const response: ApiResponse =
        kind === 'read'
          ? await request(suite.stack, 'GET', '/api/v2/users/me.json', { auth })
          : await request(suite.stack, 'PUT', tokenPath(scratch[writes % scratch.length]!), { auth, body: { api_token: { description } } });
      return { token, kind, started, ended: performance.now(), status: response.status, description };
    };
    let waves = 0;
    const wave = () => {
      waves += 1;
      return Promise.all((['old', 'new'] as const).flatMap((token) => [probe(token, 'read'), ...(waves % 3 === 1 ? [probe(token, 'write')] : [])]));
    };

    const hold = holdNextCommit();
    const rotation = rotate(owner, old.id);
    await hold.reached;
    credentials.new = mockGenerated.at(-1)!.token;
    expect(tokenIdOf(credentials.new)).not.toBe(old.id);

    // Before the switch: the old token's rules (let in, its writes commit), the new token unknown.
    const before = await wave();
    for (const answer of before) expect([answer.token, answer.status]).toEqual([answer.token, answer.token === 'old' ? 200 : 401]);

    // The switch: waves are sent before the rotation is let go, while it commits, and until a little after its answer.
    let rotatedAt = Infinity;
    const answered = rotation.then((response) => {
      rotatedAt = performance.now();
      return response;
    });
    const switching: Promise<Probe[]>[] = [];
    for (let sent = 0; sent < 100 && (rotatedAt === Infinity || performance.now() < rotatedAt + 100); sent += 1) {
      switching.push(wave());
      if (sent === 8) hold.release();
      await sleep(2);
    }
    const rotated = await answered;
    replaced(old.id);
    expect(rotated.status).toBe(201);
    const during = (await Promise.all(switching)).flat();

    // After it: the new token's rules.
    const after = await wave();
    for (const answer of after) expect([answer.token, answer.status]).toEqual([answer.token, answer.token === 'old' ? 401 : 200]);

    const all = [...before, ...during, ...after];
    // The switch fell inside the waves: some saw the old state, some the new.
    expect(['old', 'new'].map((token) => [...new Set(during.filter((a) => a.token === token && a.kind === 'read').map((a) => a.status))].sort())).toEqual([
      [200, 401],
      [200, 401],
    ]);
    expect(all.filter((answer) => answer.status !== 200 && answer.status !== 401)).toEqual([]);
    // One switch for each token: no request of the old token let in after one was refused had ended, and
    // no request of the new token refused after one had been let in.
    const firstEnd = (token: 'old' | 'new', status: number) => Math.min(...all.filter((a) => a.token === token && a.status === status).map((a) => a.ended));
    expect(all.filter((a) => a.token === 'old' && a.status === 200 && a.started > firstEnd('old', 401))).toEqual([]);
    expect(all.filter((a) => a.token === 'new' && a.status === 401 && a.started > firstEnd('new', 200))).toEqual([]);
    // And one switch between them: never both let in (the old one after the new one was), never neither.
    expect(all.filter((a) => a.token === 'old' && a.status === 200 && a.started > firstEnd('new', 200))).toEqual([]);
    expect(all.filter((a) => a.token === 'new' && a.status === 401 && a.started > firstEnd('old', 401))).toEqual([]);

    // Writes with the old token: exactly the ones answered 200 are in the log, made with the old token.
    const madeWithOld = (await request<AuditBody>(suite.stack, 'GET', `/api/v2/audit_logs.json?filter[actor_api_token_id]=${old.id}`, { auth: owner.adminAuth })).json.audit_logs;
    const committed = all.filter((a) => a.token === 'old' && a.kind === 'write' && a.status === 200).map((a) => a.description);
    expect(madeWithOld.filter((entry) => entry.event === 'api_token.description_changed').map((entry) => /to "(.*)"$/.exec(entry.change_description)?.[1]).sort()).toEqual(
      committed.sort(),
    );
    expect(committed.length).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
