// DynamoDB going away in the middle of a run. While it is down: the authorizer never allows (it errors,
// API Gateway answers 5xx), handlers answer 503 ServiceUnavailable with Retry-After. After a restart on
// the persisted data directory: token_count equals the token items, and the audit log holds exactly the
// changes that were applied — one entry for each change a client saw succeed, none half-written.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeList, routes } from '../../shared/http/routes';
import { generateToken } from '../../shared/domain/token-format';
import { AccountService } from '../../shared/domain/account-service';
import { createDocumentClient } from '../../shared/store/document-client';
import { DynamoTokenStore } from '../../shared/store/dynamo-store';
import { TokenService } from '../../shared/domain/token-service';
import { createEmulator } from '../../local/emulator';
import { ensureTable, freePort, startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local';
import { basicAuth, OPERATOR } from '../support/api-stack';
import { accountPartition } from '../support/tables';

const TABLE = 'faults';
type Outcome = { step: 'create' | 'deactivate' | 'delete'; status: number; tokenId?: number; startedAfterOutage: boolean };

let dataDir: string;
let port: number;
let dynamodb: DynamoDbLocal;
let emulator: ReturnType<typeof createEmulator>;
let baseUrl: string;
let documentClient: ReturnType<typeof createDocumentClient>;
let accounts: AccountService;
let adminAuth: string;
let adminUserId: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'faults-'));
  port = await freePort();
  dynamodb = await startDynamoDbLocal({ port, dataDir });
  await ensureTable(dynamodb.endpoint, TABLE);
  process.env.DYNAMODB_ENDPOINT = dynamodb.endpoint;
  process.env.TABLE_NAME = TABLE;
  documentClient = createDocumentClient({ dynamodbEndpoint: dynamodb.endpoint, region: 'us-east-1' });
  const store = new DynamoTokenStore(documentClient, TABLE);
  accounts = new AccountService(store);
  await accounts.createAccount(OPERATOR, { accountId: 'acme', name: 'Acme', plan: 'enterprise', legacy: false, apiTokenAccess: true });
  adminUserId = (await accounts.addUser(OPERATOR, { accountId: 'acme', email: 'admin@acme.test', role: 'admin', verified: true })).userId;
  const { token } = await new TokenService(store).create({ ...OPERATOR, accountId: 'acme' }, 'admin');
  adminAuth = basicAuth('admin@acme.test', token);
  emulator = createEmulator();
  baseUrl = await emulator.listen(0);
});

afterAll(async () => {
  await emulator.close();
  documentClient.destroy();
  await dynamodb.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> | undefined; headers: Headers }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: adminAuth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** A worker's life: create, deactivate, delete, again and again, recording what each request answered. */
async function worker(outcomes: Outcome[], outage: { started: boolean }, stopWhen: () => boolean): Promise<void> {
  while (!stopWhen()) {
    const startedAfterOutage = outage.started;
    const created = await call('POST', '/api/v2/api_tokens.json', { api_token: { description: 'load' } });
    const tokenId = created.status === 201 ? (created.json!.api_token as { id: number }).id : undefined;
    outcomes.push({ step: 'create', status: created.status, tokenId, startedAfterOutage });
    if (tokenId === undefined) continue;
    for (const [step, method, body] of [
      ['deactivate', 'PUT', { api_token: { active: false } }],
      ['delete', 'DELETE', undefined],
    ] as const) {
      const began = outage.started;
      const response = await call(method, `/api/v2/api_tokens/${tokenId}.json`, body);
      outcomes.push({ step, status: response.status, tokenId, startedAfterOutage: began });
      if (response.status >= 300) break;
    }
  }
}

/** An event as API Gateway passes it after the authorizer allowed the request (a cached result, say). */
/** A body the route takes: for a leak report, one token in the format (so that it must be read). */
function bodyFor(method: string, resource: string): string | null {
  if (resource === routes.reportLeakedTokens.path) return JSON.stringify({ tokens: [generateToken('acme', 12345).token] });
  if (method !== 'PUT') return null;
  return JSON.stringify(resource.includes('settings') ? { settings: { api: { api_token_access: true } } } : { api_token: { active: false } });
}

function authorizedEvent(method: string, resource: string): APIGatewayProxyEvent {
  const path = resource.replace('{id}', '12345.json');
  return {
    resource,
    path,
    httpMethod: method,
    headers: { Host: '127.0.0.1', 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: resource.includes('{id}') ? { id: '12345.json' } : null,
    stageVariables: null,
    body: bodyFor(method, resource),
    isBase64Encoded: false,
    requestContext: {
      authorizer: { accountId: 'acme', userId: String(adminUserId), email: 'admin@acme.test', role: 'admin', tokenId: '1', authType: 'api_token' },
      identity: { sourceIp: '127.0.0.1', userAgent: 'jest' },
      stage: 'local',
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}


test('an outage mid-run: never allowed, 503 with Retry-After, and nothing lost or half-written after restart', async () => {
  const outcomes: Outcome[] = [];
  const outage = { started: false };
  let stopped = false;
  const workers = Array.from({ length: 4 }, () => worker(outcomes, outage, () => stopped));
  try {

  // Let the load run, then stop DynamoDB Local in the middle of it. (SIGTERM: DynamoDB Local itself does not
  // make acknowledged writes durable against SIGKILL, unlike DynamoDB, so a hard kill would test the emulator.)
  while (outcomes.filter((outcome) => outcome.status < 300).length < 40) await new Promise((done) => setTimeout(done, 20));
  await dynamodb.stop();
  outage.started = true;

  while (outcomes.filter((outcome) => outcome.startedAfterOutage).length < 12) await new Promise((done) => setTimeout(done, 20));

  // Every route's handler, reached as if the authorizer had allowed, answers 503 with Retry-After.
  for (const route of routeList) {
    const { handler } = (await import(`../../${route.entry}`)) as { handler: (event: APIGatewayProxyEvent) => Promise<{ statusCode: number; headers?: Record<string, string>; body: string }> };
    const response = await handler(authorizedEvent(route.method, route.path));
    expect([route.name, response.statusCode, JSON.parse(response.body).error]).toEqual([route.name, 503, 'ServiceUnavailable']);
    expect(Number(response.headers?.['Retry-After'])).toBeGreaterThan(0);
  }

  } finally {
    stopped = true;
    await Promise.all(workers);
  }
  // Requests made during the outage were never allowed: no success, and the authorizer's failure is a 5xx.
  const duringOutage = outcomes.filter((outcome) => outcome.startedAfterOutage);
  expect(duringOutage.length).toBeGreaterThan(0);
  for (const outcome of duringOutage) expect(outcome.status).toBeGreaterThanOrEqual(500);

  // Restart on the persisted data and check the invariants.
  dynamodb = await startDynamoDbLocal({ port, dataDir });
  const { account, tokens, audits } = await accountPartition({ documentClient, tableName: TABLE }, 'acme');
  const tokenCount = account!.tokenCount;
  const tokenIds = tokens.map((token) => token.tokenId);
  expect(tokenCount).toBe(tokenIds.length);

  const tokenAudits = audits.filter((audit) => audit.sourceType === 'api_token');
  const entriesFor = (tokenId: number, event: string) => tokenAudits.filter((audit) => audit.sourceId === String(tokenId) && audit.event === event).length;
  const eventOf = { create: 'api_token.created', deactivate: 'api_token.deactivated', delete: 'api_token.deleted' } as const;
  // Each change a client saw succeed has exactly one entry.
  for (const outcome of outcomes.filter((o) => o.status < 300)) {
    expect([outcome.step, outcome.tokenId, entriesFor(outcome.tokenId!, eventOf[outcome.step])]).toEqual([outcome.step, outcome.tokenId, 1]);
  }
  // Entries beyond those can only come from requests whose answer was lost in the outage (5xx).
  const succeeded = outcomes.filter((o) => o.status < 300).length;
  const ambiguous = outcomes.filter((o) => o.status >= 500 && !o.startedAfterOutage).length;
  const workloadEntries = tokenAudits.filter((audit) => audit.sourceLabel === 'load' || audit.event !== 'api_token.created').length;
  expect(workloadEntries).toBeGreaterThanOrEqual(succeeded);
  expect(workloadEntries - succeeded).toBeLessThanOrEqual(ambiguous);
  // Nothing half-written: every token that exists was created (one entry) and not deleted; every deletion freed its slot.
  const created = new Set(tokenAudits.filter((audit) => audit.event === 'api_token.created').map((audit) => Number(audit.sourceId)));
  const deleted = new Set(tokenAudits.filter((audit) => audit.event === 'api_token.deleted').map((audit) => Number(audit.sourceId)));
  for (const tokenId of tokenIds) {
    expect(created.has(tokenId)).toBe(true);
    expect(deleted.has(tokenId)).toBe(false);
  }
  expect(created.size - deleted.size).toBe(tokenIds.length);

  // And the service works again.
  const after = await call('POST', '/api/v2/api_tokens.json');
  expect(after.status).toBe(201);
}, 180_000);
