// A PUT of a token as GET returned it, as Zendesk clients send it: the read-only fields are ignored when
// they are as the token shows them (`last_used` whatever its well-formed value), a different one is a 422
// naming it, `token` is always a 422 and never echoed, an unknown field stays a 400; an unchanged copy
// writes no audit entry, one edited description exactly one.
import type { ApiTokenJson } from '../../shared/http/presenters';
import { provisionAccount, request, startApiStack, tokenPath, type ApiStack, type ProvisionedAccount } from '../support/api-stack';
import { accountPartition } from '../support/tables';

type TokenBody = { api_token: ApiTokenJson & { token?: string } };
type ErrorBody = { error: string; description: string; details?: Record<string, { error: string; description: string }[]> };

let stack: ApiStack;
let acme: ProvisionedAccount;

beforeAll(async () => {
  stack = await startApiStack();
  acme = await provisionAccount(stack, 'roundtrip');
});

afterAll(() => stack.close());

const asAdmin = () => ({ auth: acme.adminAuth });
const auditCount = async () => (await accountPartition(stack.table, acme.accountId)).audits.length;

/** A new token through the API: its full token, and the object GET returns for it. */
async function createAndFetch(description: string): Promise<{ token: string; shown: ApiTokenJson }> {
  const created = await request<TokenBody>(stack, 'POST', '/api/v2/api_tokens.json', { ...asAdmin(), body: { api_token: { description } } });
  expect(created.status).toBe(201);
  const shown = await request<TokenBody>(stack, 'GET', tokenPath(created.json.api_token.id), asAdmin());
  expect(shown.status).toBe(200);
  return { token: created.json.api_token.token!, shown: shown.json.api_token };
}

const put = <T = TokenBody>(id: number, apiToken: Record<string, unknown>) =>
  request<T>(stack, 'PUT', tokenPath(id), { ...asAdmin(), body: { api_token: apiToken } });

describe('a token sent back as GET returned it', () => {
  test('unchanged: 200 with the token as it was, and no audit entry', async () => {
    const { shown } = await createAndFetch('unchanged');
    const before = await auditCount();
    const response = await put(shown.id, { ...shown });
    expect(response.status).toBe(200);
    expect(response.json.api_token).toEqual(shown);
    expect(await auditCount()).toBe(before);
  });

  test('with the description changed: 200, the change applied, exactly one audit entry', async () => {
    const { shown } = await createAndFetch('before');
    const before = await auditCount();
    const response = await put(shown.id, { ...shown, description: 'after' });
    expect(response.status).toBe(200);
    expect(response.json.api_token).toMatchObject({ id: shown.id, description: 'after', active: true });
    const { audits } = await accountPartition(stack.table, acme.accountId);
    expect(audits).toHaveLength(before + 1);
    expect(audits.filter((entry) => entry.sourceId === String(shown.id)).map((entry) => entry.event)).toEqual([
      'api_token.created',
      'api_token.description_changed',
    ]);
  });

  test('with active changed: 200 and one audit entry; the copy GET returns after it round-trips again', async () => {
    const { shown } = await createAndFetch('toggle');
    const before = await auditCount();
    const deactivated = await put(shown.id, { ...shown, active: false });
    expect(deactivated.status).toBe(200);
    expect(await auditCount()).toBe(before + 1);
    const again = await put(deactivated.json.api_token.id, { ...deactivated.json.api_token });
    expect(again.status).toBe(200);
    expect(again.json.api_token).toEqual(deactivated.json.api_token);
    expect(await auditCount()).toBe(before + 1);
  });
});

describe('read-only fields', () => {
  const changed: [keyof ApiTokenJson, (shown: ApiTokenJson) => unknown][] = [
    ['id', (shown) => shown.id + 1],
    ['url', (shown) => shown.url.replace(/\.json$/, '')],
    ['visible_token', (shown) => shown.visible_token.replace(/\.\.\.$/, 'x...')],
    ['user_id', (shown) => shown.user_id + 1],
    ['created_at', () => '2020-01-01T00:00:00Z'],
    ['updated_at', () => '2020-01-01T00:00:00Z'],
  ];

  test.each(changed)('%s with a different value: 422 naming it, nothing applied, no audit entry', async (field, otherValue) => {
    const { shown } = await createAndFetch(`read-only ${field}`);
    const before = await auditCount();
    const response = await put<ErrorBody>(shown.id, { ...shown, description: 'not applied', [field]: otherValue(shown) });
    expect(response.status).toBe(422);
    expect(response.json.error).toBe('RecordInvalid');
    expect(Object.keys(response.json.details ?? {})).toEqual([field]);
    expect(response.json.details?.[field]?.[0]?.error).toBe('InvalidValue');
    expect(await auditCount()).toBe(before);
    const after = await request<TokenBody>(stack, 'GET', tokenPath(shown.id), asAdmin());
    expect(after.json.api_token.description).toBe(`read-only ${field}`);
  });

  test('several different at once: one 422 naming each', async () => {
    const { shown } = await createAndFetch('several');
    const response = await put<ErrorBody>(shown.id, { ...shown, user_id: shown.user_id + 1, created_at: '2020-01-01T00:00:00Z' });
    expect(response.status).toBe(422);
    expect(Object.keys(response.json.details ?? {}).sort()).toEqual(['created_at', 'user_id']);
  });

  test('each may be left out: any subset of the GET shape is accepted', async () => {
    const { shown } = await createAndFetch('subset');
    const subset = { id: shown.id, visible_token: shown.visible_token, updated_at: shown.updated_at, description: 'subset edited' };
    const response = await put(shown.id, subset);
    expect(response.status).toBe(200);
    expect(response.json.api_token.description).toBe('subset edited');
  });

  test('a copy made stale by another change (its updated_at is older): 422 naming updated_at, the other change kept', async () => {
    const { shown } = await createAndFetch('stale');
    // Timestamps are shown to the second: the other change is made in a later second than the copy's.
    await new Promise((resolve) => setTimeout(resolve, 1005 - (Date.now() % 1000)));
    expect((await put(shown.id, { description: 'theirs' })).status).toBe(200);
    const before = await auditCount();
    const response = await put<ErrorBody>(shown.id, { ...shown, description: 'mine' });
    expect(response.status).toBe(422);
    expect(Object.keys(response.json.details ?? {})).toEqual(['updated_at']);
    expect(await auditCount()).toBe(before);
    const after = await request<TokenBody>(stack, 'GET', tokenPath(shown.id), asAdmin());
    expect(after.json.api_token.description).toBe('theirs');
  });

  test('a malformed timestamp is a 400, like any value of the wrong shape', async () => {
    const { shown } = await createAndFetch('malformed');
    for (const [field, value] of [['created_at', 'yesterday'], ['updated_at', 1764000000], ['id', 'one'], ['user_id', null]] as const) {
      const response = await put<ErrorBody>(shown.id, { ...shown, [field]: value });
      expect([field, response.status, response.json.error]).toEqual([field, 400, 'BadRequest']);
    }
  });
});

describe('last_used', () => {
  test('any well-formed value is ignored: it moves by itself, also with the use by the PUT itself', async () => {
    const { token, shown } = await createAndFetch('last used');
    expect(shown.last_used).toBeNull();
    const asItself = { auth: { email: acme.admin.email, token } };
    // The copy was read before the token was used; this PUT, made with the token, records its use.
    const first = await request<TokenBody>(stack, 'PUT', tokenPath(shown.id), { ...asItself, body: { api_token: { ...shown } } });
    expect(first.status).toBe(200);
    expect(first.json.api_token.last_used).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const before = await auditCount();
    for (const lastUsed of [null, '2020-01-01T00:00:00Z', '2999-12-31T23:59:59Z', first.json.api_token.last_used]) {
      const response = await put(shown.id, { ...shown, last_used: lastUsed });
      expect([lastUsed, response.status]).toEqual([lastUsed, 200]);
      expect(response.json.api_token.last_used).toBe(first.json.api_token.last_used);
    }
    expect(await auditCount()).toBe(before);
  });

  test('a malformed value is a 400', async () => {
    const { shown } = await createAndFetch('last used malformed');
    for (const lastUsed of ['yesterday', '2026-12-02T10:00:00.123Z', '2026-12-02', 0, true]) {
      const response = await put<ErrorBody>(shown.id, { ...shown, last_used: lastUsed });
      expect([lastUsed, response.status, response.json.error]).toEqual([lastUsed, 400, 'BadRequest']);
    }
  });
});

describe('fields that are not editable', () => {
  test('token: 422 naming it, whatever its value; the secret never appears in the answer', async () => {
    const { token, shown } = await createAndFetch('with token');
    const secret = token.split('_')[3]!;
    const before = await auditCount();
    for (const value of [token, 'x', null]) {
      const response = await put<ErrorBody>(shown.id, { ...shown, description: 'not applied', token: value });
      expect(response.status).toBe(422);
      expect(Object.keys(response.json.details ?? {})).toEqual(['token']);
      expect(response.text).not.toContain(token);
      expect(response.text).not.toContain(secret.slice(0, 8));
    }
    expect(await auditCount()).toBe(before);
  });

  test('an unknown field stays a 400 (usually a typo)', async () => {
    const { shown } = await createAndFetch('typo');
    for (const extra of [{ descripton: 'typo' }, { account_id: 'other' }, { secret_hash: 'x' }]) {
      const response = await put<ErrorBody>(shown.id, { ...shown, ...extra });
      expect(response.status).toBe(400);
      expect(response.json.error).toBe('BadRequest');
      expect(response.json.description).toContain(Object.keys(extra)[0]);
    }
  });

  test("another account's token is a 404, whatever the copy says", async () => {
    const other = await provisionAccount(stack, 'roundtripother');
    const theirs = await request<{ api_tokens: ApiTokenJson[] }>(stack, 'GET', '/api/v2/api_tokens.json', { auth: other.adminAuth });
    const copy = theirs.json.api_tokens[0]!;
    const response = await put<ErrorBody>(copy.id, { ...copy, created_at: '2020-01-01T00:00:00Z', token: 'x' });
    expect([response.status, response.json.error]).toEqual([404, 'RecordNotFound']);
  });
});
