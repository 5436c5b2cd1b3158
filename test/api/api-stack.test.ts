// The in-process API stack (test/support/api-stack.ts) end to end: the real authorizer and handlers
// behind the emulator, on DynamoDB Local — the path every API test takes.
import { addUser, type ApiStack, basicAuth, OPERATOR, provisionAccount, request, startApiStack, unresolvedUrls } from '../support/api-stack';

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});

afterAll(async () => {
  await stack.close();
});

test('basicAuth encodes {email}/token:{token}', () => {
  expect(basicAuth('a@b.test', 'tok')).toBe(`Basic ${Buffer.from('a@b.test/token:tok').toString('base64')}`);
});

test('a provisioned admin reads /users/me.json with the account token', async () => {
  const account = await provisionAccount(stack, 'stackme');
  const response = await request<{ user: Record<string, unknown> }>(stack, 'GET', '/api/v2/users/me.json', { auth: account.adminAuth });
  expect(response.status).toBe(200);
  expect(response.json.user).toMatchObject({
    id: account.admin.userId,
    email: 'admin@stackme.test',
    role: 'admin',
    url: `${stack.baseUrl}/api/v2/users/${account.admin.userId}.json`,
  });
});

test('the same token authenticates another verified user of the account, with that user\'s role', async () => {
  const account = await provisionAccount(stack, 'stackagent');
  await addUser(stack, 'stackagent', 'agent@stackagent.test', 'agent');
  const auth = { email: 'agent@stackagent.test', token: account.token };
  expect((await request(stack, 'GET', '/api/v2/users/me', { auth })).status).toBe(200);
  expect((await request(stack, 'GET', '/api/v2/api_tokens.json', { auth })).status).toBe(403);
});

test('gateway rules hold with the real authorizer: no header, a wrong token, an unknown path', async () => {
  const account = await provisionAccount(stack, 'stackdeny');
  const missing = await request(stack, 'GET', '/api/v2/users/me');
  expect(missing.status).toBe(401);
  expect(missing.text).toBe('{"error":"Couldn\'t authenticate you"}');
  expect(missing.headers.get('www-authenticate')).toBe('Basic realm="Web Password"');
  const wrong = await request(stack, 'GET', '/api/v2/users/me', { auth: { ...account.adminAuth, token: `${account.token.slice(0, -1)}x` } });
  expect(wrong.status).toBe(401);
  expect(wrong.text).toBe(missing.text);
  expect((await request(stack, 'GET', '/api/v2/nothing', { auth: account.adminAuth })).status).toBe(404);
});

test('a token created through the API works at once', async () => {
  const account = await provisionAccount(stack, 'stackcreate');
  const created = await request<{ api_token: { token: string } }>(stack, 'POST', '/api/v2/api_tokens.json', {
    auth: account.adminAuth,
    body: { api_token: { description: 'from the api' } },
  });
  expect(created.status).toBe(201);
  const auth = { email: account.adminAuth.email, token: created.json.api_token.token };
  expect((await request(stack, 'GET', '/api/v2/users/me.json', { auth })).status).toBe(200);
});

describe('every url field is followed when the stack closes', () => {
  test('the urls of every answer are collected, with the account that received them', async () => {
    const account = await provisionAccount(stack, 'stackurls');
    const created = await request<{ api_token: { id: number; url: string } }>(stack, 'POST', '/api/v2/api_tokens.json', { auth: account.adminAuth });
    const listed = await request<{ audit_logs: { url: string }[] }>(stack, 'GET', '/api/v2/audit_logs.json', { auth: account.adminAuth });
    for (const url of [created.json.api_token.url, ...listed.json.audit_logs.map((entry) => entry.url)]) {
      expect([url, stack.urls.seen.get(url)]).toEqual([url, 'stackurls']);
    }
    expect(await unresolvedUrls(stack)).toEqual([]);
  });

  test('a url that does not answer 200 is reported: an unknown record, a broken path, another host', async () => {
    const account = await provisionAccount(stack, 'stackbroken');
    const tokenId = Number(account.token.split('_')[2]);
    const broken = new Map([
      [`${stack.baseUrl}/api/v2/api_tokens/${tokenId + 1}.json`, 'stackbroken'],
      [`${stack.baseUrl}/api/v2/apitokens/${tokenId}.json`, 'stackbroken'],
      [`https://elsewhere.example/api/v2/api_tokens/${tokenId}.json`, 'stackbroken'],
      [`${stack.baseUrl}/api/v2/api_tokens/${tokenId}.json`, 'stackbroken'],
    ]);
    const problems = await unresolvedUrls(stack, broken);
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`/api_tokens/${tokenId + 1}\\.json → 404 .*RecordNotFound`)),
      expect.stringMatching(new RegExp(`/apitokens/${tokenId}\\.json → 404 .*InvalidEndpoint`)),
      expect.stringMatching(/^https:\/\/elsewhere\.example\/.*not a url of this API/),
    ]);
    expect(problems.join('\n')).not.toContain(account.token);
  });

  test('records the test deleted are not followed: a DELETE answered 204, or a deletion through the services', async () => {
    const account = await provisionAccount(stack, 'stackgone');
    const auth = account.adminAuth;
    const viaApi = await request<{ api_token: { id: number; url: string } }>(stack, 'POST', '/api/v2/api_tokens.json', { auth });
    const viaService = await request<{ api_token: { id: number; url: string } }>(stack, 'POST', '/api/v2/api_tokens', { auth });
    for (const { id } of [viaApi.json.api_token, viaService.json.api_token]) {
      await request(stack, 'PUT', `/api/v2/api_tokens/${id}`, { auth, body: { api_token: { active: false } } });
    }
    expect((await request(stack, 'DELETE', `/api/v2/api_tokens/${viaApi.json.api_token.id}`, { auth })).status).toBe(204);
    await stack.tokens.delete({ ...OPERATOR, accountId: 'stackgone' }, viaService.json.api_token.id);
    const leaving = await addUser(stack, 'stackgone', 'leaving@stackgone.test', 'agent');
    const me = await request<{ user: { url: string } }>(stack, 'GET', '/api/v2/users/me.json', { auth: { email: 'leaving@stackgone.test', token: account.token } });
    expect(me.json.user.url).toContain(String(leaving.userId));
    await stack.accounts.removeUser(OPERATOR, 'stackgone', 'leaving@stackgone.test');

    const gone = [viaApi.json.api_token.url, viaService.json.api_token.url, me.json.user.url];
    expect(await unresolvedUrls(stack, new Map(gone.map((url) => [url, 'stackgone'])))).toEqual([]);
    // Control: the same urls, not marked gone, are reported.
    for (const url of gone) stack.urls.gone.delete(url.replace(/\.json$/, ''));
    expect(await unresolvedUrls(stack, new Map(gone.map((url) => [url, 'stackgone'])))).toHaveLength(3);
    for (const url of gone) stack.urls.gone.add(url.replace(/\.json$/, ''));
  });
});
