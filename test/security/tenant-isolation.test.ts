// Tenant isolation sweep through the emulator: for EVERY route of the route list (derived from
// shared/http/routes.ts, so that a new route is swept without editing this file), an admin of account A who
// uses account B's ids — B's token ids (active and deactivated), audit entry ids and user ids in `{param}`
// segments, in filters and in cursors — and B's data in bodies gets 404 RecordNotFound (from the handler,
// not the gateway) or 403 on routes addressing one record, and on every route never sees anything of B:
// no B id in an id field, none of B's descriptions, emails, names, visible or full tokens in the response.
// B's items in DynamoDB are byte-for-byte the same afterwards, and A's kill switch leaves B working.
import { resourcePaths, routeList, type RouteDefinition } from '../../shared/http/routes';
import { encodeCursor } from '../../shared/http/pagination';
import {
  addUser,
  basicAuth,
  createToken,
  OPERATOR,
  provisionAccount,
  request,
  startApiStack,
  type ApiResponse,
  type ApiStack,
  type ProvisionedAccount,
} from '../support/api-stack';
import { accountPartition } from '../support/tables';

type ErrorBody = { error?: string; description?: string };

let stack: ApiStack;
let alpha: ProvisionedAccount;
let bravo: ProvisionedAccount;

/** Everything that identifies B: ids (numbers and the account id) and text only B's data contains. */
const bravoIds = new Set<number | string>();
const bravoTexts: string[] = [];
const bravoTokenIds: number[] = [];
const bravoAuditIds: number[] = [];
const bravoUserIds: number[] = [];

const tokenIdOf = (token: string) => Number(token.split('_')[2]);

beforeAll(async () => {
  stack = await startApiStack();
  alpha = await provisionAccount(stack, 'alpha');
  bravo = await provisionAccount(stack, 'bravo', { adminEmail: 'boss@bravo-corp.test' });
  const agent = await addUser(stack, 'bravo', 'agent.b@bravo-corp.test', 'agent');
  const described = await createToken(stack, 'bravo', 'bravo-private-description-1');
  const deactivated = await createToken(stack, 'bravo', 'bravo-private-description-2');
  await stack.tokens.update({ ...OPERATOR, accountId: 'bravo' }, tokenIdOf(deactivated), { active: false });
  // Changes made by B's admin through the API, so that B's audit log has B's admin as actor.
  const asBravo = { auth: bravo.adminAuth };
  const created = await request<{ api_token: { id: number; token: string } }>(stack, 'POST', '/api/v2/api_tokens.json', { ...asBravo, body: { api_token: { description: 'bravo-private-description-3' } } });
  await request(stack, 'PUT', `/api/v2/api_tokens/${created.json.api_token.id}.json`, { ...asBravo, body: { api_token: { description: 'bravo-private-description-4' } } });

  for (const token of [bravo.token, described, deactivated, created.json.api_token.token]) {
    bravoTokenIds.push(tokenIdOf(token));
    bravoTexts.push(token, token.split('_')[3]!.slice(0, 12));
  }
  const tokens = await request<{ api_tokens: { id: number; visible_token: string }[] }>(stack, 'GET', '/api/v2/api_tokens.json', asBravo);
  bravoTexts.push(...tokens.json.api_tokens.map((token) => token.visible_token));
  const audit = await request<{ audit_logs: { id: number }[] }>(stack, 'GET', '/api/v2/audit_logs.json', asBravo);
  bravoAuditIds.push(...audit.json.audit_logs.map((entry) => entry.id));
  bravoUserIds.push(bravo.admin.userId, agent.userId);
  bravoTexts.push('bravo-private-description', 'bravo-corp.test', 'boss@', 'agent.b@', 'Account bravo');
  for (const id of [...bravoTokenIds, ...bravoAuditIds, ...bravoUserIds]) bravoIds.add(id);
  bravoIds.add('bravo');
});

afterAll(() => stack.close());

// ---- what A sends --------------------------------------------------------------------------------

const allBravoRecordIds = () => [...bravoTokenIds, ...bravoAuditIds, ...bravoUserIds];

/** Bodies for routes addressing one record: valid bodies, so that only the record lookup can refuse them. */
const RECORD_BODIES: unknown[] = [{ api_token: { active: false } }, { api_token: { description: 'hijacked' } }, { api_token: { active: true, description: null } }];
/** The rotation's valid bodies: with a grace, without one, and none. */
const ROTATION_BODIES: unknown[] = [{ grace_seconds: 60 }, {}, undefined];

/** Bodies for collection routes: valid ones for A, and ones that smuggle B's identity in. */
const collectionBodies = (): unknown[] => [
  undefined,
  {},
  { api_token: { description: 'alpha-made' } },
  { api_token: { description: 'hijack', account_id: 'bravo' } },
  { api_token: { id: bravoTokenIds[0] } },
  { account_id: 'bravo', api_token: {} },
  { settings: { api: { api_token_access: true } } },
  { settings: { api: { api_token_access: true } }, account_id: 'bravo' },
  { settings: { api: { api_token_access: true, account_id: 'bravo' } } },
];

/** Query strings that point at B's records through filters and cursors. */
const bravoQueries = (): string[] => {
  const [token] = bravoTokenIds;
  const [audit] = bravoAuditIds;
  const [user] = bravoUserIds;
  return [
    '',
    `?filter[source_id]=${token}`,
    `?filter[source_type]=api_token&filter[source_id]=${token}`,
    `?filter[source_type]=user&filter[source_id]=${user}`,
    `?filter[actor_id]=${user}`,
    '?filter[source_id]=bravo',
    '?filter[source_type]=account&filter[source_id]=bravo',
    `?page[after]=${encodeCursor(audit!)}`,
    `?page[before]=${encodeCursor(audit!)}`,
    `?page[size]=1&page[after]=${encodeCursor(token!)}`,
    `?page[size]=100&page[before]=${encodeCursor(Number.MAX_SAFE_INTEGER)}`,
    '?account_id=bravo',
  ];
};

interface Attempt {
  method: string;
  path: string;
  body: unknown;
  /** True when the path names one record by a B id: the answer must be 404/403 (400 for a query the route does not take). */
  addressesRecord: boolean;
}

/** Every attempt A makes on a route: B's ids in each `{param}`, or B's ids in queries and bodies. */
function attemptsOn(route: RouteDefinition): Attempt[] {
  const attempts: Attempt[] = [];
  const hasBody = route.method === 'PUT' || route.method === 'POST';
  const recordBodies = route.name === 'rotateApiToken' ? ROTATION_BODIES : RECORD_BODIES;
  for (const resource of resourcePaths(route)) {
    if (/\{[^}]+\}/.test(resource)) {
      for (const [index, id] of allBravoRecordIds().entries()) {
        for (const suffix of resource.endsWith('}') ? ['', '.json'] : ['']) {
          const path = resource.replace(/\{[^}]+\}/g, String(id)) + suffix;
          // The bodies take turns, so that each kind of change is tried on tokens, audit entries and users.
          const body = hasBody ? recordBodies[(index + suffix.length) % recordBodies.length] : undefined;
          attempts.push({ method: route.method, path, body, addressesRecord: true });
          // And once per B id, naming B's account in the query, as a confused handler might read it: no route
          // takes such a parameter, so it is refused before any record is read.
          if (suffix === '') attempts.push({ method: route.method, path: `${path}?account_id=bravo&accountId=bravo`, body, addressesRecord: true });
        }
      }
    } else {
      for (const query of bravoQueries()) attempts.push({ method: route.method, path: `${resource}${query}`, body: hasBody ? collectionBodies()[2] : undefined, addressesRecord: false });
      if (hasBody) for (const body of collectionBodies()) attempts.push({ method: route.method, path: resource, body, addressesRecord: false });
    }
  }
  return attempts;
}

// ---- what A must not get back --------------------------------------------------------------------

const ID_FIELDS = new Set(['id', 'source_id', 'actor_id', 'user_id']);

/** B's ids found in id fields of a JSON value (A's own ids excepted, should the two ever coincide). */
function bravoIdsIn(value: unknown, alphaIds: Set<number | string>, found: (number | string)[] = []): (number | string)[] {
  if (Array.isArray(value)) value.forEach((item) => bravoIdsIn(item, alphaIds, found));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, field] of Object.entries(value)) {
      if (ID_FIELDS.has(key) && (typeof field === 'number' || typeof field === 'string') && bravoIds.has(field) && !alphaIds.has(field)) found.push(field);
      else bravoIdsIn(field, alphaIds, found);
    }
  }
  return found;
}

function bravoDataIn(response: ApiResponse, alphaIds: Set<number | string>): string[] {
  const texts = bravoTexts.filter((text) => response.text.includes(text));
  const ids = bravoIdsIn(response.json, alphaIds).map((id) => `id ${id}`);
  return [...texts, ...ids];
}

// ---- the sweep -------------------------------------------------------------------------------------

test('every route, with B ids and B data, answers A with 404/403 or A-only data, and B is unchanged', async () => {
  const bravoBefore = (await accountPartition(stack.table, 'bravo')).items;
  const swept = new Set<string>();
  const failures: string[] = [];
  const answers: { attempt: Attempt; response: ApiResponse<ErrorBody> }[] = [];

  for (const route of routeList) {
    const attempts = attemptsOn(route);
    expect(attempts.length).toBeGreaterThan(0);
    for (const attempt of attempts) {
      const response = await request<ErrorBody>(stack, attempt.method, attempt.path, {
        headers: { Authorization: basicAuth(alpha.adminAuth.email, alpha.adminAuth.token) },
        body: attempt.body,
      });
      answers.push({ attempt, response });
      const label = `${attempt.method} ${attempt.path} ${JSON.stringify(attempt.body) ?? ''} → ${response.status} ${response.text.slice(0, 200)}`;
      if (response.status >= 500 || response.status === 401) failures.push(`unexpected status: ${label}`);
      if (attempt.addressesRecord && attempt.path.includes('?')) {
        const refused = response.status === 400 && response.json?.description === 'Unknown query parameter account_id';
        if (!refused) failures.push(`not refused with 400 Unknown query parameter: ${label}`);
      } else if (attempt.addressesRecord) {
        const refused = response.status === 403 || (response.status === 404 && response.json?.error === 'RecordNotFound');
        if (!refused) failures.push(`not refused with 404 RecordNotFound or 403: ${label}`);
      }
    }
    swept.add(route.name);
  }

  // A's own ids, read after the sweep (the sweep creates some), so that a coincidence is not a failure.
  const alphaIds = new Set<number | string>(['alpha']);
  for (const item of (await accountPartition(stack.table, 'alpha')).items) {
    for (const key of ['tokenId', 'auditId', 'userId']) if (typeof item[key] === 'number') alphaIds.add(item[key]);
  }
  for (const { attempt, response } of answers) {
    const leaked = bravoDataIn(response, alphaIds);
    if (leaked.length > 0) failures.push(`B's data (${leaked.join(', ')}) in the answer to ${attempt.method} ${attempt.path}: ${response.text.slice(0, 300)}`);
  }

  expect(failures).toEqual([]);
  expect([...swept].sort()).toEqual(routeList.map((route) => route.name).sort());
  expect(answers.filter(({ attempt }) => attempt.addressesRecord).length).toBeGreaterThanOrEqual(allBravoRecordIds().length * 12);
  // Nothing of B was written: not a token, not a setting, not an audit entry, not last_used.
  expect((await accountPartition(stack.table, 'bravo')).items).toEqual(bravoBefore);
});

test('the sweep would see B data: B itself gets its records on the same routes', async () => {
  // Control: the same id routes answer B's admin with B's records, so a 404 for A is isolation, not a bad path.
  const asBravo = { auth: bravo.adminAuth };
  for (const route of routeList.filter((candidate) => candidate.method === 'GET' && /\{[^}]+\}/.test(candidate.path))) {
    const ids = route.path.includes('audit_logs') ? bravoAuditIds : route.path.includes('users') ? bravoUserIds : bravoTokenIds;
    const response = await request(stack, 'GET', route.path.replace(/\{[^}]+\}/g, String(ids[0])), asBravo);
    expect([route.name, response.status]).toEqual([route.name, 200]);
    expect(bravoDataIn(response, new Set()).length).toBeGreaterThan(0);
  }
});

test("A's kill switch turns off A only; B's settings and tokens keep working", async () => {
  const asAlpha = { auth: alpha.adminAuth };
  const off = await request(stack, 'PUT', '/api/v2/account/settings.json', { ...asAlpha, body: { settings: { api: { api_token_access: false } } } });
  expect(off.status).toBe(200);
  try {
    expect((await request(stack, 'GET', '/api/v2/users/me', asAlpha)).status).toBe(401);
    const bravoSettings = await request<{ settings: { api: { api_token_access: boolean } } }>(stack, 'GET', '/api/v2/account/settings', { auth: bravo.adminAuth });
    expect(bravoSettings.status).toBe(200);
    expect(bravoSettings.json.settings.api.api_token_access).toBe(true);
  } finally {
    await stack.accounts.updateAccount(OPERATOR, 'alpha', { apiTokenAccess: true });
  }
  expect((await request(stack, 'GET', '/api/v2/users/me', asAlpha)).status).toBe(200);
});
