// Abuse limits through the emulator, swept over the route list (derived, so new routes are covered):
// - bodies: over 16 KiB (counted in bytes, not characters) is 413 PayloadTooLarge on every route that takes
//   a body, exactly 16 KiB is processed; a body past the emulator's 1 MiB cap is a 413 with the same body
//   (REQUEST_TOO_LARGE), and a body sent to a route that takes none is never a 5xx and is answered as documented;
// - descriptions: 255 characters (code points) accepted, 256 refused with 422 on every route that takes one;
// - headers: an Authorization header longer than the credential parser's maximum (1024) is the plain 401
//   and costs no DynamoDB call; huge headers and URLs are answered without a 5xx;
// - pages: page[size] above 100 (or not a plain integer from 1 to 100) is 400 on every listing route,
//   100 is accepted and bounds the page, and a repeated page[size] cannot slip a bigger one through.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourcePaths, routeList, type RouteDefinition } from '../../shared/http/routes';
import { getAuthorizationServices } from '../../shared/runtime/authorizer-services';
import { getServices } from '../../shared/runtime/services';
import { createToken, provisionAccount, request, startApiStack, type ApiStack, type ProvisionedAccount } from '../support/api-stack';
import { contractProblems, rawRequest } from './raw-request';

const KIB = 1024;
const MAX_BODY_BYTES = 16 * KIB;
const MAX_AUTHORIZATION_LENGTH = 1024;
const MAX_PAGE_SIZE = 100;
const UNAUTHORIZED_BODY = '{"error":"Couldn\'t authenticate you"}';

type ErrorBody = { error: string; description: string; details?: Record<string, { error: string }[]> };

interface OpenApiOperation {
  parameters?: { name: string }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
}
interface JsonSchema {
  properties?: Record<string, JsonSchema>;
}
const openApi = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, OpenApiOperation>>;
};
const operationOf = (route: RouteDefinition) => openApi.paths[route.path]?.[route.method.toLowerCase()];

/** Routes that take a body: PUT and POST (the OpenAPI document must agree). */
const bodyRoutes = routeList.filter((route) => route.method === 'PUT' || route.method === 'POST');
const bodylessRoutes = routeList.filter((route) => !bodyRoutes.includes(route));
/** Routes whose body carries a token description, as documented. */
const descriptionRoutes = bodyRoutes.filter((route) => operationOf(route)?.requestBody?.content['application/json'].schema.properties?.api_token?.properties?.description);
/** Listing routes: those documented with a page[size] parameter. */
const listingRoutes = routeList.filter((route) => operationOf(route)?.parameters?.some((parameter) => parameter.name === 'page[size]'));

let stack: ApiStack;
let account: ProvisionedAccount;
/** A token of the account other than the admin's, for `{id}` routes. */
let targetId: number;
/** Tokens for the rotation's `{id}`, one per test: a rotation without a grace replaces the token it names. */
const rotationTargets: number[] = [];
const dynamoCalls: string[] = [];

beforeAll(async () => {
  stack = await startApiStack();
  // Legacy: the creates below must not run into the 256-token limit.
  account = await provisionAccount(stack, 'abuse', { legacy: true });
  targetId = Number((await createToken(stack, 'abuse', 'target')).split('_')[2]);
  for (let i = 0; i < 3; i += 1) await createToken(stack, 'abuse', `filler ${i}`);
  for (let i = 0; i < 16; i += 1) rotationTargets.push(Number((await createToken(stack, 'abuse', `rotated ${i}`)).split('_')[2]));
  // The handlers' client and the authorizer's own.
  for (const client of [getServices().documentClient, getAuthorizationServices().client]) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        dynamoCalls.push(context.commandName ?? 'unknown');
        return next(args);
      },
      { step: 'initialize', name: 'countAbuseCalls' },
    );
  }
});

afterAll(() => stack.close());

const authorization = () => `Basic ${Buffer.from(`${account.adminAuth.email}/token:${account.adminAuth.token}`).toString('base64')}`;
/** A resource path with its `{param}` segments filled in with the target token's id (known once beforeAll ran). */
const fill = (path: string) => path.replace(/\{[^}]+\}/g, String((path.includes('/rotate') && rotationTargets.shift()) || targetId));
/** Test cases for every resource path of the routes; the path is filled in when the test runs. */
const pathCases = (routes: RouteDefinition[]) => routes.flatMap((route) => resourcePaths(route).map((path) => [`${route.method} ${path}`, route, path] as const));

/** A valid body for a route, built from what its documented schema holds. */
function validBodyFor(route: RouteDefinition): Record<string, unknown> {
  const properties = operationOf(route)?.requestBody?.content['application/json'].schema.properties ?? {};
  if (properties.api_token) return { api_token: { description: 'padded' } };
  if (properties.settings) return { settings: { api: { api_token_access: true } } };
  if (properties.tokens) return { tokens: ['not a token'] };
  if (properties.grace_seconds) return { grace_seconds: 0 };
  throw new Error(`abuse-limits: no valid body known for ${route.name}; add one to validBodyFor`);
}

/** Valid JSON of exactly `bytes` bytes: the body, then spaces (JSON whitespace) up to the size. */
function paddedJson(body: unknown, bytes: number): string {
  const text = JSON.stringify(body);
  if (Buffer.byteLength(text) > bytes) throw new Error('body larger than the padding target');
  return text + ' '.repeat(bytes - Buffer.byteLength(text));
}

const send = (method: string, target: string, body?: string, headers: Record<string, string> = {}) =>
  rawRequest(stack.baseUrl, {
    method,
    target,
    headers: { Authorization: authorization(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body,
  });

test('the sweeps cover what they should', () => {
  expect(bodyRoutes.length).toBeGreaterThanOrEqual(3);
  expect(descriptionRoutes.map((route) => route.name).sort()).toEqual(['createApiToken', 'updateApiToken']);
  expect(listingRoutes.map((route) => route.name).sort()).toEqual(['listApiTokens', 'listAuditLogs']);
  // Every route that takes a body documents one, and no other does.
  expect(routeList.filter((route) => operationOf(route)?.requestBody).map((route) => route.name)).toEqual(bodyRoutes.map((route) => route.name));
});

/** A route's body limit: 16 KiB, or its own (leak reports: 64 KiB). */
const limitOf = (route: RouteDefinition) => route.maxBodyBytes ?? MAX_BODY_BYTES;
/** What a valid body gets: 202 for a leak report, 201 for another POST, 200 for a PUT. */
const acceptedStatus = (route: RouteDefinition) => (route.access === 'public' ? 202 : route.method === 'POST' ? 201 : 200);

describe('request bodies are bounded at 16 KiB (64 KiB for leak reports)', () => {
  test.each(pathCases(bodyRoutes))('%s: the limit + 1 byte is 413 PayloadTooLarge; exactly the limit is processed', async (_name, route, resource) => {
    const path = fill(resource);
    const over = await send(route.method, path, paddedJson(validBodyFor(route), limitOf(route) + 1));
    expect(over.status).toBe(413);
    expect(over.json).toEqual({ error: 'PayloadTooLarge', description: expect.any(String) });
    expect(contractProblems(stack.baseUrl, route.method, path, over)).toEqual([]);

    const exact = await send(route.method, path, paddedJson(validBodyFor(route), limitOf(route)));
    expect([exact.status, exact.text.slice(0, 200)]).toEqual([acceptedStatus(route), expect.any(String)]);
  });

  test.each(pathCases(bodyRoutes))('%s: the limit counts bytes, not characters', async (_name, route, resource) => {
    const path = fill(resource);
    // Two-byte characters, 55 % of the limit in number (9000 for 16 KiB): fewer UTF-16 units than the limit, more bytes.
    const body = JSON.stringify({ ...validBodyFor(route), padding: 'é'.repeat(Math.ceil(limitOf(route) * 0.55)) });
    expect(body.length).toBeLessThan(limitOf(route));
    const response = await send(route.method, path, body);
    expect(response.status).toBe(413);
    expect((response.json as ErrorBody).error).toBe('PayloadTooLarge');
  });

  test.each(pathCases(bodyRoutes))('%s: a body past the gateway cap (1 MiB) is a JSON 413, not a 5xx or a reset', async (_name, route, resource) => {
    const path = fill(resource);
    const response = await send(route.method, path, `{"padding":"${'x'.repeat(1024 * KIB + 1)}"}`);
    expect(response.status).toBe(413);
    expect(response.json).toEqual({ error: 'PayloadTooLarge', description: expect.any(String) });
    expect(contractProblems(stack.baseUrl, route.method, path, response)).toEqual([]);
  });

  test.each(pathCases(bodyRoutes))('%s: every 413 has one body, whether the handler or the gateway refuses the size', async (_name, route, resource) => {
    const path = fill(resource);
    // The limit + 4 KiB: over the handler's limit; 2 MiB: over the gateway's own (the emulator's 1 MiB, API Gateway's 10 MB).
    const handlerLimit = await send(route.method, path, paddedJson(validBodyFor(route), limitOf(route) + 4 * KIB));
    const gatewayLimit = await send(route.method, path, paddedJson(validBodyFor(route), 2 * 1024 * KIB));
    const shape = (body: unknown) => ({ keys: Object.keys(body as object).sort(), error: (body as ErrorBody).error });
    expect([handlerLimit.status, gatewayLimit.status]).toEqual([413, 413]);
    expect(shape(gatewayLimit.json)).toEqual(shape(handlerLimit.json));
    expect(shape(gatewayLimit.json)).toEqual({ keys: ['description', 'error'], error: 'PayloadTooLarge' });
    expect(gatewayLimit.headers['content-type']).toBe(handlerLimit.headers['content-type']);
  });

  test.each(pathCases(bodylessRoutes))('%s: a 20 KiB body sent anyway is answered without a 5xx, as documented', async (_name, route, resource) => {
    const path = fill(resource);
    const response = await send(route.method, path, paddedJson({}, 20 * KIB));
    expect(response.status).toBeLessThan(500);
    expect(contractProblems(stack.baseUrl, route.method, path, response)).toEqual([]);
  });
});

describe('descriptions are bounded at 255 characters', () => {
  const cases = pathCases(descriptionRoutes).flatMap(([name, route, path]) =>
    [
      ['255 × "x"', 'x'.repeat(255), true],
      ['256 × "x"', 'x'.repeat(256), false],
      ['255 emoji (510 UTF-16 units)', '😀'.repeat(255), true],
      ['256 emoji', '😀'.repeat(256), false],
      ['10 000 characters', 'y'.repeat(10_000), false],
    ].map(([label, description, accepted]) => [`${name} with ${String(label)}`, route, path, description as string, accepted as boolean] as const),
  );

  test.each(cases)('%s', async (_name, route, resource, description, accepted) => {
    const response = await request<ErrorBody & { api_token?: { description: string } }>(stack, route.method, fill(resource), {
      auth: account.adminAuth,
      body: { api_token: { description } },
    });
    if (accepted) {
      expect(response.status).toBe(route.method === 'POST' ? 201 : 200);
      expect(response.json.api_token?.description).toBe(description);
    } else {
      expect(response.status).toBe(422);
      expect(response.json).toMatchObject({ error: 'RecordInvalid', details: { description: [{ error: 'InvalidValue' }] } });
    }
  });
});

describe('header sizes are bounded', () => {
  const credential = () => `${account.adminAuth.email}/token:${account.adminAuth.token}`;
  const longAuthorizations: [string, () => string][] = [
    ['1026 characters of base64', () => `Basic ${'A'.repeat(1020)}`],
    ['a valid credential followed by padding past 1024', () => `Basic ${Buffer.from(`${credential()}${'x'.repeat(900)}`).toString('base64')}`],
    ['a valid credential repeated past 1024', () => `Basic ${Buffer.from(credential().repeat(12)).toString('base64')}`],
    ['8 KiB', () => `Basic ${'A'.repeat(8 * KIB)}`],
    ['15 KiB', () => `Basic ${'A'.repeat(15 * KIB)}`],
  ];

  test.each(longAuthorizations)('an Authorization of %s is the plain 401, without a DynamoDB call', async (_name, value) => {
    const header = value();
    expect(header.length).toBeGreaterThan(MAX_AUTHORIZATION_LENGTH);
    dynamoCalls.length = 0;
    const response = await rawRequest(stack.baseUrl, { method: 'GET', target: '/api/v2/users/me.json', headers: { Authorization: header } });
    expect(response.status).toBe(401);
    expect(response.text).toBe(UNAUTHORIZED_BODY);
    expect(response.headers['www-authenticate']).toBe('Basic realm="Web Password"');
    expect(dynamoCalls).toEqual([]);
  });

  test('control: the same credential within the limit is allowed', async () => {
    expect(authorization().length).toBeLessThanOrEqual(MAX_AUTHORIZATION_LENGTH);
    dynamoCalls.length = 0;
    const response = await rawRequest(stack.baseUrl, { method: 'GET', target: '/api/v2/users/me.json', headers: { Authorization: authorization() } });
    expect(response.status).toBe(200);
    expect(dynamoCalls[0]).toBe('BatchGetItemCommand');
  });

  test.each(routeList.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: headers past the server limit (20 KiB, or 400 headers) are refused without a 5xx',
    async (_name, route) => {
      const path = fill(route.path);
      const huge = await send(route.method, path, undefined, { 'X-Padding': 'p'.repeat(20 * KIB) });
      expect(huge.status).toBeGreaterThanOrEqual(400);
      expect(huge.status).toBeLessThan(500);
      const many = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`X-Header-${i}`, 'v'.repeat(40)]));
      const crowded = await send(route.method, path, undefined, many);
      expect(crowded.status).toBeGreaterThanOrEqual(400);
      expect(crowded.status).toBeLessThan(500);
    },
  );

  test('a 10 KiB User-Agent (recorded in audit entries) is accepted: 201, not a 5xx', async () => {
    const response = await send('POST', '/api/v2/api_tokens.json', '{}', { 'User-Agent': 'u'.repeat(10 * KIB) });
    expect(response.status).toBe(201);
  });

  test.each(routeList.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: an 8 KiB path segment or query string is answered without a 5xx',
    async (_name, route) => {
      const longSegment = route.path.includes('{') ? route.path.replace(/\{[^}]+\}/g, '9'.repeat(8 * KIB)) : `${route.path}/${'9'.repeat(8 * KIB)}`;
      const body = route.method === 'PUT' || route.method === 'POST' ? JSON.stringify(validBodyFor(route)) : undefined;
      for (const target of [longSegment, `${fill(route.path)}?${'q=1&'.repeat(2 * KIB)}`, `${fill(route.path)}?filter[created_at][]=${'2026-01-01&filter[created_at][]='.repeat(300)}2026-01-02`]) {
        const response = await send(route.method, target, body);
        expect([target.slice(0, 60), response.status < 500]).toEqual([target.slice(0, 60), true]);
      }
    },
  );
});

describe('page sizes are bounded at 100', () => {
  const TOO_BIG = ['101', '1000', String(Number.MAX_SAFE_INTEGER), '100000000000000000000', '1e2', '100.0', '0x64', ' 100', '+100', '0', '-1', '', 'all'];
  const cases = listingRoutes.flatMap((route) =>
    resourcePaths(route).flatMap((path) => TOO_BIG.map((size) => [`${route.method} ${path}?page[size]=${JSON.stringify(size)}`, path, size] as const)),
  );

  test.each(cases)('%s is 400 BadRequest', async (_name, path, size) => {
    const response = await request<ErrorBody>(stack, 'GET', `${path}?page%5Bsize%5D=${encodeURIComponent(size)}`, { auth: account.adminAuth });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('BadRequest');
  });

  test.each(listingRoutes.flatMap((route) => resourcePaths(route).map((path) => [path] as const)))('%s: a repeated page[size] cannot slip a bigger size through', async (path) => {
    for (const query of ['page[size]=1&page[size]=1000', 'page[size]=1000&page[size]=1']) {
      const response = await request<ErrorBody>(stack, 'GET', `${path}?${query}`, { auth: account.adminAuth });
      expect([query, response.status]).toEqual([query, 400]);
    }
  });

  test.each(listingRoutes.flatMap((route) => resourcePaths(route).map((path) => [path] as const)))('%s: page[size]=100 is accepted and bounds the page; page[size]=1 returns one item', async (path) => {
    const full = await request<Record<string, unknown[]>>(stack, 'GET', `${path}?page[size]=${MAX_PAGE_SIZE}`, { auth: account.adminAuth });
    expect(full.status).toBe(200);
    const items = Object.values(full.json).find(Array.isArray) ?? [];
    expect(items.length).toBeGreaterThan(1);
    expect(items.length).toBeLessThanOrEqual(MAX_PAGE_SIZE);
    const one = await request<Record<string, unknown[]>>(stack, 'GET', `${path}?page[size]=1`, { auth: account.adminAuth });
    expect(one.status).toBe(200);
    expect(Object.values(one.json).find(Array.isArray)).toHaveLength(1);
  });
});
