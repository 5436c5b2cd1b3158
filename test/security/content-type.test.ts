// Bodies must declare JSON: a POST or PUT whose body is not sent as `application/json` is a 415 and changes
// nothing, so that a cross-site form (text/plain, form-encoded, multipart) cannot create or edit tokens
// from a browser holding cached Basic credentials.
import { basicAuth, provisionAccount, startApiStack, type ApiStack, type ProvisionedAccount } from '../support/api-stack';
import { LAST_USED_ATTRIBUTE } from '../../shared/store/authorization-store';
import { ACTIVITY_AT_ATTRIBUTE } from '../../shared/store/sweep-index';
import { accountPartition } from '../support/tables';
import { contractProblems, rawRequest } from './raw-request';

let stack: ApiStack;
let acme: ProvisionedAccount;
let tokenId: number;

beforeAll(async () => {
  stack = await startApiStack();
  acme = await provisionAccount(stack, 'acme');
  tokenId = Number(acme.token.split('_')[2]);
});

afterAll(() => stack.close());

const routes = [
  { method: 'POST', target: '/api/v2/api_tokens.json', body: '{"api_token":{"description":"from a form"}}' },
  { method: 'PUT', target: () => `/api/v2/api_tokens/${tokenId}.json`, body: '{"api_token":{"description":"from a form"}}' },
  { method: 'PUT', target: '/api/v2/account/settings.json', body: '{"settings":{"api":{"api_token_access":false}}}' },
];

const refused: [string, Record<string, string>][] = [
  ['text/plain', { 'Content-Type': 'text/plain' }],
  ['text/plain with a charset', { 'Content-Type': 'text/plain;charset=UTF-8' }],
  ['a form', { 'Content-Type': 'application/x-www-form-urlencoded' }],
  ['XML', { 'Content-Type': 'application/xml' }],
  ['multipart', { 'Content-Type': 'multipart/form-data; boundary=x' }],
  ['a JSON look-alike', { 'Content-Type': 'application/jsonp' }],
  ['no Content-Type', {}],
];

async function send(method: string, target: string, body: string, headers: Record<string, string>) {
  const response = await rawRequest(stack.baseUrl, {
    method,
    target,
    body,
    headers: { Authorization: basicAuth(acme.adminAuth.email, acme.adminAuth.token), ...headers },
  });
  expect(contractProblems(stack.baseUrl, method, target, response)).toEqual([]);
  return response;
}

describe.each(routes)('$method $target', ({ method, target, body }) => {
  const path = () => (typeof target === 'function' ? target() : target);

  test.each(refused)('a body sent as %s is a 415 and changes nothing', async (_, headers) => {
    const before = await accountPartition(stack.table, 'acme');
    const response = await send(method, path(), body, headers);
    expect(response.status).toBe(415);
    expect(response.json).toEqual({ error: 'UnsupportedMediaType', description: expect.stringContaining('application/json') });
    const after = await accountPartition(stack.table, 'acme');
    // The authorizer records the token's use (its last use and its activity time); nothing else may change.
    const withoutUse = (items: Record<string, unknown>[]) => items.map((item) => ({ ...item, [LAST_USED_ATTRIBUTE]: undefined, [ACTIVITY_AT_ATTRIBUTE]: undefined }));
    expect(withoutUse(after.items)).toEqual(withoutUse(before.items));
  });

  test('two Content-Type headers are a 415', async () => {
    const response = await rawRequest(stack.baseUrl, {
      method,
      target: path(),
      body,
      headers: { Authorization: basicAuth(acme.adminAuth.email, acme.adminAuth.token), 'Content-Type': ['application/json', 'text/plain'] },
    });
    expect(response.status).toBe(415);
  });
});

test.each(['application/json; charset=utf-8', 'Application/JSON', 'application/json'])('a body sent as %s is accepted', async (contentType) => {
  const response = await send('PUT', `/api/v2/api_tokens/${tokenId}.json`, '{"api_token":{"description":"json"}}', { 'Content-Type': contentType });
  expect(response.status).toBe(200);
});

test('a PUT without a body needs no Content-Type (it is a 400 for the missing body, not a 415)', async () => {
  const response = await send('PUT', `/api/v2/api_tokens/${tokenId}.json`, '', {});
  expect(response.status).toBe(400);
});
