// DynamoDB unreachable, as the functions meet it in an outage, and the suite every outage must pass: the
// authorizer fails closed (it throws: no policy, and not `Unauthorized`) within its deadline, the emulator answers that
// with 503 ServiceUnavailable and Retry-After, and a route's handler answers 503 with Retry-After within
// its deadline instead of running into the Lambda timeout, the unauthenticated leak report's included.
//
// Two endpoints: a stalled one (a TCP server that accepts connections and reads requests but never
// answers: a black-holed or hung DynamoDB) and a refused one (a closed port). The functions keep their
// DynamoDB client in module scope, so a test file uses one endpoint, set before the first call.
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createServer, type Socket } from 'node:net';
import { handler as authorizer } from '../../functions/authorizer';
import { handler as updateApiToken } from '../../functions/update-api-token';
import { createEmulator, type Emulator } from '../../local/emulator';
import { freePort } from '../../local/dynamodb-local';
import {
  AUTHORIZER_DEADLINE_MS,
  AUTHORIZER_TIMEOUT_SECONDS,
  HANDLER_DEADLINE_MS,
  HANDLER_TIMEOUT_SECONDS,
} from '../../shared/platform/time-budget';
import { generateToken } from '../../shared/domain/token-format';
import { basicAuth } from './api-stack';

export interface UnreachableDynamoDb {
  endpoint: string;
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1 that accepts every connection, reads what it is sent, and never answers. */
export function startStalledEndpoint(): Promise<UnreachableDynamoDb> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Clients abort by resetting the connection; that is expected here.
    socket.on('error', () => undefined);
    socket.resume();
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || !address) return fail(new Error('no address'));
      done({
        endpoint: `http://127.0.0.1:${address.port}`,
        close: () =>
          new Promise((closed) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => closed());
          }),
      });
    });
  });
}

/** A port nothing listens on: every connection is refused. */
export async function refusedEndpoint(): Promise<UnreachableDynamoDb> {
  return { endpoint: `http://127.0.0.1:${await freePort()}`, close: async () => undefined };
}

/**
 * How late an answer may be and still count as "within the deadline": half of the headroom between the
 * deadline and the Lambda timeout, so an answer within the bound is also well before Lambda's timeout.
 */
const withinDeadline = (deadlineMs: number, timeoutSeconds: number) => deadlineMs + (timeoutSeconds * 1000 - deadlineMs) / 2;
const AUTHORIZER_BOUND_MS = withinDeadline(AUTHORIZER_DEADLINE_MS, AUTHORIZER_TIMEOUT_SECONDS);
const HANDLER_BOUND_MS = withinDeadline(HANDLER_DEADLINE_MS, HANDLER_TIMEOUT_SECONDS);

const EMAIL = 'ada@acme.test';
const credentials = () => basicAuth(EMAIL, generateToken('acme', 1).token);

function authorizerEvent(): APIGatewayRequestAuthorizerEvent {
  const authorization = credentials();
  return {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:api/prod/GET/api/v2/users/me.json',
    resource: '/api/v2/users/me.json',
    path: '/api/v2/users/me.json',
    httpMethod: 'GET',
    headers: { Host: 'api.example.test', Authorization: authorization },
    multiValueHeaders: { Host: ['api.example.test'], Authorization: [authorization] },
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

/** A PUT as API Gateway passes it once the authorizer has allowed it (a cached Allow, say). */
function authorizedUpdateEvent(): APIGatewayProxyEvent {
  return {
    resource: '/api/v2/api_tokens/{id}',
    path: '/api/v2/api_tokens/12345.json',
    httpMethod: 'PUT',
    headers: { Host: 'api.example.test', 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { id: '12345.json' },
    stageVariables: null,
    body: JSON.stringify({ api_token: { active: false } }),
    isBase64Encoded: false,
    requestContext: {
      authorizer: { accountId: 'acme', userId: '7', email: EMAIL, role: 'admin', tokenId: '1', authType: 'api_token' },
      identity: { sourceIp: '203.0.113.9', userAgent: 'jest' },
      stage: 'prod',
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

async function timed<T>(run: () => Promise<T>): Promise<{ elapsedMs: number; result: T }> {
  const started = Date.now();
  const result = await run();
  return { elapsedMs: Date.now() - started, result };
}

/** Defines the outage tests of one test file against the endpoint `start` provides. */
export function outageSuite(start: () => Promise<UnreachableDynamoDb>): void {
  let dynamodb: UnreachableDynamoDb;
  let emulator: Emulator;
  const log: string[] = [];

  beforeAll(async () => {
    dynamodb = await start();
    // Before any function's first DynamoDB call: the clients are created then, from the environment.
    process.env.DYNAMODB_ENDPOINT = dynamodb.endpoint;
    process.env.TABLE_NAME = 'unreachable';
    emulator = createEmulator({ log: (line) => log.push(line) });
    emulator.preload();
    await emulator.listen(0);
  });

  afterAll(async () => {
    await emulator.close();
    await dynamodb.close();
  });

  test('the authorizer fails closed within its deadline: an error, never a policy nor Unauthorized', async () => {
    const { elapsedMs, result } = await timed(() =>
      authorizer(authorizerEvent()).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).not.toBe('Unauthorized');
    expect(elapsedMs).toBeLessThan(AUTHORIZER_BOUND_MS);
  }, AUTHORIZER_TIMEOUT_SECONDS * 2000);

  test('through the emulator, well-formed credentials get 503 ServiceUnavailable with Retry-After', async () => {
    const { elapsedMs, result: response } = await timed(() =>
      fetch(`${emulator.url}/api/v2/users/me.json`, { headers: { Authorization: credentials() } }),
    );
    const body = (await response.json()) as unknown;
    expect(response.status).toBe(503);
    expect(body).toEqual({ error: 'ServiceUnavailable', description: expect.any(String) });
    expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(elapsedMs).toBeLessThan(AUTHORIZER_BOUND_MS);
  }, AUTHORIZER_TIMEOUT_SECONDS * 2000);

  test('a leak report (no authorizer) of a well-formed token gets 503 with Retry-After within the handler deadline, not its 202', async () => {
    const { elapsedMs, result: response } = await timed(() =>
      fetch(`${emulator.url}/api/v2/api_tokens/revocations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ tokens: [generateToken('acme', 7).token] }),
      }),
    );
    expect([response.status, await response.json()]).toEqual([503, { error: 'ServiceUnavailable', description: expect.any(String) }]);
    expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(elapsedMs).toBeLessThan(HANDLER_BOUND_MS);
  }, HANDLER_TIMEOUT_SECONDS * 2000);

  test('a route handler answers 503 with Retry-After within its deadline, not a Lambda timeout', async () => {
    const { elapsedMs, result: response } = await timed(() => updateApiToken(authorizedUpdateEvent()));
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toEqual({ error: 'ServiceUnavailable', description: expect.any(String) });
    expect(Number(response.headers?.['Retry-After'])).toBeGreaterThan(0);
    expect(elapsedMs).toBeLessThan(HANDLER_BOUND_MS);
  }, HANDLER_TIMEOUT_SECONDS * 2000);
}
