// The token lifecycle through the emulator: create (the only time the token is shown), list, show, edit,
// deactivate (immediate), reactivate, delete only when deactivated; tenant isolation; bad input never 500.
import type { ApiTokenJson } from '../../shared/http/presenters';
import { provisionAccount, request, startApiStack, type ApiResponse, type ApiStack, type ProvisionedAccount } from '../support/api-stack';
import { scanTable } from '../support/tables';
import { rawRequest } from '../security/raw-request';

// `token` is in the create response only; the other answers are checked not to carry it.
type TokenBody = { api_token: ApiTokenJson & { token?: string } };
type ListBody = {
  api_tokens: ApiTokenJson[];
  count: number;
  meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null; token_count: number; token_limit: number };
  links: { next: string | null; prev: string | null };
};
type ErrorBody = { error: string; description: string; details?: Record<string, { error: string; description: string }[]> };

let stack: ApiStack;
let acme: ProvisionedAccount;
let other: ProvisionedAccount;

beforeAll(async () => {
  stack = await startApiStack();
  acme = await provisionAccount(stack, 'acme');
  other = await provisionAccount(stack, 'other');
});

afterAll(() => stack.close());

const asAdmin = (account: ProvisionedAccount) => ({ auth: account.adminAuth });
const create = (description?: string) =>
  request<TokenBody>(stack, 'POST', '/api/v2/api_tokens.json', { ...asAdmin(acme), body: description === undefined ? undefined : { api_token: { description } } });
const me = (token: string) => request(stack, 'GET', '/api/v2/users/me.json', { auth: { email: acme.admin.email, token } });


describe('the full token', () => {
  test('appears only in the create response; list and show return visible_token only; the table never holds it', async () => {
    const created = await create('CI');
    expect(created.status).toBe(201);
    const { token, ...shown } = created.json.api_token;
    expect(token).toMatch(/^apit_acme_\d+_[0-9A-Za-z]{36}$/);
    expect(shown).toMatchObject({ description: 'CI', active: true, user_id: acme.admin.userId, last_used: null });
    expect(created.headers.get('location')).toBe(shown.url);
    expect(shown.url).toBe(`${stack.baseUrl}/api/v2/api_tokens/${shown.id}.json`);

    const secret = token!.split('_')[3]!.slice(0, 30);
    const showResponse = await request<TokenBody>(stack, 'GET', `/api/v2/api_tokens/${shown.id}.json`, asAdmin(acme));
    const listResponse = await request<ListBody>(stack, 'GET', '/api/v2/api_tokens', asAdmin(acme));
    for (const body of [showResponse.text, listResponse.text]) {
      expect(body).not.toContain(token);
      expect(body).not.toContain(secret.slice(0, 5));
      expect(body).not.toContain('"token"');
    }
    const visible = showResponse.json.api_token.visible_token;
    expect(visible).toBe(`apit_acme_${shown.id}_${secret.slice(0, 4)}...`);

    const table = JSON.stringify(await scanTable(stack.table));
    expect(table).not.toContain(token);
    expect(table).not.toContain(secret.slice(0, 5));
  });

  test('is created by the admin who asked, and created with an empty body too', async () => {
    const created = await request<TokenBody>(stack, 'POST', '/api/v2/api_tokens', asAdmin(acme));
    expect(created.status).toBe(201);
    expect(created.json.api_token).toMatchObject({ description: null, user_id: acme.admin.userId });
  });
});

describe('lifecycle', () => {
  test('deactivate is immediate, reactivate restores, an active token cannot be deleted, a deactivated one can', async () => {
    const { json } = await create('lifecycle');
    const { id, token } = json.api_token;
    const path = `/api/v2/api_tokens/${id}.json`;
    expect((await me(token!)).status).toBe(200);

    const deactivated = await request<TokenBody>(stack, 'PUT', path, { ...asAdmin(acme), body: { api_token: { active: false } } });
    expect(deactivated.status).toBe(200);
    expect(deactivated.json.api_token.active).toBe(false);
    expect((await me(token!)).status).toBe(401);

    const reactivated = await request<TokenBody>(stack, 'PUT', path, { ...asAdmin(acme), body: { api_token: { active: true } } });
    expect(reactivated.json.api_token.active).toBe(true);
    expect((await me(token!)).status).toBe(200);

    const refused = await request<ErrorBody>(stack, 'DELETE', path, asAdmin(acme));
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ error: 'RecordInvalid', details: { base: [{ error: 'TokenActive' }] } });
    expect((await me(token!)).status).toBe(200);

    const countBefore = (await request<ListBody>(stack, 'GET', '/api/v2/api_tokens.json', asAdmin(acme))).json.meta.token_count;
    await request(stack, 'PUT', path, { ...asAdmin(acme), body: { api_token: { active: false } } });
    const deleted = await request(stack, 'DELETE', path, asAdmin(acme));
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await request(stack, 'GET', path, asAdmin(acme))).status).toBe(404);
    expect((await me(token!)).status).toBe(401);
    const list = await request<ListBody>(stack, 'GET', '/api/v2/api_tokens.json', asAdmin(acme));
    expect(list.json.meta.token_count).toBe(countBefore - 1);
    expect(list.json.api_tokens.map((t) => t.id)).not.toContain(id);
  });

  test('the description can be edited and cleared; last_used is set once the token is used', async () => {
    const { json } = await create('before');
    const path = `/api/v2/api_tokens/${json.api_token.id}`;
    const edited = await request<TokenBody>(stack, 'PUT', path, { ...asAdmin(acme), body: { api_token: { description: 'after' } } });
    expect(edited.json.api_token.description).toBe('after');
    const cleared = await request<TokenBody>(stack, 'PUT', path, { ...asAdmin(acme), body: { api_token: { description: null } } });
    expect(cleared.json.api_token.description).toBeNull();
    await me(json.api_token.token!);
    const shown = await request<TokenBody>(stack, 'GET', path, asAdmin(acme));
    expect(shown.json.api_token.last_used).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
});

describe('listing', () => {
  test('returns every token without page[size], and cursor pages with it, both ways', async () => {
    const all = await request<ListBody>(stack, 'GET', '/api/v2/api_tokens.json', asAdmin(acme));
    expect(all.status).toBe(200);
    const ids = all.json.api_tokens.map((token) => token.id);
    expect(ids.length).toBe(all.json.meta.token_count);
    expect(all.json.count).toBe(all.json.meta.token_count);
    expect(all.json.meta.token_limit).toBe(256);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    const walked: number[] = [];
    let next: string | null = `${stack.baseUrl}/api/v2/api_tokens.json?page%5Bsize%5D=2`;
    let last: ListBody | undefined;
    while (next) {
      const page: ApiResponse<ListBody> = await request<ListBody>(stack, 'GET', next.slice(stack.baseUrl.length), asAdmin(acme));
      expect(page.status).toBe(200);
      walked.push(...page.json.api_tokens.map((token) => token.id));
      last = page.json;
      next = page.json.links.next;
    }
    expect(walked).toEqual(ids);
    expect(last!.meta.has_more).toBe(false);

    const back: number[] = [];
    let prev: string | null = last!.links.prev;
    back.unshift(...last!.api_tokens.map((token) => token.id));
    while (prev) {
      const page: ApiResponse<ListBody> = await request<ListBody>(stack, 'GET', prev.slice(stack.baseUrl.length), asAdmin(acme));
      back.unshift(...page.json.api_tokens.map((token) => token.id));
      prev = page.json.links.prev;
    }
    expect(back).toEqual(ids);
  });
});

describe('url fields', () => {
  test("point at the API's own address whatever Host the client sends, as behind API Gateway", async () => {
    const authorization = `Basic ${Buffer.from(`${acme.admin.email}/token:${acme.token}`).toString('base64')}`;
    const headers = ['Host', 'evil.example', 'Authorization', authorization, 'X-Forwarded-Host', 'evil.example'];
    const created = await rawRequest(stack.baseUrl, {
      method: 'POST',
      target: '/api/v2/api_tokens.json',
      headers: [...headers, 'Content-Type', 'application/json'],
      body: JSON.stringify({ api_token: { description: 'host' } }),
    });
    const listed = await rawRequest(stack.baseUrl, { method: 'GET', target: '/api/v2/api_tokens.json?page[size]=1', headers });
    const me = await rawRequest(stack.baseUrl, { method: 'GET', target: '/api/v2/users/me.json', headers });
    expect([created.status, listed.status, me.status]).toEqual([201, 200, 200]);
    const urls = [
      (created.json as TokenBody).api_token.url,
      ...(listed.json as ListBody).api_tokens.map((token) => token.url),
      (listed.json as ListBody).links.next,
      (me.json as { user: { url: string } }).user.url,
    ];
    expect(stack.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const url of urls) expect(url?.startsWith(`${stack.baseUrl}/api/v2/`)).toBe(true);
    expect(JSON.stringify([created.json, listed.json, me.json])).not.toContain('evil.example');
  });
});

describe('tenant isolation', () => {
  test("an admin of one account gets 404 for another account's token ids, and never sees them listed", async () => {
    const theirs = await request<ListBody>(stack, 'GET', '/api/v2/api_tokens.json', asAdmin(other));
    const theirId = theirs.json.api_tokens[0]!.id;
    const path = `/api/v2/api_tokens/${theirId}.json`;
    for (const [method, body] of [['GET'], ['PUT', { api_token: { active: false } }], ['DELETE']] as [string, unknown?][]) {
      const response = await request<ErrorBody>(stack, method, path, { ...asAdmin(acme), body });
      expect([method, response.status, response.json.error]).toEqual([method, 404, 'RecordNotFound']);
    }
    const mine = await request<ListBody>(stack, 'GET', '/api/v2/api_tokens.json', asAdmin(acme));
    expect(mine.json.api_tokens.map((token) => token.id)).not.toContain(theirId);
    // Their token was not touched by the attempts.
    const after = await request<TokenBody>(stack, 'GET', path, asAdmin(other));
    expect(after.json.api_token.active).toBe(true);
  });
});

describe('bad input never yields a 500', () => {
  const tokenPath = () => `/api/v2/api_tokens/${acme.token.split('_')[2]}.json`;
  const cases: [string, string, () => string, unknown, number, string][] = [
    ['malformed JSON', 'POST', () => '/api/v2/api_tokens.json', '{"api_token": ', 400, 'BadRequest'],
    ['a JSON array', 'POST', () => '/api/v2/api_tokens.json', '[]', 400, 'BadRequest'],
    ['a JSON string', 'PUT', tokenPath, '"x"', 400, 'BadRequest'],
    ['a number description', 'POST', () => '/api/v2/api_tokens.json', { api_token: { description: 5 } }, 400, 'BadRequest'],
    ['a string for active', 'PUT', tokenPath, { api_token: { active: 'no' } }, 400, 'BadRequest'],
    ['an unknown field', 'PUT', tokenPath, { api_token: { active: true, secret: 'x' } }, 400, 'BadRequest'],
    ['an unknown top-level field', 'POST', () => '/api/v2/api_tokens.json', { api_token: {}, extra: 1 }, 400, 'BadRequest'],
    ['no body on update', 'PUT', tokenPath, undefined, 400, 'BadRequest'],
    ['a description over 255 characters', 'POST', () => '/api/v2/api_tokens.json', { api_token: { description: 'x'.repeat(256) } }, 422, 'RecordInvalid'],
    ['a description with control characters', 'PUT', tokenPath, { api_token: { description: 'a\u0000b' } }, 422, 'RecordInvalid'],
    ['a non-numeric id', 'GET', () => '/api/v2/api_tokens/abc.json', undefined, 404, 'RecordNotFound'],
    ['a negative id', 'PUT', () => '/api/v2/api_tokens/-1', { api_token: { active: false } }, 404, 'RecordNotFound'],
    ['an unknown id', 'DELETE', () => '/api/v2/api_tokens/999999.json', undefined, 404, 'RecordNotFound'],
    ['an id beyond 2^53', 'GET', () => '/api/v2/api_tokens/99999999999999999999', undefined, 404, 'RecordNotFound'],
    ['page[size] of 0', 'GET', () => '/api/v2/api_tokens.json?page[size]=0', undefined, 400, 'BadRequest'],
    ['page[size] over 100', 'GET', () => '/api/v2/api_tokens.json?page[size]=101', undefined, 400, 'BadRequest'],
    ['a non-numeric page[size]', 'GET', () => '/api/v2/api_tokens.json?page[size]=ten', undefined, 400, 'BadRequest'],
    ['a garbage cursor', 'GET', () => '/api/v2/api_tokens.json?page[size]=2&page[after]=garbage!', undefined, 400, 'BadRequest'],
    ['a well-encoded but bogus cursor', 'GET', () => `/api/v2/api_tokens.json?page[after]=${Buffer.from('v1:x').toString('base64url')}`, undefined, 400, 'BadRequest'],
    ['both cursors', 'GET', () => '/api/v2/api_tokens.json?page[after]=djE6MQ&page[before]=djE6MQ', undefined, 400, 'BadRequest'],
    ['a body over 16 KiB', 'POST', () => '/api/v2/api_tokens.json', { api_token: { description: 'x'.repeat(17 * 1024) } }, 413, 'PayloadTooLarge'],
  ];

  test.each(cases)('%s', async (_name, method, path, body, status, error) => {
    const response = await request<ErrorBody>(stack, method, path(), { ...asAdmin(acme), body });
    expect(response.status).toBe(status);
    expect(response.json.error).toBe(error);
    expect(typeof response.json.description).toBe('string');
    if (status === 422) expect(response.json.details?.description?.[0]?.error).toBe('InvalidValue');
  });

  test('an unknown path is a JSON 404', async () => {
    const response = await request<ErrorBody>(stack, 'GET', '/api/v2/nothing_here', asAdmin(acme));
    expect(response.status).toBe(404);
    expect(response.json.error).toBe('InvalidEndpoint');
  });
});
