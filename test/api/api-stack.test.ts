// The in-process API stack (test/support/api-stack.ts) end to end: the real authorizer and handlers
// behind the emulator, on DynamoDB Local — the path every API test takes.
import { addUser, type ApiStack, basicAuth, provisionAccount, request, startApiStack } from '../support/api-stack';

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
