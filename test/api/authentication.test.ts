// Authentication through the emulator: every way to fail gets the same 401 (exact body and header),
// and any verified user's email works with an admin-made token, carrying that user's identity and role.
import {
  addUser,
  basicAuth,
  createToken,
  OPERATOR,
  provisionAccount,
  request,
  startApiStack,
  type ApiStack,
  type ProvisionedAccount,
} from '../support/api-stack';
import { generateToken } from '../../shared/domain/token-format';
import { rawRequest } from '../security/raw-request';

const UNAUTHORIZED_BODY = '{"error":"Couldn\'t authenticate you"}';
const ME = '/api/v2/users/me.json';

let stack: ApiStack;
let acme: ProvisionedAccount;
let other: ProvisionedAccount;
let closed: ProvisionedAccount;
let frozen: ProvisionedAccount;
let deactivated: string;
let deleted: string;

beforeAll(async () => {
  stack = await startApiStack();
  acme = await provisionAccount(stack, 'acme');
  other = await provisionAccount(stack, 'other');
  await addUser(stack, 'acme', 'agent@acme.test', 'agent');
  await addUser(stack, 'acme', 'enduser@acme.test', 'end_user');
  await addUser(stack, 'acme', 'unverified@acme.test', 'agent', false);
  await addUser(stack, 'acme', 'suspended@acme.test', 'agent');
  await stack.accounts.updateUser(OPERATOR, 'acme', 'suspended@acme.test', { suspended: true });

  deactivated = await createToken(stack, 'acme', 'to deactivate');
  deleted = await createToken(stack, 'acme', 'to delete');
  for (const token of [deactivated, deleted]) {
    await stack.tokens.update({ ...OPERATOR, accountId: 'acme' }, idOf(token), { active: false });
  }
  await stack.tokens.delete({ ...OPERATOR, accountId: 'acme' }, idOf(deleted));

  closed = await provisionAccount(stack, 'closed', { apiTokenAccess: false });
  frozen = await provisionAccount(stack, 'frozen');
  await stack.accounts.updateAccount(OPERATOR, 'frozen', { status: 'suspended' });
});

afterAll(() => stack.close());

const raw = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
const idOf = (token: string) => Number(token.split('_')[2]);

describe('401 with the exact body and WWW-Authenticate for', () => {
  const cases: [string, () => Promise<Record<string, string>>][] = [
    ['no header', async () => ({})],
    ['an empty header', async () => ({ Authorization: '' })],
    ['a scheme other than Basic', async () => ({ Authorization: `Bearer ${acme.token}` })],
    ['bad base64', async () => ({ Authorization: 'Basic ***' })],
    ['no /token suffix', async () => ({ Authorization: raw(`${acme.admin.email}:${acme.token}`) })],
    ['a password instead of a token', async () => ({ Authorization: raw(`${acme.admin.email}/token:hunter2`) })],
    // A forged token of the right shape and checksum for a real token id, with another secret.
    ['a wrong secret with a valid checksum', async () => ({ Authorization: basicAuth(acme.admin.email, generateToken('acme', idOf(acme.token)).token) })],
    ['a bad checksum', async () => ({ Authorization: basicAuth(acme.admin.email, `${acme.token.slice(0, -1)}${acme.token.endsWith('A') ? 'B' : 'A'}`) })],
    ['an unknown token id', async () => ({ Authorization: basicAuth(acme.admin.email, generateToken('acme', 1234567).token) })],
    ['a deactivated token', async () => ({ Authorization: basicAuth(acme.admin.email, deactivated) })],
    ['a deleted token', async () => ({ Authorization: basicAuth(acme.admin.email, deleted) })],
    ['an unknown email', async () => ({ Authorization: basicAuth('nobody@acme.test', acme.token) })],
    ['an unverified user', async () => ({ Authorization: basicAuth('unverified@acme.test', acme.token) })],
    ['a suspended user', async () => ({ Authorization: basicAuth('suspended@acme.test', acme.token) })],
    ['the email of a user of another account', async () => ({ Authorization: basicAuth(other.admin.email, acme.token) })],
    ["another account's token with this account's email", async () => ({ Authorization: basicAuth(acme.admin.email, other.token) })],
    ['API token access off', async () => ({ Authorization: basicAuth(closed.admin.email, closed.token) })],
    ['a suspended account', async () => ({ Authorization: basicAuth(frozen.admin.email, frozen.token) })],
  ];

  test.each(cases)('%s', async (_name, headers) => {
    const response = await request(stack, 'GET', ME, { headers: await headers() });
    expect(response.status).toBe(401);
    expect(response.text).toBe(UNAUTHORIZED_BODY);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="Web Password"');
  });
});

describe('one set of credentials per request', () => {
  // fetch would merge repeated headers into one; the raw client sends each line as given.
  test.each([
    ['the same valid credentials twice', () => [basicAuth(acme.admin.email, acme.token), basicAuth(acme.admin.email, acme.token)], ['Authorization', 'Authorization']],
    ['two different valid credentials', () => [basicAuth(acme.admin.email, acme.token), basicAuth(other.admin.email, other.token)], ['Authorization', 'Authorization']],
    ['valid credentials in two spellings of the header', () => [basicAuth(acme.admin.email, acme.token), basicAuth(acme.admin.email, acme.token)], ['Authorization', 'authorization']],
  ])('%s: 401 with the exact body', async (_name, values, names) => {
    const [first, second] = values();
    const response = await rawRequest(stack.baseUrl, { method: 'GET', target: ME, headers: [names[0]!, first!, names[1]!, second!] });
    expect(response.status).toBe(401);
    expect(response.text).toBe(UNAUTHORIZED_BODY);
    expect(response.headers['www-authenticate']).toBe('Basic realm="Web Password"');
  });

  test('the same credentials sent once are accepted (the control)', async () => {
    const response = await rawRequest(stack.baseUrl, { method: 'GET', target: ME, headers: ['Authorization', basicAuth(acme.admin.email, acme.token)] });
    expect(response.status).toBe(200);
  });
});

describe('any verified user of the account', () => {
  test.each([
    ['admin@acme.test', 'admin'],
    ['agent@acme.test', 'agent'],
    ['enduser@acme.test', 'end_user'],
  ])('%s authenticates with the admin-made token and gets their own identity and role', async (email, role) => {
    const response = await request<{ user: { email: string; role: string; id: number } }>(stack, 'GET', ME, { auth: { email, token: acme.token } });
    expect(response.status).toBe(200);
    expect(response.json.user).toMatchObject({ email, role });
    const user = await stack.accounts.getUser('acme', email);
    expect(response.json.user.id).toBe(user.userId);
  });

  test('the email is matched case-insensitively', async () => {
    const response = await request(stack, 'GET', '/api/v2/users/me', { auth: { email: 'Agent@ACME.test', token: acme.token } });
    expect(response.status).toBe(200);
  });

  const managementRoutes: [string, string, unknown?][] = [
    ['GET', '/api/v2/api_tokens.json'],
    ['POST', '/api/v2/api_tokens.json', { api_token: { description: 'x' } }],
    ['GET', '/api/v2/api_tokens/1.json'],
    ['PUT', '/api/v2/api_tokens/1.json', { api_token: { active: false } }],
    ['DELETE', '/api/v2/api_tokens/1.json'],
  ];
  test.each(['agent@acme.test', 'enduser@acme.test'])('%s gets 403 Forbidden on every token-management route', async (email) => {
    for (const [method, path, body] of managementRoutes) {
      const response = await request<{ error: string }>(stack, method, path, { auth: { email, token: acme.token }, body });
      expect([method, path, response.status, response.json.error]).toEqual([method, path, 403, 'Forbidden']);
    }
  });
});
