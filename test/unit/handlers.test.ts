// Route handlers run with the services they are given: here the real domain services over an in-memory
// store (no DynamoDB, no SDK mock), through the same apiHandler wrapper as in production.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handler as createApiToken } from '../../functions/create-api-token';
import { handler as deleteApiToken } from '../../functions/delete-api-token';
import { handler as listApiTokens } from '../../functions/list-api-tokens';
import { handler as rotateApiToken } from '../../functions/rotate-api-token';
import { handler as updateApiToken } from '../../functions/update-api-token';
import { operatorContext } from '../../shared/domain/audit-entries';
import { loadConfig } from '../../shared/platform/config';
import { createServices } from '../../shared/runtime/services';
import { InMemoryTokenStore } from '../support/in-memory-store';

const OPERATOR = operatorContext('jest');
const NOW = new Date('2026-12-01T12:00:00.000Z');

async function setup() {
  const store = new InMemoryTokenStore();
  const services = createServices({ ...loadConfig({}), auditRetentionDays: 30 }, store, () => NOW);
  await services.accounts.createAccount(OPERATOR, { accountId: 'acme', name: 'Acme', plan: 'enterprise', legacy: false, apiTokenAccess: true });
  const admin = await services.accounts.addUser(OPERATOR, { accountId: 'acme', email: 'ada@acme.test', role: 'admin', verified: true });
  const { apiToken } = await services.tokens.create({ ...OPERATOR, accountId: 'acme' }, 'first');
  return { store, services, admin, tokenId: apiToken.tokenId };
}

function event(method: string, path: string, caller: { userId: number; tokenId: number; role?: string }, body?: unknown, id?: number): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    path,
    resource: path,
    headers: { Host: 'api.example.test', 'X-Forwarded-Proto': 'https', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: id === undefined ? null : { id: `${id}.json` },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      authorizer: { accountId: 'acme', userId: String(caller.userId), email: 'ada@acme.test', role: caller.role ?? 'admin', tokenId: String(caller.tokenId), authType: 'api_token' },
      identity: { sourceIp: '198.51.100.7', userAgent: 'jest' },
    },
  } as unknown as APIGatewayProxyEvent;
}

const json = (result: APIGatewayProxyResult): unknown => JSON.parse(result.body);

test('create, deactivate, delete: the handlers change the store they are given and audit each change', async () => {
  const { store, services, admin, tokenId } = await setup();
  const caller = { userId: admin.userId, tokenId };

  const created = await createApiToken.withServices(services)(event('POST', '/api/v2/api_tokens.json', caller, { api_token: { description: 'CI' } }));
  expect(created.statusCode).toBe(201);
  const { api_token: newToken } = json(created) as { api_token: { id: number; url: string; token: string } };
  expect(newToken.url).toBe(`https://api.example.test/api/v2/api_tokens/${newToken.id}.json`);
  expect(store.tokens.get(`acme|${newToken.id}`)?.description).toBe('CI');

  const deactivated = await updateApiToken.withServices(services)(event('PUT', '/api/v2/api_tokens/{id}', caller, { api_token: { active: false } }, newToken.id));
  expect(deactivated.statusCode).toBe(200);
  expect((await deleteApiToken.withServices(services)(event('DELETE', '/api/v2/api_tokens/{id}', caller, undefined, newToken.id))).statusCode).toBe(204);
  expect(store.tokens.has(`acme|${newToken.id}`)).toBe(false);

  const byCaller = store.audits.filter((entry) => entry.actorApiTokenId === tokenId);
  expect(byCaller.map((entry) => entry.event)).toEqual(['api_token.created', 'api_token.deactivated', 'api_token.deleted']);
  // The services own the audit retention: every entry expires 30 days after the injected clock.
  expect(byCaller.every((entry) => entry.expiresAt === Math.floor(NOW.getTime() / 1000) + 30 * 86_400)).toBe(true);
});

test('the limit and the rules come from the domain, whatever the store', async () => {
  const { services, admin, tokenId } = await setup();
  const caller = { userId: admin.userId, tokenId };
  const active = await deleteApiToken.withServices(services)(event('DELETE', '/api/v2/api_tokens/{id}', caller, undefined, tokenId));
  expect(active.statusCode).toBe(422);
  expect(json(active)).toMatchObject({ details: { base: [{ error: 'TokenActive' }] } });
  const agent = await listApiTokens.withServices(services)(event('GET', '/api/v2/api_tokens', { ...caller, role: 'agent' }));
  expect(agent.statusCode).toBe(403);
});

test('a caller whose user is gone is a 401, read from the given store', async () => {
  const { services, tokenId } = await setup();
  const ghost = await createApiToken.withServices(services)(event('POST', '/api/v2/api_tokens.json', { userId: 999, tokenId }, {}));
  expect(ghost.statusCode).toBe(401);
});

test('rotate: at once the old token is gone and the count kept; with a grace it expires at the grace\'s end and is not rotated again', async () => {
  const { store, services, admin, tokenId } = await setup();
  const caller = { userId: admin.userId, tokenId };
  const rotate = (id: number, body?: unknown) => rotateApiToken.withServices(services)(event('POST', '/api/v2/api_tokens/{id}/rotate', caller, body, id));
  const { api_token: target } = json(await createApiToken.withServices(services)(event('POST', '/api/v2/api_tokens.json', caller, { api_token: { description: 'CI' } }))) as { api_token: { id: number } };
  const count = store.accounts.get('acme')!.tokenCount;

  const now = await rotate(target.id);
  expect(now.statusCode).toBe(201);
  const { api_token: replacement } = json(now) as { api_token: { id: number; token: string; description: string } };
  expect(replacement).toMatchObject({ description: 'CI', token: expect.stringMatching(/^apit_acme_/) });
  expect(store.tokens.has(`acme|${target.id}`)).toBe(false);
  expect(store.accounts.get('acme')!.tokenCount).toBe(count);

  const later = await rotate(replacement.id, { grace_seconds: 60 });
  expect(later.statusCode).toBe(201);
  const successor = (json(later) as { api_token: { id: number } }).api_token.id;
  expect(store.tokens.get(`acme|${replacement.id}`)).toMatchObject({ rotatedTo: successor, policy: { expiresAt: new Date(NOW.getTime() + 60_000).toISOString() } });
  expect(store.accounts.get('acme')!.tokenCount).toBe(count + 1);
  expect(json(await rotate(replacement.id))).toMatchObject({ details: { base: [{ error: 'TokenAlreadyRotated' }] } });
  expect((await rotate(replacement.id, { grace_seconds: 604_801 })).statusCode).toBe(422);
  expect(store.audits.filter((entry) => entry.actorApiTokenId === tokenId).map((entry) => entry.event)).toEqual([
    'api_token.created',
    'api_token.rotated',
    'api_token.created',
    'api_token.rotated',
    'api_token.created',
  ]);
});
