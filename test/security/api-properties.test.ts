// Property-based tests of the HTTP API through the local API Gateway emulator: on every route of the route
// list (derived from shared/http/routes.ts, so a new route is covered without editing this file), arbitrary
// JSON bodies (and malformed ones), arbitrary query strings and arbitrary `{id}` segments, sent by an admin
// of an Enterprise account (so that every route is reachable), are answered with a 2xx or 4xx — never a 5xx —
// that reached the handler (never the 401/403 of the gateway), and with a body that conforms to
// docs/openapi.json for that status.
//
// Seeds are random on each run; a failure prints the seed and path. Replay with FC_SEED=<seed> (and FC_PATH).
import fc from 'fast-check';
import { SYSTEM_ACTOR_IDS } from '../../shared/domain/model';
import { routeList, resourcePaths, routes, type RouteDefinition } from '../../shared/http/routes';
import { AUDIT_LOG_PARAMETERS } from '../../shared/http/audit-log-query';
import { encodeCursor } from '../../shared/http/pagination';
import {
  basicAuth,
  createToken,
  OPERATOR,
  provisionAccount,
  request,
  startApiStack,
  type ApiStack,
  type ProvisionedAccount,
} from '../support/api-stack';
import { contractProblems, rawRequest } from './raw-request';

fc.configureGlobal({
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
});

const RUNS_PER_ROUTE = 60;

let stack: ApiStack;
let admin: ProvisionedAccount;
/** Ids of the account's records that `{id}` segments are drawn from (never the admin's own token). */
const existingIds: number[] = [];

beforeAll(async () => {
  stack = await startApiStack();
  // Legacy (2048 tokens) so that the creates of the POST property never exhaust the limit.
  admin = await provisionAccount(stack, 'props', { legacy: true });
  for (const description of ['first', 'second', null]) existingIds.push(Number((await createToken(stack, 'props', description)).split('_')[2]));
  const audit = await request<{ audit_logs: { id: number }[] }>(stack, 'GET', '/api/v2/audit_logs.json?page[size]=5', { auth: admin.adminAuth });
  existingIds.push(...audit.json.audit_logs.map((entry) => entry.id));
  existingIds.push(admin.admin.userId);
});

afterAll(() => stack.close());

// ---- generators ---------------------------------------------------------------------------------

/** Percent-encodes the UTF-8 bytes of any string (lone surrogates included), keeping unreserved characters. */
function percentEncode(text: string, keep = /[A-Za-z0-9._~-]/): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const character = String.fromCharCode(byte);
    out += byte < 0x80 && keep.test(character) ? character : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const LONE_SURROGATES = ['\ud800', '\udfff', 'a\ud83d', '\ude00b'];
/** Bidirectional embeddings, overrides and isolates: they can make text display in another order than it is stored. */
const BIDI_CONTROLS = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
/** Invisible characters that make two texts look alike (a joiner is fine only inside an emoji sequence). */
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'];
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...LONE_SURROGATES, ...BIDI_CONTROLS, ...ZERO_WIDTH, '', ' ', '\u0000', 'x'.repeat(300), '😀'.repeat(200), '<script>', '%00', '${x}', '\\'),
);

/** Integers no id can have, as query values: 2^53 and above, other notations, signs, spaces, zero. */
const OUT_OF_RANGE_INTEGERS = ['9007199254740992', '9999999999999999', '1e16', '10000000000000000', '-2', '0x10', '1e3', ' 1', '1 ', '+1', '0', '-0', '007', '1.0'];
const anyOutOfRangeInteger = fc.oneof(
  fc.constantFrom(...OUT_OF_RANGE_INTEGERS),
  fc.bigInt({ min: 2n ** 53n, max: 10n ** 30n }).map(String),
  fc.bigInt({ min: -(10n ** 20n), max: -2n }).map(String),
  fc.nat().map((value) => `0x${value.toString(16)}`),
  fc.nat().map((value) => `${value}e3`),
);
/** Timestamps before 1970 or after 9999: years 0001, 1969, 10000, and +275760 (the last year a Date holds). */
const OUT_OF_RANGE_DATES = ['0001-01-01', '0001-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '1969-07-20', '10000-01-01', '10000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '+275760-09-13'];
/** A cursor as the API encodes one, around any id text. */
const rawCursor = (idText: string) => Buffer.from(`v1:${idText}`, 'utf8').toString('base64url');

/** Bodies: arbitrary JSON, JSON close to each route's schema, malformed JSON, and no body. */
const anyBody = (): fc.Arbitrary<string | undefined> => {
  const nearTokenBody = fc.record(
    {
      api_token: fc.oneof(
        fc.record(
          {
            description: fc.oneof(anyText, fc.constant(null), fc.jsonValue()),
            active: fc.oneof(fc.boolean(), fc.jsonValue()),
            // The read-only fields of the GET shape, which a PUT takes back: compared, ignored or refused.
            id: fc.oneof(fc.constantFrom(...existingIds), fc.jsonValue()),
            updated_at: fc.oneof(fc.constant('2026-12-02T00:00:00Z'), anyText, fc.jsonValue()),
            last_used: fc.oneof(fc.constant(null), fc.constant('2026-12-02T00:00:00Z'), fc.jsonValue()),
            token: fc.oneof(anyText, fc.jsonValue()),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue(),
      ),
      extra: fc.jsonValue(),
    },
    { requiredKeys: [] },
  );
  // api_token_access is never false here: turning the kill switch on would lock the admin out; it is also
  // restored after each settings request in case a body turns it off some other way.
  const nearSettingsBody = fc.record(
    { settings: fc.oneof(fc.record({ api: fc.oneof(fc.record({ api_token_access: fc.oneof(fc.constant(true), fc.jsonValue()) }, { requiredKeys: [] }), fc.jsonValue()) }, { requiredKeys: [] }), fc.jsonValue()) },
    { requiredKeys: [] },
  );
  const withoutKillSwitch = (value: unknown) => !JSON.stringify(value).includes('"api_token_access":false');
  return fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue().filter(withoutKillSwitch).map((value) => JSON.stringify(value)) },
    { weight: 3, arbitrary: nearTokenBody.map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: nearSettingsBody.filter(withoutKillSwitch).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: fc.string({ maxLength: 100 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('{', '{"api_token":', 'null', '""', '[]', '{"__proto__":{"x":1}}', '{"api_token":{"description":"a","description":"b"}}', '\ufeff{}', `${'['.repeat(3000)}${']'.repeat(3000)}`, '{"a":1e999}', '\u0000'),
    },
  );
};

const OBJECT_PROTOTYPE_NAMES = ['__proto__', 'constructor', 'valueOf', 'toString', 'hasOwnProperty'];

const PARAMETER_NAMES = [
  // Every parameter a route reads, plus some none does.
  ...new Set(routeList.flatMap((route) => route.query)),
  'page',
  'per_page',
  // Names of Object.prototype members: code that collects parameters into a plain object trips on them.
  ...OBJECT_PROTOTYPE_NAMES,
];

const anyQuery = (): fc.Arbitrary<string> => {
  const name = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PARAMETER_NAMES) }, { weight: 1, arbitrary: anyText });
  const value = fc.oneof(
    anyText,
    fc.integer().map(String),
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
    fc.constantFrom('0', '1', '100', '101', '1e2', ' 5', '05', '-created_at', 'created_at', 'api_token', 'apitoken', 'create', '::1', '127.0.0.1', '2026-01-01', '2026-13-45T99:99Z'),
    fc.nat().map((id) => encodeCursor(id)),
    fc.constantFrom(...existingIds).map((id) => encodeCursor(id)),
    fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
    anyOutOfRangeInteger,
    anyOutOfRangeInteger.map(rawCursor),
    fc.constantFrom(...OUT_OF_RANGE_DATES),
  );
  const pairs = fc
    .array(fc.tuple(name, value, fc.boolean()), { maxLength: 6 })
    .map((list) => list.map(([key, text, rawBrackets]) => `${percentEncode(key, rawBrackets ? /[A-Za-z0-9._~[\]-]/ : undefined)}=${percentEncode(text)}`).join('&'));
  const raw = fc.string({ unit: fc.constantFrom(...'ab019[]=&%+._~-;#'), maxLength: 60 }).map((text) => text.replace(/#/g, '%23'));
  return fc.oneof({ weight: 4, arbitrary: pairs }, { weight: 1, arbitrary: raw });
};

/** A value for a `{param}` segment: an existing id (with or without `.json`), a number, or any text. */
const anySegment = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...existingIds), fc.constantFrom('', '.json')).map(([id, suffix]) => `${id}${suffix}`),
    fc.oneof(fc.integer(), fc.bigInt({ min: 0n, max: 10n ** 25n })).map(String),
    anyText.filter((text) => text !== '').map((text) => percentEncode(text)),
    fc.constantFrom('.json', '0', '-1', '1.5', '1e3', '0x10', '%', '%zz', '..', 'null', '9007199254740993'),
  );

/** The request target for a route: one of its resource paths, `{param}` segments filled in, a query. */
const anyTarget = (route: RouteDefinition): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...resourcePaths(route)), fc.array(anySegment(), { minLength: 4, maxLength: 4 }), fc.option(anyQuery(), { nil: undefined }))
    .map(([path, segments, query]) => {
      let index = 0;
      const filled = path.replace(/\{[^}]+\}/g, () => segments[index++] ?? '1');
      return query === undefined ? filled : `${filled}?${query}`;
    });

/** Extra request headers: none, or one with an odd (but valid) name. */
const anyExtraHeader = fc.option(
  fc.tuple(
    fc.oneof(fc.constantFrom(...OBJECT_PROTOTYPE_NAMES, 'X-Forwarded-For', 'X-Amzn-RequestId'), fc.string({ unit: fc.constantFrom(...'abcXYZ019-_!#$%&*+.^`|~'), minLength: 1, maxLength: 12 })),
    fc.string({ unit: fc.constantFrom(...'abc 019-_:;,./[]'), maxLength: 40 }),
  ),
  { nil: undefined },
);

const anyContentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', undefined);

// ---- the property -------------------------------------------------------------------------------

describe.each(routeList.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_name, route) => {
  test('arbitrary bodies, query strings and ids are answered 2xx/4xx by the handler, as documented', async () => {
    // Contract problems are collected (one example per problem) rather than thrown, so that the property
    // keeps looking for 5xx answers; they fail the test at the end.
    const undocumented = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(anyTarget(route), anyBody(), anyContentType, anyExtraHeader, async (target, body, contentType, extraHeader) => {
        // Object.fromEntries, not assignment: a header named `__proto__` must become a header.
        const headers: Record<string, string> = Object.fromEntries([
          ...(extraHeader === undefined ? [] : [extraHeader]),
          ['Authorization', basicAuth(admin.adminAuth.email, admin.adminAuth.token)],
          ...(contentType === undefined ? [] : [['Content-Type', contentType]]),
        ]);
        const response = await rawRequest(stack.baseUrl, { method: route.method, target, headers, body });
        if (route.name === 'updateAccountSettings') await stack.accounts.updateAccount(OPERATOR, admin.accountId, { apiTokenAccess: true });
        const context = `${route.method} ${target} ${extraHeader ? `header ${extraHeader[0]}: ${extraHeader[1]} ` : ''}body=${JSON.stringify(body)?.slice(0, 300)} → ${response.status} ${response.text.slice(0, 300)}`;
        if (response.status >= 500 || response.status < 200) throw new Error(`server error: ${context}\nemulator log: ${stack.log.slice(-3).join(' | ')}`);
        // A 401/403 would mean the request never reached the handler, and the property would prove nothing.
        if (response.status === 401 || response.status === 403) throw new Error(`not reached: ${context}`);
        for (const problem of contractProblems(stack.baseUrl, route.method, target, response)) {
          if (!undocumented.has(problem)) undocumented.set(problem, context);
        }
      }),
      { numRuns: RUNS_PER_ROUTE },
    );
    expect([...undocumented].map(([problem, example]) => `${problem}\n    e.g. ${example}`)).toEqual([]);
  });
});

describe('parameter and header names that are Object.prototype members', () => {
  // Found by the property above: such names must be plain data, on every route (derived from the route list).
  test.each(routeList.map((route) => [`${route.method} ${route.path}`, route] as const))('%s: as query parameters and headers, never a 5xx', async (_name, route) => {
    const path = route.path.replace(/\{[^}]+\}/g, String(existingIds[0]));
    const body = route.method === 'PUT' || route.method === 'POST' ? '{}' : undefined;
    const serverErrors: string[] = [];
    for (const name of OBJECT_PROTOTYPE_NAMES) {
      for (const where of ['query', 'header'] as const) {
        const headers: Record<string, string> = Object.fromEntries([
          ['Authorization', basicAuth(admin.adminAuth.email, admin.adminAuth.token)],
          ['Content-Type', 'application/json'],
          ...(where === 'header' ? [[name, '1']] : []),
        ]);
        const target = where === 'query' ? `${path}?${name}=1` : path;
        const response = await rawRequest(stack.baseUrl, { method: route.method, target, headers, body });
        if (response.status >= 500) serverErrors.push(`${where} ${name}: ${response.status} ${response.text}`);
      }
    }
    expect(serverErrors).toEqual([]);
  });
});

// ---- hostile input: a clear 4xx, never a 5xx, never silent damage -------------------------------

type ErrorBody = { error: string; description: string; details?: Record<string, { error: string; description: string }[]> };
type AuditLogs = { audit_logs: { id: number; created_at: string }[] };

const asAdmin = () => ({ auth: admin.adminAuth });
const auditLogs = (query: string) => request<AuditLogs & ErrorBody>(stack, 'GET', `/api/v2/audit_logs.json?${query}`, asAdmin());

describe('text fields refuse invisible and reordering characters with 422 details.description', () => {
  const HOSTILE = [...LONE_SURROGATES, ...BIDI_CONTROLS, ...ZERO_WIDTH];
  const descriptionTargets = () => [
    ['POST', '/api/v2/api_tokens.json'],
    ['PUT', `/api/v2/api_tokens/${existingIds[0]}.json`],
  ] as const;

  test('any text with a lone surrogate, a bidirectional control or a zero-width character, on create and on edit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 20 }), fc.constantFrom(...HOSTILE), fc.string({ maxLength: 20 }), fc.constantFrom(0, 1), async (before, hostile, after, target) => {
        const [method, path] = descriptionTargets()[target]!;
        const description = `${before}${hostile}${after}`;
        const response = await request<ErrorBody>(stack, method, path, { ...asAdmin(), body: { api_token: { description } } });
        expect([JSON.stringify(description), response.status, response.json.error]).toEqual([JSON.stringify(description), 422, 'RecordInvalid']);
        expect(response.json.details?.description?.[0]).toEqual({ error: 'InvalidValue', description: expect.stringMatching(/^Description /) });
      }),
      { numRuns: 60 },
    );
  });

  test.each([
    ['family', '👨‍👩‍👧'],
    ['rainbow flag (joiner after a variation selector)', '🏳️‍🌈'],
    ['technologist with a skin tone', '👩🏽‍💻'],
    ['heart on fire', '❤️‍🔥'],
    ['woman running', 'CI 🏃‍♀️ nightly'],
    ['right-to-left text with its marks', 'שלום\u200f 123'],
  ])('controls: %s is accepted as is', async (_name, description) => {
    const response = await request<{ api_token: { description: string } }>(stack, 'POST', '/api/v2/api_tokens.json', { ...asAdmin(), body: { api_token: { description } } });
    expect(response.status).toBe(201);
    expect(response.json.api_token.description).toBe(description);
  });

  test.each([
    ['a joiner after text', 'a\u200d😀'],
    ['a joiner before text', '😀\u200da'],
    ['a joiner at the end', '😀\u200d'],
    ['two joiners', '😀\u200d\u200d😀'],
  ])('%s is refused', async (_name, description) => {
    const response = await request<ErrorBody>(stack, 'POST', '/api/v2/api_tokens.json', { ...asAdmin(), body: { api_token: { description } } });
    expect(response.status).toBe(422);
    expect(response.json.details?.description?.[0]?.description).toMatch(/zero-width/);
  });
});

describe('an empty description is no description', () => {
  type TokenBody = { api_token: { id: number; description: string | null; updated_at: string } };
  const historyOf = async (id: number) => (await auditLogs(`filter[source_type]=api_token&filter[source_id]=${id}`)).json.audit_logs.map((entry) => entry.id);

  test('"" is stored as null on create, and null ↔ "" edits write nothing and audit nothing', async () => {
    const created = await request<TokenBody>(stack, 'POST', '/api/v2/api_tokens.json', { ...asAdmin(), body: { api_token: { description: '' } } });
    expect(created.status).toBe(201);
    expect(created.json.api_token.description).toBeNull();
    const { id } = created.json.api_token;
    const path = `/api/v2/api_tokens/${id}.json`;
    const history = await historyOf(id);
    for (const description of ['', null, '']) {
      const edited = await request<TokenBody>(stack, 'PUT', path, { ...asAdmin(), body: { api_token: { description } } });
      expect([description, edited.status, edited.json.api_token.description, edited.json.api_token.updated_at]).toEqual([description, 200, null, created.json.api_token.updated_at]);
    }
    expect(await historyOf(id)).toEqual(history);
  });

  test('a real change to "" is a change to none', async () => {
    const created = await request<TokenBody>(stack, 'POST', '/api/v2/api_tokens.json', { ...asAdmin(), body: { api_token: { description: 'named' } } });
    const path = `/api/v2/api_tokens/${created.json.api_token.id}.json`;
    const cleared = await request<TokenBody>(stack, 'PUT', path, { ...asAdmin(), body: { api_token: { description: '' } } });
    expect(cleared.json.api_token.description).toBeNull();
    const [latest] = (await auditLogs(`filter[source_type]=api_token&filter[source_id]=${created.json.api_token.id}`)).json.audit_logs as unknown as { change_description: string }[];
    expect(latest!.change_description).toBe('Description changed from "named" to none');
  });
});

describe('a body that is not valid UTF-8 is a 400, never silently replaced', () => {
  /** Byte sequences no UTF-8 text contains. */
  const INVALID_UTF8 = [
    [0xff],
    [0xfe, 0xff],
    [0x80],
    [0xc0, 0xaf], // an overlong "/"
    [0xe0, 0x80, 0xaf], // an overlong "/" in three bytes
    [0xed, 0xa0, 0x80], // an encoded surrogate (U+D800)
    [0xe2, 0x82], // a truncated three-byte sequence
    [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    [0xc3], // a lead byte without its continuation
  ].map((bytes) => Buffer.from(bytes));
  const MARK = '§';
  const bodyRoutes = routeList.filter((route) => route.method === 'PUT' || route.method === 'POST');
  /** A valid body for the route with MARK in a string, so that the bad bytes land inside a JSON string. */
  const bodyAround = (route: RouteDefinition, text: string) =>
    route.name === 'updateAccountSettings'
      ? JSON.stringify({ settings: { api: { api_token_access: true } }, note: text })
      : JSON.stringify({ api_token: { description: text } });

  test.each(bodyRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', async (_name, route) => {
    const target = route.path.replace(/\{[^}]+\}/g, String(existingIds[0]));
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 20 }), fc.constantFrom(...INVALID_UTF8), fc.string({ maxLength: 20 }), async (before, bad, after) => {
        const text = Buffer.from(bodyAround(route, `${before}${MARK}${after}`), 'utf8');
        const at = text.indexOf(Buffer.from(MARK, 'utf8'));
        const body = Buffer.concat([text.subarray(0, at), bad, text.subarray(at + Buffer.byteLength(MARK))]);
        const headers = { Authorization: basicAuth(admin.adminAuth.email, admin.adminAuth.token), 'Content-Type': 'application/json' };
        const response = await rawRequest(stack.baseUrl, { method: route.method, target, headers, body });
        expect([bad.toString('hex'), response.status, response.json]).toEqual([bad.toString('hex'), 400, { error: 'BadRequest', description: 'Request body is not valid UTF-8' }]);
      }),
      { numRuns: 20 },
    );
  });

  test('control: the same bodies in valid UTF-8 are accepted (multi-byte characters included)', async () => {
    const response = await request<{ api_token: { description: string } }>(stack, 'POST', '/api/v2/api_tokens.json', { ...asAdmin(), body: { api_token: { description: 'é 😀 §' } } });
    expect(response.status).toBe(201);
    expect(response.json.api_token.description).toBe('é 😀 §');
  });
});

describe('integer filters and cursors that no id can have are a 400 naming the parameter', () => {
  /** Each integer parameter, as a query built around one value. */
  const integerParameters: [string, string, (value: string) => string][] = [
    ['filter[actor_id]', '/api/v2/audit_logs.json', (value) => `filter[actor_id]=${encodeURIComponent(value)}`],
    ['filter[source_id]', '/api/v2/audit_logs.json', (value) => `filter[source_type]=api_token&filter[source_id]=${encodeURIComponent(value)}`],
    ['filter[source_id]', '/api/v2/audit_logs.json', (value) => `filter[source_type]=apitoken&filter[source_id]=${encodeURIComponent(value)}`],
    ['filter[source_id]', '/api/v2/audit_logs.json', (value) => `filter[source_type]=user&filter[source_id]=${encodeURIComponent(value)}`],
    ...['/api/v2/audit_logs.json', '/api/v2/api_tokens.json'].flatMap((path) =>
      ['page[after]', 'page[before]'].map((name): [string, string, (value: string) => string] => [name, path, (value) => `${name}=${rawCursor(value)}`]),
    ),
  ];

  // The system actors' ids (the operator, secret scanning, the token sweep) are actor ids, and no other negative number is.
  const systemActorIds = SYSTEM_ACTOR_IDS.map(String);
  const noActorId = anyOutOfRangeInteger.filter((value) => !systemActorIds.includes(value));

  test.each(integerParameters)('%s on %s', async (name, path, query) => {
    await fc.assert(
      fc.asyncProperty(name === 'filter[actor_id]' ? fc.oneof(noActorId, fc.constantFrom('-4', '-2.0', '-02')) : fc.oneof(anyOutOfRangeInteger, fc.constantFrom('-1', '-2')), async (value) => {
        const response = await request<ErrorBody>(stack, 'GET', `${path}?${query(value)}`, asAdmin());
        expect([value, response.status, response.json.error]).toEqual([value, 400, 'BadRequest']);
        expect(response.json.description).toContain(name);
      }),
      { numRuns: 25 },
    );
  });

  test('controls: real ids, the system actors (-1, -2, -3) and account sources are accepted', async () => {
    const tokenId = existingIds[0]!;
    for (const query of [
      'filter[actor_id]=-1',
      'filter[actor_id]=-2',
      'filter[actor_id]=-3',
      `filter[actor_id]=${admin.admin.userId}`,
      `filter[source_type]=api_token&filter[source_id]=${tokenId}`,
      `filter[source_type]=user&filter[source_id]=${admin.admin.userId}`,
      'filter[source_type]=account&filter[source_id]=props',
      `filter[source_id]=${tokenId}`,
      `page[after]=${encodeCursor(Number.MAX_SAFE_INTEGER)}`,
      `page[before]=${encodeCursor(1)}`,
    ]) {
      const response = await auditLogs(query);
      expect([query, response.status]).toEqual([query, 200]);
    }
    const operatorEntries = (await auditLogs('filter[actor_id]=-1')).json.audit_logs;
    expect(operatorEntries.length).toBeGreaterThan(0);
  });
});

describe('filter[created_at][] takes any range within 1970–9999', () => {
  const YEAR_10000 = Date.UTC(10000, 0, 1);
  let entries: { id: number; created_at: string }[] = [];

  beforeAll(async () => {
    // An account of its own, so that its entries do not change while the property runs.
    const dates = await provisionAccount(stack, 'dates');
    const listed = await request<AuditLogs>(stack, 'GET', '/api/v2/audit_logs.json', { auth: dates.adminAuth });
    entries = listed.json.audit_logs;
    expect(entries.length).toBeGreaterThan(0);
    datesAuth = dates.adminAuth;
  });
  let datesAuth: { email: string; token: string };
  const range = (from: string, to: string) =>
    request<AuditLogs & ErrorBody>(stack, 'GET', `/api/v2/audit_logs.json?filter[created_at][]=${encodeURIComponent(from)}&filter[created_at][]=${encodeURIComponent(to)}`, { auth: datesAuth });

  test.each([
    ['2020-01-01', '2300-01-01', 'all'],
    ['2020-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'all'],
    ['1970-01-01', '9999-12-31', 'all'],
    ['2300-01-01', '9999-12-31', 'none'],
    ['2256-01-01', '2256-01-02', 'none'],
    ['1970-01-01T00:00:00Z', '2000-01-01T00:00:00Z', 'none'],
  ])('%s … %s returns %s of the entries', async (from, to, expected) => {
    const response = await range(from, to);
    expect(response.status).toBe(200);
    expect(response.json.audit_logs.map((entry) => entry.id)).toEqual(expected === 'all' ? entries.map((entry) => entry.id) : []);
  });

  test('any two bounds in the range: 200 with exactly the entries between them', async () => {
    const anyInstant = fc.date({ min: new Date(0), max: new Date(YEAR_10000 - 1), noInvalidDate: true });
    const createdAt = entries.map((entry) => Date.parse(entry.created_at));
    // Bounds a day away from the entries, so that the expected answer does not depend on sub-second times.
    const farFromEntries = (date: Date) => createdAt.every((time) => Math.abs(time - date.getTime()) > 86_400_000);
    await fc.assert(
      fc.asyncProperty(anyInstant.filter(farFromEntries), anyInstant.filter(farFromEntries), fc.boolean(), async (a, b, dateOnly) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const text = (date: Date) => (dateOnly ? date.toISOString().slice(0, 10) : date.toISOString());
        const response = await range(text(from), text(to));
        expect([text(from), text(to), response.status]).toEqual([text(from), text(to), 200]);
        const expected = entries.filter((_, index) => createdAt[index]! >= from.getTime() && createdAt[index]! <= to.getTime()).map((entry) => entry.id);
        expect(response.json.audit_logs.map((entry) => entry.id)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  test.each(OUT_OF_RANGE_DATES)('a bound of %s is a 400 naming the parameter, as start or as end', async (date) => {
    for (const [from, to] of [[date, '2026-01-01'], ['2026-01-01', date], [date, date]]) {
      const response = await range(from!, to!);
      expect([from, to, response.status, response.json.error]).toEqual([from, to, 400, 'BadRequest']);
      expect(response.json.description).toContain('filter[created_at][]');
    }
  });
});

describe('every query parameter name is checked the same way on every route', () => {
  const anyName = fc.oneof(
    fc.constantFrom(...OBJECT_PROTOTYPE_NAMES, 'page', 'per_page', 'filter[colour]', 'filter[created_at]', 'sort_by', 'include', 'account_id'),
    fc.constantFrom(...new Set(routeList.flatMap((route) => route.query))),
    fc.string({ minLength: 1, maxLength: 12 }),
  );

  test.each(routeList.map((route) => [`${route.method} ${route.path}`, route] as const))('%s: a parameter it does not know is a 400 naming it', async (_name, route) => {
    const path = route.path.replace(/\{[^}]+\}/g, String(existingIds[0]));
    const body = route.method === 'PUT' || route.method === 'POST' ? '{}' : undefined;
    const headers = { Authorization: basicAuth(admin.adminAuth.email, admin.adminAuth.token), 'Content-Type': 'application/json' };
    await fc.assert(
      fc.asyncProperty(anyName.filter((name) => !route.query.includes(name)), async (name) => {
        const encoded = percentEncode(name, /[A-Za-z0-9._~[\]-]/);
        const [decoded] = [...new URLSearchParams(`${encoded}=1`).keys()];
        const response = await rawRequest(stack.baseUrl, { method: route.method, target: `${path}?${encoded}=1`, headers, body });
        expect([name, response.status, response.json]).toEqual([name, 400, { error: 'BadRequest', description: `Unknown query parameter ${decoded}` }]);
      }),
      { numRuns: 15 },
    );
  });

  test('the route list names the parameters each route reads', () => {
    expect(Object.fromEntries(routeList.map((route) => [route.name, [...route.query].sort()]))).toEqual({
      ...Object.fromEntries(routeList.map((route) => [route.name, []])),
      listApiTokens: ['page[after]', 'page[before]', 'page[size]'],
      listAuditLogs: [...AUDIT_LOG_PARAMETERS].sort(),
    });
    expect(routes.listAuditLogs.query).toBe(AUDIT_LOG_PARAMETERS);
  });
});
