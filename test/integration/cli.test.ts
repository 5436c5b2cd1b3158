// tokenctl end to end: the real CLI (bin/tokenctl.cjs through tsx) as a child process against DynamoDB Local,
// checking exit codes, the API's JSON shapes with --json, and the human-readable output.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { freePort } from '../../local/dynamodb-local';
import { accountPk, AUDIT_PREFIX } from '../../shared/store/keys';
import { createTestTable, type TestTable } from '../support/tables';
import { runTokenctl } from '../support/tokenctl';

jest.setTimeout(120_000);

const BASE_URL = 'http://127.0.0.1:3000';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const ACCESS_OFF_MESSAGE =
  'API token access is turned off for this account. Turn it on with `tokenctl accounts update <accountId> --api-token-access on`.';

let table: TestTable;

/** tokenctl on the test table, with no API base URL or audit retention unless a test gives one. */
const tokenctl = (args: string[], env: Record<string, string | undefined> = {}) => runTokenctl(table, args, { API_BASE_URL: undefined, AUDIT_RETENTION_DAYS: undefined, ...env });

/** Runs a command that must succeed with --json and returns the one object it printed. */
async function tokenctlJson(args: string[], env?: Record<string, string | undefined>): Promise<Record<string, unknown>> {
  const run = await tokenctl([...args, '--json'], env);
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** Runs a command that must fail with exit 1 and returns its stderr. */
async function tokenctlError(args: string[]): Promise<string> {
  const run = await tokenctl(args);
  expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 1, stdout: '' });
  expect(run.stderr).toMatch(/^tokenctl: .+\n$/);
  return run.stderr;
}

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(() => {
  table.documentClient.destroy();
});

describe('tokenctl', () => {
  let adminId: number;
  let ciTokenId: number;
  let plainTokenId: number;

  it('prints usage on --help and exits 0', async () => {
    const run = await tokenctl(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('tokenctl accounts create <accountId> --name <name>');
    expect(run.stdout).toContain('tokenctl tokens deactivate|reactivate|delete <accountId> <tokenId> [--json]');
    expect(run.stderr).toBe('');
  });

  it('exits 2 with usage on stderr for usage errors, before touching DynamoDB', async () => {
    const unreachable = { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' };
    const cases: [string[], string][] = [
      [['frobnicate'], "unknown command 'frobnicate'"],
      [['accounts', 'show', 'acme', '--bogus'], "Unknown option '--bogus'"],
      [['users', 'add', 'acme'], 'missing <email>'],
      [['accounts', 'create', 'x1x', '--name', 'X', '--plan', 'gold'], '--plan must be one of team, growth, professional, enterprise, enterprise_plus'],
      [['accounts', 'create', 'x1x'], 'missing --name'],
      [['tokens', 'delete', 'acme', 'abc'], '<tokenId> must be a positive integer'],
      [['users', 'update', 'acme', 'a@acme.test', '--verified', 'maybe'], '--verified must be one of true, false'],
    ];
    const runs = await Promise.all(cases.map(([args]) => tokenctl(args, unreachable)));
    runs.forEach((run, index) => {
      expect({ args: cases[index]![0], status: run.status, stdout: run.stdout }).toEqual({ args: cases[index]![0], status: 2, stdout: '' });
      expect(run.stderr).toContain(`tokenctl: ${cases[index]![1]}`);
      expect(run.stderr).toContain('Usage:');
    });
  });

  it('creates an account with the Zendesk defaults', async () => {
    const { account } = await tokenctlJson(['accounts', 'create', 'acme', '--name', 'Acme Inc']);
    expect(account).toEqual({
      id: 'acme',
      name: 'Acme Inc',
      plan: 'team',
      status: 'active',
      api_token_access: false,
      token_count: 0,
      token_limit: 256,
      created_at: expect.stringMatching(TIMESTAMP),
      updated_at: expect.stringMatching(TIMESTAMP),
    });
  });

  it('creates a legacy account with a plan and access on, and refuses a duplicate id', async () => {
    const [legacy, duplicate] = await Promise.all([
      tokenctlJson(['accounts', 'create', 'oldco', '--name', 'Old Co', '--legacy', '--plan', 'enterprise', '--api-token-access', 'on']),
      tokenctlError(['accounts', 'create', 'acme', '--name', 'Acme again']),
    ]);
    expect(legacy.account).toMatchObject({ id: 'oldco', plan: 'enterprise', api_token_access: true, token_limit: 2048 });
    expect(duplicate).toBe('tokenctl: Account acme already exists\n');
  });

  it('shows an account, and exits 1 for an unknown one', async () => {
    const [shown, missing] = await Promise.all([tokenctlJson(['accounts', 'show', 'acme']), tokenctlError(['accounts', 'show', 'nope'])]);
    expect(shown.account).toMatchObject({ id: 'acme', name: 'Acme Inc', plan: 'team', token_limit: 256 });
    expect(missing).toBe('tokenctl: Account nope not found\n');
  });

  it('refuses to create a token while API token access is off, with the clear message', async () => {
    expect(await tokenctlError(['tokens', 'create', 'acme'])).toBe(`tokenctl: ${ACCESS_OFF_MESSAGE}\n`);
  });

  it('updates plan, status and API token access', async () => {
    const suspended = await tokenctlJson(['accounts', 'update', 'acme', '--plan', 'enterprise', '--status', 'suspended']);
    expect(suspended.account).toMatchObject({ plan: 'enterprise', status: 'suspended', api_token_access: false });
    const active = await tokenctlJson(['accounts', 'update', 'acme', '--status', 'active', '--api-token-access', 'on']);
    expect(active.account).toMatchObject({ plan: 'enterprise', status: 'active', api_token_access: true });
  });

  it('adds users: verified end users by default, lower-cased email, name from the email', async () => {
    const [admin, someone] = await Promise.all([
      tokenctlJson(['users', 'add', 'acme', 'admin@acme.test', '--name', 'Ada Admin', '--role', 'admin']),
      tokenctlJson(['users', 'add', 'acme', 'Someone@Acme.test', '--unverified']),
    ]);
    expect(admin.user).toEqual({
      id: expect.any(Number),
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:3000\/api\/v2\/users\/\d+\.json$/),
      name: 'Ada Admin',
      email: 'admin@acme.test',
      role: 'admin',
      verified: true,
      suspended: false,
      created_at: expect.stringMatching(TIMESTAMP),
      updated_at: expect.stringMatching(TIMESTAMP),
    });
    adminId = (admin.user as { id: number }).id;
    expect((admin.user as { url: string }).url).toBe(`${BASE_URL}/api/v2/users/${adminId}.json`);
    expect(someone.user).toMatchObject({ name: 'someone', email: 'someone@acme.test', role: 'end_user', verified: false, suspended: false });
  });

  it('updates a user', async () => {
    const { user } = await tokenctlJson(['users', 'update', 'acme', 'someone@acme.test', '--role', 'agent', '--verified', 'true', '--suspended', 'true']);
    expect(user).toMatchObject({ email: 'someone@acme.test', role: 'agent', verified: true, suspended: true });
  });

  it('lists users, with url fields from API_BASE_URL', async () => {
    const { users } = await tokenctlJson(['users', 'list', 'acme'], { API_BASE_URL: 'https://api.example.com/' });
    expect(users).toEqual([
      expect.objectContaining({ id: adminId, email: 'admin@acme.test', url: `https://api.example.com/api/v2/users/${adminId}.json` }),
      expect.objectContaining({ email: 'someone@acme.test', role: 'agent' }),
    ]);
  });

  it('removes a user and prints the removed user', async () => {
    const removed = await tokenctlJson(['users', 'remove', 'acme', 'someone@acme.test']);
    expect(removed.user).toMatchObject({ email: 'someone@acme.test', role: 'agent', suspended: true });
    const [{ users }, missingAccount] = await Promise.all([
      tokenctlJson(['users', 'list', 'acme']),
      tokenctlError(['users', 'add', 'nope', 'x@nope.test']),
    ]);
    expect(users).toEqual([expect.objectContaining({ email: 'admin@acme.test' })]);
    expect(missingAccount).toBe('tokenctl: Account nope not found\n');
  });

  it('creates tokens: the full token only in the create output', async () => {
    const ci = await tokenctlJson(['tokens', 'create', 'acme', '--description', 'CI']);
    expect(ci.api_token).toEqual({
      id: expect.any(Number),
      url: expect.any(String),
      description: 'CI',
      active: true,
      visible_token: expect.stringMatching(/^apit_acme_\d+_[0-9A-Za-z]{4}\.\.\.$/),
      user_id: -1,
      created_at: expect.stringMatching(TIMESTAMP),
      updated_at: expect.stringMatching(TIMESTAMP),
      last_used: null,
      token: expect.stringMatching(/^apit_acme_\d+_[0-9A-Za-z]{36}$/),
    });
    const created = ci.api_token as { id: number; url: string; token: string; visible_token: string };
    ciTokenId = created.id;
    expect(created.url).toBe(`${BASE_URL}/api/v2/api_tokens/${ciTokenId}.json`);
    expect(created.token.startsWith(created.visible_token.slice(0, -3))).toBe(true);

    const plain = await tokenctlJson(['tokens', 'create', 'acme']);
    expect(plain.api_token).toMatchObject({ description: null, active: true });
    plainTokenId = (plain.api_token as { id: number }).id;
  });

  it('lists tokens with visible_token and never the full token', async () => {
    const { api_tokens: tokens } = await tokenctlJson(['tokens', 'list', 'acme']);
    expect(tokens).toEqual([
      expect.objectContaining({ id: ciTokenId, description: 'CI', active: true, visible_token: expect.stringMatching(/\.\.\.$/) }),
      expect.objectContaining({ id: plainTokenId, description: null, active: true }),
    ]);
    for (const token of tokens as Record<string, unknown>[]) expect(token).not.toHaveProperty('token');
  });

  it('refuses to delete an active token, and exits 1 for an unknown token', async () => {
    const [active, unknown, unknownAccount] = await Promise.all([
      tokenctlError(['tokens', 'delete', 'acme', String(ciTokenId)]),
      tokenctlError(['tokens', 'deactivate', 'acme', '999']),
      tokenctlError(['tokens', 'list', 'nope']),
    ]);
    expect(active).toBe('tokenctl: An active API token cannot be deleted; deactivate it first.\n');
    expect(unknown).toBe('tokenctl: API token 999 not found in account acme\n');
    expect(unknownAccount).toBe('tokenctl: Account nope not found\n');
  });

  it('deactivates and reactivates a token', async () => {
    const deactivated = await tokenctlJson(['tokens', 'deactivate', 'acme', String(ciTokenId)]);
    expect(deactivated.api_token).toMatchObject({ id: ciTokenId, active: false, description: 'CI' });
    expect(deactivated.api_token).not.toHaveProperty('token');
    const reactivated = await tokenctlJson(['tokens', 'reactivate', 'acme', String(ciTokenId)]);
    expect(reactivated.api_token).toMatchObject({ id: ciTokenId, active: true });
  });

  it('deletes a deactivated token and prints it as it was', async () => {
    await tokenctlJson(['tokens', 'deactivate', 'acme', String(plainTokenId)]);
    const deleted = await tokenctlJson(['tokens', 'delete', 'acme', String(plainTokenId)]);
    expect(deleted.api_token).toMatchObject({ id: plainTokenId, active: false, description: null });
    expect(deleted.api_token).not.toHaveProperty('token');
    const [{ api_tokens: tokens }, { account }] = await Promise.all([
      tokenctlJson(['tokens', 'list', 'acme']),
      tokenctlJson(['accounts', 'show', 'acme']),
    ]);
    expect(tokens).toEqual([expect.objectContaining({ id: ciTokenId })]);
    expect(account).toMatchObject({ token_count: 1, token_limit: 256 });
  });

  it('records every change as an operator from tokenctl in the audit log', async () => {
    const result = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :audit)',
        ExpressionAttributeValues: { ':pk': accountPk('acme'), ':audit': AUDIT_PREFIX },
        ConsistentRead: true,
      }),
    );
    const entries = result.Items ?? [];
    expect(entries.map((entry) => entry.event)).toEqual(
      expect.arrayContaining(['account.created', 'user.created', 'api_token.created', 'api_token.deactivated', 'api_token.reactivated', 'api_token.deleted']),
    );
    for (const entry of entries) {
      expect(entry).toMatchObject({ actorId: -1, actorName: 'Operator', ipAddress: null, userAgent: 'tokenctl' });
    }
  });

  it('prints human-readable lines without --json, the new token clearly labelled', async () => {
    const created = await tokenctl(['tokens', 'create', 'acme', '--description', 'by hand']);
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/^Created API token \d+ in account acme\.\nToken \(shown only this once; store it now\): apit_acme_\d+_[0-9A-Za-z]{36}\n$/);
    const [shown, listed] = await Promise.all([tokenctl(['accounts', 'show', 'acme']), tokenctl(['tokens', 'list', 'acme'])]);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('Account acme (Acme Inc)');
    expect(shown.stdout).toContain('API token access: on');
    expect(shown.stdout).toContain('tokens: 2 of 256');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^2 of 256 API tokens in account acme/);
    expect(listed.stdout).toContain('"by hand"');
    expect(listed.stdout).not.toMatch(/apit_acme_\d+_[0-9A-Za-z]{36}/);
  });

  it('exits 1 with a message when DynamoDB is unreachable', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const run = await tokenctl(['accounts', 'show', 'acme'], { DYNAMODB_ENDPOINT: endpoint });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`tokenctl: The service is temporarily unavailable; retry shortly. (DynamoDB at ${endpoint}`);
  });
});

describe('tokenctl and token policies', () => {
  let agentId: number;
  let tokenId: number;

  beforeAll(async () => {
    await tokenctlJson(['accounts', 'create', 'policy', '--name', 'Policy', '--plan', 'enterprise', '--api-token-access', 'on']);
    agentId = ((await tokenctlJson(['users', 'add', 'policy', 'agent@policy.test', '--role', 'agent'])).user as { id: number }).id;
  });

  /** The audit entries of one token, oldest first, as [event, change description]. */
  async function historyOf(id: number): Promise<[unknown, unknown][]> {
    const result = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :audit)',
        ExpressionAttributeValues: { ':pk': accountPk('policy'), ':audit': AUDIT_PREFIX },
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).filter((entry) => entry.sourceId === String(id)).map((entry) => [entry.event, entry.changeDescription]);
  }

  it('creates a token with every policy flag: the user by email, the blocks in canonical form, each named in the entry', async () => {
    const { api_token: created } = await tokenctlJson([
      'tokens', 'create', 'policy', '--description', 'restricted', '--expires-at', '2099-01-01T00:00:00Z', '--assigned-user', 'agent@policy.test',
      '--max-role', 'end_user', '--allow-ip', '192.0.2.0/24', '--allow-ip', '2001:DB8::1',
    ]);
    expect(created).toMatchObject({
      expires_at: '2099-01-01T00:00:00Z',
      assigned_user_id: agentId,
      max_role: 'end_user',
      allowed_ips: ['192.0.2.0/24', '2001:db8::1/128'],
      token: expect.stringMatching(/^apit_policy_/),
    });
    tokenId = (created as { id: number }).id;
    expect(await historyOf(tokenId)).toEqual([
      ['api_token.created', `Created; expires 2099-01-01T00:00:00Z; assigned to user ${agentId} (agent@policy.test); role ceiling end_user; IP allow-list 192.0.2.0/24, 2001:db8::1/128`],
    ]);
    const text = await tokenctl(['tokens', 'create', 'policy', '--assigned-user', String(agentId)]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^Created API token \\d+ in account policy\\.\\nRestricted to: assigned to user ${agentId}\\nToken \\(shown only this once; store it now\\): apit_policy_`));
  });

  it('updates the policy of a token, each change an entry with readable words; none removes a part', async () => {
    const updated = await tokenctlJson(['tokens', 'update', 'policy', String(tokenId), '--max-role', 'agent', '--allow-ip', '198.51.100.7', '--description', 'still restricted']);
    expect(updated.api_token).toMatchObject({ description: 'still restricted', max_role: 'agent', allowed_ips: ['198.51.100.7/32'], assigned_user_id: agentId });
    const removed = await tokenctlJson(['tokens', 'update', 'policy', String(tokenId), '--assigned-user', 'none', '--max-role', 'none', '--allow-ip', 'none']);
    expect(removed.api_token).toMatchObject({ expires_at: '2099-01-01T00:00:00Z' });
    for (const field of ['assigned_user_id', 'max_role', 'allowed_ips']) expect(removed.api_token).not.toHaveProperty(field);
    expect((await historyOf(tokenId)).slice(1)).toEqual([
      ['api_token.description_changed', 'Description changed from "restricted" to "still restricted"'],
      ['api_token.max_role_changed', 'Role ceiling changed from end_user to agent'],
      ['api_token.allowed_ips_changed', 'IP allow-list changed from 192.0.2.0/24, 2001:db8::1/128 to 198.51.100.7/32'],
      ['api_token.assigned_user_changed', `Assigned user changed from user ${agentId} (agent@policy.test) to none`],
      ['api_token.max_role_changed', 'Role ceiling changed from agent to none'],
      ['api_token.allowed_ips_changed', 'IP allow-list changed from 198.51.100.7/32 to none'],
    ]);
    const listed = await tokenctl(['tokens', 'list', 'policy']);
    expect(listed.stdout).toContain('[expires 2099-01-01T00:00:00Z]');
  });

  it('sets and removes the account\'s maximum token lifetime', async () => {
    expect((await tokenctlJson(['accounts', 'update', 'policy', '--api-token-max-lifetime-days', '30'])).account).toBeDefined();
    expect((await tokenctl(['accounts', 'show', 'policy'])).stdout).toContain('maximum token lifetime: 30 days');
    const { api_token: limited } = await tokenctlJson(['tokens', 'create', 'policy']);
    expect(Date.parse((limited as { expires_at: string }).expires_at)).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
    expect(await tokenctlError(['tokens', 'create', 'policy', '--expires-at', '2099-01-01T00:00:00Z'])).toMatch(/^tokenctl: expires_at: expires_at is beyond the account's maximum API token lifetime of 30 days/);
    await tokenctlJson(['accounts', 'update', 'policy', '--api-token-max-lifetime-days', 'none']);
    expect((await tokenctl(['accounts', 'show', 'policy'])).stdout).not.toContain('maximum token lifetime');
    expect((await tokenctlJson(['tokens', 'create', 'policy'])).api_token).not.toHaveProperty('expires_at');
  });

  it('exits 1 with the rule broken, naming the field, for values the service refuses', async () => {
    expect(await tokenctlError(['tokens', 'create', 'policy', '--expires-at', '2020-01-01T00:00:00Z'])).toBe('tokenctl: expires_at: expires_at must be in the future\n');
    expect(await tokenctlError(['tokens', 'create', 'policy', '--expires-at', 'tomorrow'])).toMatch(/^tokenctl: expires_at: expires_at must be an ISO-8601 UTC time/);
    expect(await tokenctlError(['tokens', 'create', 'policy', '--allow-ip', '10.1.2.3/8'])).toBe('tokenctl: allowed_ips: "10.1.2.3/8" has bits set after its /8 prefix; the block is 10.0.0.0/8\n');
    expect(await tokenctlError(['tokens', 'create', 'policy', '--assigned-user', 'nobody@policy.test'])).toBe('tokenctl: User nobody@policy.test not found in account policy\n');
    expect(await tokenctlError(['tokens', 'update', 'policy', String(tokenId), '--assigned-user', '12345'])).toBe('tokenctl: assigned_user_id: assigned_user_id 12345 is not a user of this account\n');
    expect(await tokenctlError(['accounts', 'update', 'policy', '--api-token-max-lifetime-days', '3651'])).toMatch(/^tokenctl: api_token_max_lifetime_days: /);
  });

  it('exits 2 for usage errors of the policy flags, before touching DynamoDB', async () => {
    const unreachable = { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' };
    const cases: [string[], string][] = [
      [['tokens', 'create', 'policy', '--max-role', 'owner'], '--max-role must be one of admin, agent, end_user'],
      [['tokens', 'create', 'policy', '--allow-ip', 'none'], '--allow-ip none is for tokens update'],
      [['tokens', 'update', 'policy', '1', '--allow-ip', 'none', '--allow-ip', '10.0.0.0/8'], '--allow-ip none removes the list and takes no blocks beside it'],
      [['tokens', 'update', 'policy', '1'], 'nothing to update'],
      [['tokens', 'update', 'policy', '1', '--expires-at', '2099-01-01T00:00:00Z'], "Unknown option '--expires-at'"],
      [['accounts', 'update', 'policy', '--api-token-max-lifetime-days', '0'], '--api-token-max-lifetime-days must be a number of days or none'],
    ];
    const runs = await Promise.all(cases.map(([args]) => tokenctl(args, unreachable)));
    runs.forEach((run, index) => {
      expect({ args: cases[index]![0], status: run.status, stdout: run.stdout }).toEqual({ args: cases[index]![0], status: 2, stdout: '' });
      expect(run.stderr).toContain(`tokenctl: ${cases[index]![1]}`);
    });
  });
});

describe('tokenctl tokens rotate', () => {
  beforeAll(async () => {
    await tokenctlJson(['accounts', 'create', 'rotating', '--name', 'Rotating', '--plan', 'enterprise', '--api-token-access', 'on']);
  });

  it('prints the new token once, with the old one\'s description and policy; the old one is gone, or kept for the grace', async () => {
    const { api_token: old } = (await tokenctlJson(['tokens', 'create', 'rotating', '--description', 'deploy', '--max-role', 'agent'])) as { api_token: { id: number } };
    const rotated = await tokenctl(['tokens', 'rotate', 'rotating', String(old.id)]);
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toMatch(
      new RegExp(`^Rotated API token ${old.id} in account rotating \\(the old token replaced at once\\): new API token \\d+\\.\\nRestricted to: role ceiling agent\\nToken \\(shown only this once; store it now\\): apit_rotating_\\d+_[0-9A-Za-z]{36}\\n$`),
    );
    expect(await tokenctlError(['tokens', 'rotate', 'rotating', String(old.id)])).toBe(`tokenctl: API token ${old.id} not found in account rotating\n`);

    const listed = ((await tokenctlJson(['tokens', 'list', 'rotating'])) as { api_tokens: { id: number; description: string }[] }).api_tokens;
    expect(listed.map((token) => token.description)).toEqual(['deploy']);
    const graced = (await tokenctlJson(['tokens', 'rotate', 'rotating', String(listed[0]!.id), '--grace-seconds', '600'])) as { api_token: { id: number; token: string; description: string; max_role: string } };
    expect(graced.api_token).toMatchObject({ description: 'deploy', max_role: 'agent', token: expect.stringMatching(/^apit_rotating_/) });
    expect(((await tokenctlJson(['tokens', 'list', 'rotating'])) as { api_tokens: unknown[] }).api_tokens).toHaveLength(2);
    expect(await tokenctlError(['tokens', 'rotate', 'rotating', String(listed[0]!.id)])).toBe(`tokenctl: This API token was already rotated: token ${graced.api_token.id} replaces it.\n`);
    expect(await tokenctlError(['tokens', 'rotate', 'rotating', String(graced.api_token.id), '--grace-seconds', '604801'])).toMatch(/^tokenctl: grace_seconds: /);
  });

  it('exits 2 for a grace that is not a number of seconds', async () => {
    const run = await tokenctl(['tokens', 'rotate', 'rotating', '1', '--grace-seconds', '1h'], { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 2, stdout: '' });
    expect(run.stderr).toContain("tokenctl: --grace-seconds must be a whole number of seconds (got '1h')");
  });
});
