// The emulator's API Gateway rules, with a fake authorizer and fake handlers: which requests reach the
// authorizer and the handlers, what they receive, and the exact gateway responses for everything else.
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { createEmulator, type Emulator, type ProxyHandler } from '../../local/emulator';
import { routeList, type RouteDefinition } from '../../shared/http/routes';
import { gatewayResponses, UNAUTHORIZED_BODY, WWW_AUTHENTICATE } from '../../shared/http/gateway-responses';
import { rawRequest } from '../security/raw-request';

type AuthorizerBehaviour = 'allow' | 'deny' | 'allow-elsewhere' | 'unauthorized' | 'crash' | 'malformed';

const SECRET = 'apit_demo_1_s3cretS3cretS3cretS3cretS3cretAbCdEf';
const authorizerCalls: APIGatewayRequestAuthorizerEvent[] = [];
const authorizerContexts: Context[] = [];
const handlerCalls: { route: string; event: APIGatewayProxyEvent; context: Context }[] = [];
const logLines: string[] = [];
/** What the fake handler of a route answers; echoing the event unless set. */
const handlerResults = new Map<string, (event: APIGatewayProxyEvent) => Promise<unknown>>();
let emulator: Emulator;

type Effect = 'Allow' | 'Deny';

/** An authorizer result with these statements and a context like the real authorizer's (plus a boolean). */
const result = (...statements: [Effect, string][]): APIGatewayAuthorizerResult => ({
  principalId: 'demo:42',
  policyDocument: {
    Version: '2012-10-17',
    Statement: statements.map(([Effect, Resource]) => ({ Action: 'execute-api:Invoke', Effect, Resource })),
  },
  context: { accountId: 'demo', userId: '42', email: 'admin@demo.test', role: 'admin', tokenId: '7', authType: 'api_token', verified: true },
});

/** The fake authorizer does what the Authorization header names (`Basic allow`, `Basic deny`, ...). */
async function fakeAuthorizer(event: APIGatewayRequestAuthorizerEvent, context: Context): Promise<APIGatewayAuthorizerResult> {
  authorizerCalls.push(event);
  authorizerContexts.push(context);
  const behaviour = (event.headers?.Authorization ?? '').replace(/^Basic /, '') as AuthorizerBehaviour;
  // `arn:aws:execute-api:{region}:{account}:{api}/{stage}`
  const stage = event.methodArn.split('/').slice(0, 2).join('/');
  switch (behaviour) {
    case 'allow':
      return result(['Allow', `${stage}/*`]);
    case 'deny':
      return result(['Allow', '*'], ['Deny', `${stage}/GET/api/v2/*`]);
    case 'allow-elsewhere':
      return result(['Allow', `${stage}/POST/*`]);
    case 'unauthorized':
      throw new Error('Unauthorized');
    case 'malformed':
      return { principalId: 'x' } as APIGatewayAuthorizerResult;
    default:
      throw new TypeError('the authorizer broke');
  }
}

const echo = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ resource: event.resource }),
});

function fakeHandler(route: RouteDefinition): ProxyHandler {
  return async (event, context) => {
    handlerCalls.push({ route: route.name, event, context });
    const result = handlerResults.get(route.name) ?? echo;
    return (await result(event)) as APIGatewayProxyResult;
  };
}

async function call(method: string, path: string, authorization?: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'User-Agent': 'emulator-test/1.0', ...init.headers };
  if (authorization !== undefined) headers.Authorization = authorization;
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body: init.body });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

function expectGatewayResponse(
  response: { status: number; headers: Headers; body: string },
  type: keyof typeof gatewayResponses,
  status?: number,
) {
  const definition = gatewayResponses[type];
  expect(response.status).toBe(definition.statusCode ?? status);
  expect(response.body).toBe(definition.body);
  for (const [name, value] of Object.entries(definition.headers)) expect(response.headers.get(name)).toBe(value);
}

beforeAll(async () => {
  emulator = createEmulator({ authorizer: fakeAuthorizer, loadHandler: fakeHandler, log: (line) => logLines.push(line) });
  await emulator.listen(0);
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  authorizerCalls.length = 0;
  authorizerContexts.length = 0;
  handlerCalls.length = 0;
  handlerResults.clear();
});

describe('authentication', () => {
  test('no Authorization header: 401 with the exact body and WWW-Authenticate, authorizer not called', async () => {
    const response = await call('GET', '/api/v2/users/me');
    expect(response.status).toBe(401);
    expect(response.body).toBe('{"error":"Couldn\'t authenticate you"}');
    expect(response.body).toBe(UNAUTHORIZED_BODY);
    expect(response.headers.get('WWW-Authenticate')).toBe('Basic realm="Web Password"');
    expect(response.headers.get('WWW-Authenticate')).toBe(WWW_AUTHENTICATE);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(authorizerCalls).toHaveLength(0);
    expect(handlerCalls).toHaveLength(0);
  });

  test('an empty Authorization header counts as missing', async () => {
    expectGatewayResponse(await call('GET', '/api/v2/users/me', ''), 'UNAUTHORIZED');
    expectGatewayResponse(await call('GET', '/api/v2/users/me', '   '), 'UNAUTHORIZED');
    expect(authorizerCalls).toHaveLength(0);
  });

  test('authorizer throws Unauthorized: 401', async () => {
    expectGatewayResponse(await call('GET', '/api/v2/users/me', 'Basic unauthorized'), 'UNAUTHORIZED');
    expect(authorizerCalls).toHaveLength(1);
    expect(handlerCalls).toHaveLength(0);
  });

  test('an explicit Deny wins over an Allow: ACCESS_DENIED, the same 401 as a missing header', async () => {
    const response = await call('GET', '/api/v2/users/me.json', 'Basic deny');
    expectGatewayResponse(response, 'ACCESS_DENIED');
    expect(response.status).toBe(401);
    expect(response.body).toBe(UNAUTHORIZED_BODY);
    expect(response.headers.get('WWW-Authenticate')).toBe(WWW_AUTHENTICATE);
    expect(handlerCalls).toHaveLength(0);
  });

  test('a policy that allows other resources only: ACCESS_DENIED', async () => {
    expectGatewayResponse(await call('GET', '/api/v2/api_tokens', 'Basic allow-elsewhere'), 'ACCESS_DENIED');
    expect(handlerCalls).toHaveLength(0);
    // The same policy covers POST.
    expect((await call('POST', '/api/v2/api_tokens', 'Basic allow-elsewhere')).status).toBe(200);
  });

  test('authorizer crash: AUTHORIZER_FAILURE; malformed result: AUTHORIZER_CONFIGURATION_ERROR; both 503 with Retry-After', async () => {
    const crash = await call('GET', '/api/v2/users/me', 'Basic crash');
    expectGatewayResponse(crash, 'AUTHORIZER_FAILURE');
    const malformed = await call('GET', '/api/v2/users/me', 'Basic malformed');
    expectGatewayResponse(malformed, 'AUTHORIZER_CONFIGURATION_ERROR');
    for (const response of [crash, malformed]) {
      expect(response.status).toBe(503);
      expect(JSON.parse(response.body)).toEqual({ error: 'ServiceUnavailable', description: expect.any(String) });
      expect(response.headers.get('Retry-After')).toBe('1');
    }
    expect(handlerCalls).toHaveLength(0);
  });

  test('the authorizer receives a REQUEST event for the method ARN', async () => {
    await call('PUT', '/api/v2/api_tokens/7.json?x=1&x=2', 'Basic allow');
    const [event] = authorizerCalls;
    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:local/local/PUT/api/v2/api_tokens/7.json',
      resource: '/api/v2/api_tokens/{id}',
      path: '/api/v2/api_tokens/7.json',
      httpMethod: 'PUT',
      headers: expect.objectContaining({ Authorization: 'Basic allow' }),
      multiValueHeaders: expect.objectContaining({ Authorization: ['Basic allow'] }),
      queryStringParameters: { x: '2' },
      multiValueQueryStringParameters: { x: ['1', '2'] },
      pathParameters: { id: '7.json' },
      requestContext: expect.objectContaining({
        stage: 'local',
        httpMethod: 'PUT',
        resourcePath: '/api/v2/api_tokens/{id}',
        identity: expect.objectContaining({ sourceIp: '127.0.0.1', userAgent: 'emulator-test/1.0' }),
      }),
    });
  });
});

describe("the API's own host", () => {
  test("events carry the emulator's host, not the client's Host header", async () => {
    await rawRequest(emulator.url, { method: 'GET', target: '/api/v2/users/me', headers: ['Host', 'evil.example', 'Authorization', 'Basic allow'] });
    const host = new URL(emulator.url).host;
    const [authorizerEvent] = authorizerCalls;
    const [handled] = handlerCalls;
    for (const received of [authorizerEvent!, handled!.event]) {
      expect(received.headers).toMatchObject({ Host: host });
      expect(received.multiValueHeaders).toMatchObject({ Host: [host] });
      expect(received.requestContext.domainName).toBe(host);
      expect(JSON.stringify(received)).not.toContain('evil.example');
    }
  });

  test('a configured base URL gives the host, protocol and port of the events', async () => {
    const seen: APIGatewayProxyEvent[] = [];
    const fronted = createEmulator({
      authorizer: fakeAuthorizer,
      loadHandler: () => async (event) => (seen.push(event), { statusCode: 204, body: '' }),
      baseUrl: 'https://api.example.test',
    });
    const url = await fronted.listen(0);
    try {
      expect((await fetch(`${url}/api/v2/users/me`, { headers: { Authorization: 'Basic allow' } })).status).toBe(204);
    } finally {
      await fronted.close();
    }
    const [event] = seen;
    expect(event!.headers).toMatchObject({ Host: 'api.example.test', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Port': '443' });
    expect(event!.requestContext.domainName).toBe('api.example.test');
  });

  test('a base URL with a path, query or credentials is refused: the events can only carry an origin', () => {
    for (const baseUrl of ['https://api.example.test/prod', 'https://api.example.test/?x=1', 'https://user:pw@api.example.test', 'ftp://api.example.test']) {
      expect(() => createEmulator({ baseUrl })).toThrow(/baseUrl/);
    }
  });
});

describe('routing', () => {
  test('unknown paths and methods: 404 JSON, authorizer not called', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/'],
      ['GET', '/api/v2/users/me/'],
      // (`/api/v2/users/me.xml` is not unknown: `/users/{id}` takes it, and the handler answers 404.)
      ['GET', '/api/v2/account/settings.xml'],
      ['PATCH', '/api/v2/users/me'],
      ['DELETE', '/api/v2/api_tokens'],
      ['GET', '/api/v2/api_tokens/7.json/extra'],
      ['GET', '/api/v2/api_tokens/'],
    ] as const) {
      const response = await call(method, path, 'Basic allow');
      expectGatewayResponse(response, 'MISSING_AUTHENTICATION_TOKEN');
      expect(JSON.parse(response.body)).toEqual({ error: 'InvalidEndpoint', description: 'Not found' });
    }
    expect(authorizerCalls).toHaveLength(0);
  });

  test('every route answers on its path, literal paths also with .json', async () => {
    for (const route of routeList) {
      const paths = route.path.endsWith('}') ? [route.path.replace('{id}', '7'), route.path.replace('{id}', '7.json')] : [route.path, `${route.path}.json`];
      for (const path of paths) {
        handlerCalls.length = 0;
        expect((await call(route.method, path, 'Basic allow')).status).toBe(200);
        expect(handlerCalls.map((handled) => handled.route)).toEqual([route.name]);
      }
    }
  });

  test('{id} takes one whole segment, percent-decoded', async () => {
    await call('GET', '/api/v2/api_tokens/7.json', 'Basic allow');
    await call('GET', '/api/v2/api_tokens/a%20b', 'Basic allow');
    expect(handlerCalls.map(({ event }) => [event.resource, event.path, event.pathParameters])).toEqual([
      ['/api/v2/api_tokens/{id}', '/api/v2/api_tokens/7.json', { id: '7.json' }],
      ['/api/v2/api_tokens/{id}', '/api/v2/api_tokens/a%20b', { id: 'a b' }],
    ]);
  });

  test('the .json twin is its own resource', async () => {
    await call('GET', '/api/v2/users/me.json', 'Basic allow');
    expect(handlerCalls[0]!.event.resource).toBe('/api/v2/users/me.json');
    expect(handlerCalls[0]!.event.pathParameters).toBeNull();
  });
});

describe('the handler', () => {
  test('receives a REST v1 proxy event: authorizer context, path parameters, query, body, source IP', async () => {
    const body = JSON.stringify({ api_token: { description: 'é and "quotes"' } });
    await call('PUT', '/api/v2/api_tokens/7.json?page%5Bsize%5D=2&filter[created_at][]=a&filter[created_at][]=b+c', 'Basic allow', {
      body,
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'one' },
    });
    const { event } = handlerCalls[0]!;
    expect(event).toMatchObject({
      resource: '/api/v2/api_tokens/{id}',
      path: '/api/v2/api_tokens/7.json',
      httpMethod: 'PUT',
      pathParameters: { id: '7.json' },
      queryStringParameters: { 'page[size]': '2', 'filter[created_at][]': 'b c' },
      multiValueQueryStringParameters: { 'page[size]': ['2'], 'filter[created_at][]': ['a', 'b c'] },
      stageVariables: null,
      // The stack sets binaryMediaTypes */*: API Gateway hands every body over as base64 of its bytes.
      body: Buffer.from(body, 'utf8').toString('base64'),
      isBase64Encoded: true,
    });
    expect(event.headers).toMatchObject({ 'Content-Type': 'application/json', 'X-Custom': 'one', 'X-Forwarded-For': '127.0.0.1', 'X-Forwarded-Proto': 'http' });
    expect(event.multiValueHeaders).toMatchObject({ 'X-Custom': ['one'] });
    const host = new URL(emulator.url).host;
    expect(event.headers.Host ?? event.headers.host).toBe(host);
    expect(event.requestContext).toMatchObject({
      stage: 'local',
      httpMethod: 'PUT',
      resourcePath: '/api/v2/api_tokens/{id}',
      domainName: host,
      identity: { sourceIp: '127.0.0.1', userAgent: 'emulator-test/1.0' },
      authorizer: {
        principalId: 'demo:42',
        accountId: 'demo',
        userId: '42',
        email: 'admin@demo.test',
        role: 'admin',
        tokenId: '7',
        authType: 'api_token',
        // API Gateway turns non-string context values into strings.
        verified: 'true',
      },
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.requestId).toBe(authorizerCalls[0]!.requestContext.requestId);
  });

  test('a GET without query or body gets nulls, as from API Gateway', async () => {
    await call('GET', '/api/v2/users/me', 'Basic allow');
    expect(handlerCalls[0]!.event).toMatchObject({ body: null, queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null });
  });

  test('its status, headers and multi-value headers reach the client; 204 has no body', async () => {
    handlerResults.set('createApiToken', async () => ({
      statusCode: 201,
      headers: { Location: 'http://x/1.json', 'X-Count': 3 },
      multiValueHeaders: { 'X-Multi': ['a', 'b'] },
      body: '{"ok":true}',
    }));
    const created = await call('POST', '/api/v2/api_tokens.json', 'Basic allow');
    expect(created.status).toBe(201);
    expect(created.body).toBe('{"ok":true}');
    expect(created.headers.get('Location')).toBe('http://x/1.json');
    expect(created.headers.get('X-Count')).toBe('3');
    expect(created.headers.get('X-Multi')).toBe('a, b');
    expect(created.headers.get('x-amzn-RequestId')).toBe(handlerCalls[0]!.event.requestContext.requestId);

    handlerResults.set('deleteApiToken', async () => ({ statusCode: 204, headers: {}, body: '' }));
    const deleted = await call('DELETE', '/api/v2/api_tokens/7', 'Basic allow');
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe('');
  });

  test('a crash or a malformed result: 502 with the DEFAULT_5XX response', async () => {
    const results: ((event: APIGatewayProxyEvent) => Promise<unknown>)[] = [
      async () => {
        throw new Error('handler bug');
      },
      async () => ({ statusCode: '200', body: '{}' }),
      async () => ({ statusCode: 200, body: { not: 'a string' } }),
      async () => ({ statusCode: 200, headers: { 'Bad Header': 'x' }, body: '' }),
      async () => undefined,
    ];
    for (const result of results) {
      handlerResults.set('showCurrentUser', result);
      const response = await call('GET', '/api/v2/users/me', 'Basic allow');
      expectGatewayResponse(response, 'DEFAULT_5XX', 502);
      expect(response.status).toBe(502);
      expect(JSON.parse(response.body)).toEqual({ error: 'InternalError', description: expect.any(String) });
    }
  });

  test('a handler that cannot be loaded: 502, and the next request tries again', async () => {
    let attempts = 0;
    const flaky = createEmulator({
      authorizer: fakeAuthorizer,
      loadHandler: (route) => {
        attempts += 1;
        if (attempts === 1) throw new Error('cannot load');
        return fakeHandler(route);
      },
    });
    const url = await flaky.listen(0);
    try {
      const headers = { Authorization: 'Basic allow' };
      expect((await fetch(`${url}/api/v2/users/me`, { headers })).status).toBe(502);
      expect((await fetch(`${url}/api/v2/users/me`, { headers })).status).toBe(200);
    } finally {
      await flaky.close();
    }
  });
});

describe('request bodies', () => {
  test('a body over the cap gets 413 PayloadTooLarge (REQUEST_TOO_LARGE) without reaching the authorizer or the handler', async () => {
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const response = await call('POST', '/api/v2/api_tokens', 'Basic allow', { body: huge });
    expectGatewayResponse(response, 'REQUEST_TOO_LARGE');
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toEqual({ error: 'PayloadTooLarge', description: expect.any(String) });
    expect(authorizerCalls).toHaveLength(0);
    expect(handlerCalls).toHaveLength(0);
    // The connection is still usable afterwards.
    expect((await call('GET', '/api/v2/users/me', 'Basic allow')).status).toBe(200);
  });

  test('a body under the cap reaches the handler whole', async () => {
    const body = 'y'.repeat(64 * 1024);
    await call('POST', '/api/v2/api_tokens', 'Basic allow', { body });
    expect(handlerCalls[0]!.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(handlerCalls[0]!.event.body!, 'base64').toString('utf8')).toBe(body);
  });

  test('the bytes reach the handler as sent, also when they are not UTF-8', async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x7d]);
    const response = await fetch(`${emulator.url}/api/v2/api_tokens`, { method: 'POST', headers: { Authorization: 'Basic allow' }, body: bytes });
    expect(response.status).toBe(200);
    const { event } = handlerCalls[0]!;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64')).toEqual(bytes);
  });
});

test('logs never carry the Authorization header, tokens or query strings', async () => {
  await call('GET', `/api/v2/users/me?token=${SECRET}`, `Basic ${Buffer.from(`admin@demo.test/token:${SECRET}`).toString('base64')}`);
  await call('GET', '/api/v2/users/me', `Basic ${SECRET}`);
  expect(logLines.length).toBeGreaterThan(0);
  const logged = logLines.join('\n');
  expect(logged).not.toContain(SECRET);
  expect(logged).not.toContain(Buffer.from(`admin@demo.test/token:${SECRET}`).toString('base64'));
  expect(logged).not.toContain('Authorization');
});

test('a token written percent-encoded in the path is cut to its visible form in the log line, like a plain one', async () => {
  const secret = SECRET.split('_')[3]!;
  const encoded = SECRET.replace(/_/g, '%5F').replace(secret, [...secret].map((character) => `%${character.charCodeAt(0).toString(16)}`).join(''));
  logLines.length = 0;
  await call('GET', `/api/v2/api_tokens/${encoded}.json`, 'Basic allow');
  await call('GET', `/api/v2/api_tokens/${SECRET}.json`, 'Basic allow');
  const [encodedLine, plainLine] = logLines.map((line) => line.replace(/ \d+ms requestId=[0-9a-f-]{36}$/, ''));
  expect(encodedLine).toBe('GET /api/v2/api_tokens/apit_demo_1_s3cr....json 200');
  expect(encodedLine).toBe(plainLine);
});

test('each function gets a Lambda context whose request id is the one the client receives, and the log line names it', async () => {
  logLines.length = 0;
  const response = await call('GET', '/api/v2/users/me.json', 'Basic allow');
  expect(response.status).toBe(200);
  const requestId = response.headers.get('x-amzn-requestid')!;
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  const [authorizerContext] = authorizerContexts;
  const [{ context: handlerContext }] = handlerCalls as [(typeof handlerCalls)[number]];
  // What Powertools Logger reads from a Lambda context, as Lambda fills it in.
  expect(authorizerContext).toMatchObject({
    awsRequestId: requestId,
    functionName: 'authorizer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:authorizer',
    memoryLimitInMB: '512',
  });
  expect(handlerContext).toMatchObject({
    awsRequestId: requestId,
    functionName: 'showCurrentUser',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:showCurrentUser',
  });
  // The time left counts down from the function's timeout (shared/platform/time-budget.ts).
  expect(authorizerContext!.getRemainingTimeInMillis()).toBeGreaterThan(4_000);
  expect(authorizerContext!.getRemainingTimeInMillis()).toBeLessThanOrEqual(5_000);
  expect(handlerContext.getRemainingTimeInMillis()).toBeGreaterThan(9_000);
  expect(logLines).toEqual([expect.stringMatching(new RegExp(`^GET /api/v2/users/me\\.json 200 \\d+ms requestId=${requestId}$`))]);
});
