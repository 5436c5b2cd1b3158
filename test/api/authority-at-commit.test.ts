// The authority check at commit, one case at a time and without relying on timing: a write made with token
// X is held just before DynamoDB (between the authorizer's check and the commit), the authority is revoked
// in that window, then the write is let go. It must be refused as the authorizer would refuse it (401, or
// 403 when only the role changed) and change nothing. Also: the audit log names the acting token, and
// a token deactivating itself succeeds and then locks itself out.
import { getServices } from '../../shared/runtime/services';
import {
  addUser,
  createToken,
  OPERATOR,
  provisionAccount,
  request,
  startApiStack,
  type ApiResponse,
  type ApiStack,
  tokenIdOf,
  tokenPath,
  type ProvisionedAccount,
} from '../support/api-stack';
import { accountPartition } from '../support/tables';

type Auth = { email: string; token: string };
type AuditBody = { audit_logs: { id: number; actor_id: number; actor_api_token_id: number | null; event: string; source_id: number | string }[] };

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});

afterAll(() => stack.close());


type CommandInput = { TransactItems?: unknown[]; Key?: Record<string, unknown> };
const sortKeyOf = (input: CommandInput) => {
  const sk = input.Key?.SK;
  return typeof sk === 'string' ? sk : (sk as { S?: string } | undefined)?.S;
};

/**
 * Holds the first DynamoDB call of the handlers that matches `which` until released: the window between
 * the authorizer's decision and the handler's commit, made as wide as a test needs.
 */
function holdNext(which: (input: CommandInput) => boolean) {
  const { documentClient } = getServices();
  let reached!: () => void;
  let release!: () => void;
  const isReached = new Promise<void>((done) => (reached = done));
  const released = new Promise<void>((done) => (release = done));
  let held = false;
  documentClient.middlewareStack.add(
    (next) => async (args) => {
      if (!held && which(args.input as CommandInput)) {
        held = true;
        reached();
        await released;
      }
      return next(args);
    },
    { step: 'initialize', name: 'holdForTest' },
  );
  return {
    reached: isReached,
    release() {
      documentClient.middlewareStack.remove('holdForTest');
      release();
    },
  };
}

const theCommit = (input: CommandInput) => Array.isArray(input.TransactItems);
const readOf = (sortKeyPrefix: string) => (input: CommandInput) => sortKeyOf(input)?.startsWith(sortKeyPrefix) === true;

/** Sends `write`, revokes while it is held before `which`, then lets it go; returns its response. */
async function revokeInFlight(write: () => Promise<ApiResponse>, revoke: () => Promise<unknown>, which = theCommit): Promise<ApiResponse> {
  const hold = holdNext(which);
  const response = write();
  await hold.reached;
  await revoke();
  hold.release();
  return response;
}

interface Scene {
  account: ProvisionedAccount;
  /** The admin's token X, and credentials with it. */
  x: number;
  auth: Auth;
  /** Another token of the account, to edit. */
  other: number;
}

let sceneCount = 0;
async function scene(): Promise<Scene> {
  sceneCount += 1;
  const account = await provisionAccount(stack, `scene${sceneCount}`);
  const { apiToken } = await stack.tokens.create({ ...OPERATOR, accountId: account.accountId }, 'other');
  return { account, x: tokenIdOf(account.token), auth: account.adminAuth, other: apiToken.tokenId };
}

const operatorOf = (accountId: string) => ({ ...OPERATOR, accountId });

async function changesBy(accountId: string, userId: number) {
  const { audits } = await accountPartition(stack.table, accountId);
  return audits.filter((audit) => audit.actorId === userId);
}

const writes = {
  'an edit of another token': (s: Scene) => request(stack, 'PUT', tokenPath(s.other), { auth: s.auth, body: { api_token: { description: 'late' } } }),
  'a token creation': (s: Scene) => request(stack, 'POST', '/api/v2/api_tokens.json', { auth: s.auth, body: { api_token: { description: 'late' } } }),
  'a deactivation of another token': (s: Scene) => request(stack, 'PUT', tokenPath(s.other), { auth: s.auth, body: { api_token: { active: false } } }),
  'the kill switch itself': (s: Scene) => request(stack, 'PUT', '/api/v2/account/settings.json', { auth: s.auth, body: { settings: { api: { api_token_access: false } } } }),
};

const revocations = {
  'X is deactivated': (s: Scene) => stack.tokens.update(operatorOf(s.account.accountId), s.x, { active: false }),
  'X is deleted': async (s: Scene) => {
    await stack.tokens.update(operatorOf(s.account.accountId), s.x, { active: false });
    await stack.tokens.delete(operatorOf(s.account.accountId), s.x);
  },
  'the user is suspended': (s: Scene) => stack.accounts.updateUser(OPERATOR, s.account.accountId, s.auth.email, { suspended: true }),
  'the user is unverified': (s: Scene) => stack.accounts.updateUser(OPERATOR, s.account.accountId, s.auth.email, { verified: false }),
  'the user is removed': (s: Scene) => stack.accounts.removeUser(OPERATOR, s.account.accountId, s.auth.email),
  'the user is removed and added again': async (s: Scene) => {
    await stack.accounts.removeUser(OPERATOR, s.account.accountId, s.auth.email);
    await addUser(stack, s.account.accountId, s.auth.email, 'admin');
  },
  'API token access is turned off': (s: Scene) => stack.accounts.updateAccount(OPERATOR, s.account.accountId, { apiTokenAccess: false }),
  'the account is suspended': (s: Scene) => stack.accounts.updateAccount(OPERATOR, s.account.accountId, { status: 'suspended' }),
};

describe.each(Object.entries(writes))('%s held before its commit', (_, write) => {
  test.each(Object.entries(revocations))('is refused with 401 when %s meanwhile', async (__, revoke) => {
    const s = await scene();
    const before = await accountPartition(stack.table, s.account.accountId);
    const response = await revokeInFlight(() => write(s), () => revoke(s));
    expect(response.status).toBe(401);
    expect(response.json).toEqual({ error: "Couldn't authenticate you" });
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="Web Password"');
    const after = await accountPartition(stack.table, s.account.accountId);
    expect(after.tokens.filter((token) => token.description === 'late')).toEqual([]);
    expect(after.tokens.find((token) => token.tokenId === s.other)).toEqual(before.tokens.find((token) => token.tokenId === s.other));
    expect(after.account!.tokenCount).toBe(after.tokens.length);
    expect(await changesBy(s.account.accountId, s.account.admin.userId)).toEqual([]);
  });

  test('is refused with 403 when the user is demoted to agent meanwhile', async () => {
    const s = await scene();
    const response = await revokeInFlight(
      () => write(s),
      () => stack.accounts.updateUser(OPERATOR, s.account.accountId, s.auth.email, { role: 'agent' }),
    );
    expect(response.status).toBe(403);
    expect((response.json as { error: string }).error).toBe('Forbidden');
    expect(await changesBy(s.account.accountId, s.account.admin.userId)).toEqual([]);
  });

  test('commits when nothing was revoked meanwhile', async () => {
    const s = await scene();
    const response = await revokeInFlight(() => write(s), async () => undefined);
    expect(response.status).toBeLessThan(300);
    expect(await changesBy(s.account.accountId, s.account.admin.userId)).toHaveLength(1);
  });
});

test('a token cannot reactivate itself, even when it read itself as deactivated after the authorizer let it in', async () => {
  const s = await scene();
  // Held at the handler's read of X: the deactivation commits between the authorizer and that read.
  const response = await revokeInFlight(
    () => request(stack, 'PUT', tokenPath(s.x), { auth: s.auth, body: { api_token: { active: true } } }),
    () => stack.tokens.update(operatorOf(s.account.accountId), s.x, { active: false }),
    readOf('TOKEN#'),
  );
  expect(response.status).toBe(401);
  const { tokens } = await accountPartition(stack.table, s.account.accountId);
  expect(tokens.find((token) => token.tokenId === s.x)?.active).toBe(false);
});

test('a user removed before the handler reads them is a 401, not a 404', async () => {
  const s = await scene();
  const response = await revokeInFlight(
    () => request(stack, 'POST', '/api/v2/api_tokens.json', { auth: s.auth, body: {} }),
    () => stack.accounts.removeUser(OPERATOR, s.account.accountId, s.auth.email),
    readOf('USER#'),
  );
  expect(response.status).toBe(401);
  expect(response.json).toEqual({ error: "Couldn't authenticate you" });
});

test('API token access cannot be turned on through the API, even by a request let in while it was on', async () => {
  const s = await scene();
  const response = await revokeInFlight(
    () => request(stack, 'PUT', '/api/v2/account/settings.json', { auth: s.auth, body: { settings: { api: { api_token_access: true } } } }),
    () => stack.accounts.updateAccount(OPERATOR, s.account.accountId, { apiTokenAccess: false }),
    readOf('#ACCOUNT'),
  );
  expect(response.status).toBe(401);
  const { account } = await accountPartition(stack.table, s.account.accountId);
  expect(account!.apiTokenAccess).toBe(false);
});

test('an admin who deactivates the token they call with gets 200, and is locked out from the next request', async () => {
  const s = await scene();
  const deactivated = await request<{ api_token: { active: boolean } }>(stack, 'PUT', tokenPath(s.x), { auth: s.auth, body: { api_token: { active: false } } });
  expect(deactivated.status).toBe(200);
  expect(deactivated.json.api_token.active).toBe(false);
  const next = await request(stack, 'GET', '/api/v2/users/me.json', { auth: s.auth });
  expect(next.status).toBe(401);
  const reactivation = await request(stack, 'PUT', tokenPath(s.x), { auth: s.auth, body: { api_token: { active: true } } });
  expect(reactivation.status).toBe(401);
  // An operator brings the token back, so the url check after the tests can follow the token's url.
  await stack.tokens.update(operatorOf(s.account.accountId), s.x, { active: true });
});

test('a token deleting itself is refused as active (it has to be deactivated first, which locks it out)', async () => {
  const s = await scene();
  const response = await request<{ details: { base: { error: string }[] } }>(stack, 'DELETE', tokenPath(s.x), { auth: s.auth });
  expect(response.status).toBe(422);
  expect(response.json.details.base[0]!.error).toBe('TokenActive');
});

test('an admin who turns API token access off gets 200 and is then locked out', async () => {
  const s = await scene();
  const off = await request(stack, 'PUT', '/api/v2/account/settings.json', { auth: s.auth, body: { settings: { api: { api_token_access: false } } } });
  expect(off.status).toBe(200);
  expect((await request(stack, 'GET', '/api/v2/users/me.json', { auth: s.auth })).status).toBe(401);
});

describe('actor_api_token_id', () => {
  test('every entry names the token a change was made with, null for operators, and the log filters by it', async () => {
    const s = await scene();
    const secondToken = await createToken(stack, s.account.accountId, 'second');
    const second = { email: s.auth.email, token: secondToken };
    const created = await request<{ api_token: { id: number } }>(stack, 'POST', '/api/v2/api_tokens.json', { auth: s.auth, body: {} });
    await request(stack, 'PUT', tokenPath(created.json.api_token.id), { auth: second, body: { api_token: { description: 'by second' } } });
    await request(stack, 'PUT', tokenPath(created.json.api_token.id), { auth: second, body: { api_token: { active: false } } });

    const all = await request<AuditBody>(stack, 'GET', '/api/v2/audit_logs.json', { auth: s.auth });
    expect(all.status).toBe(200);
    for (const entry of all.json.audit_logs) expect(entry).toHaveProperty('actor_api_token_id');
    const byToken = (tokenId: number | null) => all.json.audit_logs.filter((entry) => entry.actor_api_token_id === tokenId).map((entry) => entry.event);
    expect(byToken(s.x)).toEqual(['api_token.created']);
    expect(byToken(tokenIdOf(secondToken)).sort()).toEqual(['api_token.deactivated', 'api_token.description_changed']);
    // Operator changes (the account, the user, the tokens tokenctl made) carry null.
    expect(all.json.audit_logs.filter((entry) => entry.actor_id === -1).every((entry) => entry.actor_api_token_id === null)).toBe(true);

    const filtered = await request<AuditBody>(stack, 'GET', `/api/v2/audit_logs.json?filter[actor_api_token_id]=${tokenIdOf(secondToken)}`, { auth: s.auth });
    expect(filtered.status).toBe(200);
    expect(filtered.json.audit_logs.map((entry) => entry.event).sort()).toEqual(['api_token.deactivated', 'api_token.description_changed']);
    const one = await request<{ audit_log: { actor_api_token_id: number | null } }>(stack, 'GET', `/api/v2/audit_logs/${filtered.json.audit_logs[0]!.id}.json`, { auth: s.auth });
    expect(one.json.audit_log.actor_api_token_id).toBe(tokenIdOf(secondToken));
  });

  test.each(['abc', '-1', '0', '9007199254740992', '1.5', ''])('filter[actor_api_token_id]=%s is a 400', async (value) => {
    const s = await scene();
    const response = await request<{ error: string; description: string }>(stack, 'GET', `/api/v2/audit_logs.json?filter[actor_api_token_id]=${encodeURIComponent(value)}`, { auth: s.auth });
    expect(response.status).toBe(400);
    expect(response.json.description).toMatch(/actor_api_token_id/);
  });
});
