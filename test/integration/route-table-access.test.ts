// Each route's handler, run over the real store against DynamoDB Local, sends only requests its IAM grant
// allows. Every request of the document client is recorded and read as the DynamoDB actions IAM authorizes
// it by (a GetItem; a Query on the table or on one index; each item of a TransactWriteItems) and compared
// with what cdk/table-access.ts grants the route from its definition (method, `queriesTable`,
// `queriesAuditIndexes`). So a route that starts to query the table without declaring it fails here, not
// with AccessDenied in AWS; and a route granted an action on the table that none of its scenarios uses
// (a `queriesTable` it no longer needs) fails too.
import type { QueryCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { join } from 'node:path';
import { routeTableActions } from '../../cdk/table-access';
import { operatorContext } from '../../shared/domain/audit-entries';
import type { RouteHandler } from '../../shared/http/handler';
import { routeList, routes, type RouteDefinition } from '../../shared/http/routes';
import { loadConfig } from '../../shared/platform/config';
import { createServices, type Services } from '../../shared/runtime/services';
import { AUDIT_INDEX_NAMES } from '../../shared/store/table';
import { createTestTable, type TestTable } from '../support/tables';

const OPERATOR = operatorContext('jest');
const ACCOUNT = 'acme';
const EMAIL = 'ada@acme.test';

/** What one request needs from IAM: an action, on the table or on one index. */
type Permission = `${string} on ${string}`;
const onTable = (action: string): Permission => `dynamodb:${action} on table`;

/** The permissions a request of the document client needs; a command the test does not know fails it. */
function permissionsOf(command: { constructor: { name: string }; input: unknown }): Permission[] {
  switch (command.constructor.name) {
    case 'GetCommand':
      return [onTable('GetItem')];
    case 'QueryCommand': {
      const { IndexName } = command.input as QueryCommandInput;
      return [IndexName === undefined ? onTable('Query') : `dynamodb:Query on index ${IndexName}`];
    }
    case 'TransactWriteCommand':
      return ((command.input as TransactWriteCommandInput).TransactItems ?? []).map((item) => {
        if (item.Put) return onTable('PutItem');
        if (item.Update) return onTable('UpdateItem');
        if (item.Delete) return onTable('DeleteItem');
        if (item.ConditionCheck) return onTable('ConditionCheckItem');
        throw new Error(`An item of a transaction this test cannot read: ${JSON.stringify(item)}`);
      });
    default:
      throw new Error(`${command.constructor.name}: teach permissionsOf which IAM actions it needs`);
  }
}

/** What cdk/table-access.ts grants the route, in the same terms. */
function granted(route: RouteDefinition): Permission[] {
  const onIndexes = route.queriesAuditIndexes ? AUDIT_INDEX_NAMES.map((name): Permission => `dynamodb:Query on index ${name}`) : [];
  return [...routeTableActions(route).map((action): Permission => `${action} on table`), ...onIndexes];
}

interface Seed {
  services: Services;
  adminId: number;
  /** The caller's own token: it stays active, so the caller keeps its authority. */
  callerTokenId: number;
  /** A token the scenarios edit and deactivate. */
  editedTokenId: number;
  /** A deactivated token, for the delete. */
  inactiveTokenId: number;
  /** An active token, in full, for the leak report. */
  reportedToken: string;
  auditId: number;
}

interface Scenario {
  route: RouteDefinition;
  what: string;
  status: number;
  /** The request, with the path parameter `id`, the query and the JSON body. */
  request: (seed: Seed) => { id?: number; query?: Record<string, string>; body?: unknown };
}

/** In order: the writes that change what later scenarios read come after those reads. */
const scenarios: Scenario[] = [
  { route: routes.showCurrentUser, what: 'the caller', status: 200, request: () => ({}) },
  { route: routes.showUser, what: 'the caller by id', status: 200, request: (seed) => ({ id: seed.adminId }) },
  { route: routes.showApiToken, what: 'one token', status: 200, request: (seed) => ({ id: seed.editedTokenId }) },
  { route: routes.listApiTokens, what: 'every token', status: 200, request: () => ({}) },
  { route: routes.listApiTokens, what: 'a cursor page', status: 200, request: () => ({ query: { 'page[size]': '1' } }) },
  { route: routes.showAuditLog, what: 'one entry', status: 200, request: (seed) => ({ id: seed.auditId }) },
  { route: routes.listAuditLogs, what: 'unfiltered', status: 200, request: () => ({}) },
  { route: routes.listAuditLogs, what: 'by source', status: 200, request: (seed) => ({ query: { 'filter[source_type]': 'api_token', 'filter[source_id]': String(seed.editedTokenId) } }) },
  { route: routes.listAuditLogs, what: 'by actor and action', status: 200, request: (seed) => ({ query: { 'filter[actor_id]': String(seed.adminId), 'filter[action]': 'create' } }) },
  { route: routes.listAuditLogs, what: 'at an offset', status: 200, request: () => ({ query: { page: '1', per_page: '2' } }) },
  { route: routes.showAccountSettings, what: 'the settings', status: 200, request: () => ({}) },
  { route: routes.createApiToken, what: 'a new token', status: 201, request: () => ({ body: { api_token: { description: 'CI' } } }) },
  { route: routes.updateApiToken, what: 'a new description', status: 200, request: (seed) => ({ id: seed.editedTokenId, body: { api_token: { description: 'renamed' } } }) },
  { route: routes.updateApiToken, what: 'a deactivation', status: 200, request: (seed) => ({ id: seed.editedTokenId, body: { api_token: { active: false } } }) },
  { route: routes.deleteApiToken, what: 'an inactive token', status: 204, request: (seed) => ({ id: seed.inactiveTokenId }) },
  { route: routes.rotateApiToken, what: 'a replacement at once', status: 201, request: (seed) => ({ id: seed.editedTokenId }) },
  // The caller's own token, with a grace: it keeps working for the last scenario.
  { route: routes.rotateApiToken, what: 'a replacement after a grace', status: 201, request: (seed) => ({ id: seed.callerTokenId, body: { grace_seconds: 60 } }) },
  // Last: with API token access off, the caller's authority is gone.
  { route: routes.updateAccountSettings, what: 'API token access off', status: 200, request: () => ({ body: { settings: { api: { api_token_access: false } } } }) },
  // Needs no authority: a leak report deactivates the reported token whatever the account's settings.
  { route: routes.reportLeakedTokens, what: 'a reported token', status: 202, request: (seed) => ({ body: { tokens: [seed.reportedToken, 'not a token'] } }) },
];

function eventFor(route: RouteDefinition, seed: Seed, { id, query, body }: ReturnType<Scenario['request']>): APIGatewayProxyEvent {
  return {
    httpMethod: route.method,
    path: route.path,
    resource: route.path,
    headers: { Host: 'api.example.test', 'X-Forwarded-Proto': 'https', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    multiValueHeaders: {},
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: id === undefined ? null : { id: `${id}.json` },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      authorizer: { accountId: ACCOUNT, userId: String(seed.adminId), email: EMAIL, role: 'admin', tokenId: String(seed.callerTokenId), authType: 'api_token' },
      identity: { sourceIp: '198.51.100.7', userAgent: 'jest' },
    },
  } as unknown as APIGatewayProxyEvent;
}

let table: TestTable;
let seed: Seed;
let send: jest.SpyInstance;
/** Permissions each route's requests needed, over all its scenarios. */
const used = new Map<string, Set<Permission>>();

beforeAll(async () => {
  table = await createTestTable();
  const services = createServices(loadConfig({ TABLE_NAME: table.tableName, LEAK_REPORT_RESPONSE_FLOOR_MS: '0' }), table.store);
  await services.accounts.createAccount(OPERATOR, { accountId: ACCOUNT, name: 'Acme', plan: 'enterprise', legacy: false, apiTokenAccess: true });
  const admin = await services.accounts.addUser(OPERATOR, { accountId: ACCOUNT, email: EMAIL, role: 'admin', verified: true });
  const operator = { ...OPERATOR, accountId: ACCOUNT };
  const [caller, edited, inactive, reported] = [
    await services.tokens.create(operator, 'caller'),
    await services.tokens.create(operator, 'edited'),
    await services.tokens.create(operator, 'inactive'),
    await services.tokens.create(operator, 'reported'),
  ];
  await services.tokens.update(operator, inactive.apiToken.tokenId, { active: false });
  const page = await services.auditLog.list(ACCOUNT, { page: { size: 1, order: 'desc' } });
  seed = {
    services,
    adminId: admin.userId,
    callerTokenId: caller.apiToken.tokenId,
    editedTokenId: edited.apiToken.tokenId,
    inactiveTokenId: inactive.apiToken.tokenId,
    reportedToken: reported.token,
    auditId: page.items[0]!.auditId,
  };
  send = jest.spyOn(table.documentClient, 'send');
});

test('every route has a scenario', () => {
  expect(routeList.filter((route) => !scenarios.some((scenario) => scenario.route === route)).map((route) => route.name)).toEqual([]);
});

test.each(scenarios)('$route.name, $what: answers as expected and sends only requests its grant allows', async (scenario) => {
  const { handler } = (await import(join('..', '..', scenario.route.entry))) as { handler: RouteHandler };
  send.mockClear();
  const response = await handler.withServices(seed.services)(eventFor(scenario.route, seed, scenario.request(seed)));
  const needed = send.mock.calls.flatMap(([command]) => permissionsOf(command as Parameters<typeof permissionsOf>[0]));
  const sent = used.get(scenario.route.name) ?? new Set<Permission>();
  used.set(scenario.route.name, new Set([...sent, ...needed]));

  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: scenario.status });
  expect(needed.length).toBeGreaterThan(0);
  expect([...new Set(needed)].filter((permission) => !granted(scenario.route).includes(permission))).toEqual([]);
});

test('each route uses every action it is granted on the table, and queries an index exactly when it says so', () => {
  const sorted = (permissions: Iterable<Permission>) => [...permissions].filter((permission) => permission.endsWith(' on table')).sort();
  for (const route of routeList) {
    const sent = used.get(route.name) ?? new Set<Permission>();
    expect({ route: route.name, onTable: sorted(sent) }).toEqual({ route: route.name, onTable: sorted(granted(route)) });
    expect({ route: route.name, queriesAnIndex: [...sent].some((permission) => permission.includes(' on index ')) }).toEqual({
      route: route.name,
      queriesAnIndex: route.queriesAuditIndexes,
    });
  }
});
