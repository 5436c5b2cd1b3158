// The audit log's query string in the forms Zendesk documents, through the emulator: `filter[created_at]`
// given twice, `filter[action][]`, `sort_by` + `sort_order`, the `apitoken` alias, offset pagination (`page`,
// `per_page`, answered with `next_page`, `previous_page` and `count`) next to cursor pagination. Each form
// is sent as raw query text (node-zendesk has no audit-log call) and compared with its canonical form and
// with the listing's meaning applied to the whole log; and what the forms refuse is a 400.
import { OPERATOR, addUser, provisionAccount, request, startApiStack, type ApiStack, type ProvisionedAccount } from '../support/api-stack';
import { historicEntry, writeAuditHistory } from '../support/audit-history';

interface AuditLog {
  id: number;
  action: string;
  actor_id: number;
  source_id: number | string;
  source_type: string;
  ip_address: string | null;
  created_at: string;
}
interface CursorList {
  audit_logs: AuditLog[];
  meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null };
  links: { next: string | null; prev: string | null };
}
interface OffsetList {
  audit_logs: AuditLog[];
  next_page: string | null;
  previous_page: string | null;
  count: number;
}
type TokenBody = { api_token: { id: number } };

const ACCOUNT = 'forms';
const OTHER_ACTOR = 777;
const PATH = '/api/v2/audit_logs.json';

let stack: ApiStack;
let account: ProvisionedAccount;
let tokenId: number;
/** The whole log, newest first, as the canonical cursor listing answers it. */
let all: AuditLog[];

beforeAll(async () => {
  stack = await startApiStack();
  account = await provisionAccount(stack, ACCOUNT);
  const auth = account.adminAuth;
  // Changes through the API (the admin, from 127.0.0.1) and by an operator: entries of today.
  const ids: number[] = [];
  for (const description of ['one', 'two', 'three']) {
    ids.push((await request<TokenBody>(stack, 'POST', '/api/v2/api_tokens.json', { auth, body: { api_token: { description } } })).json.api_token.id);
  }
  tokenId = ids[0]!;
  await request(stack, 'PUT', `/api/v2/api_tokens/${ids[0]}.json`, { auth, body: { api_token: { description: 'first' } } });
  await request(stack, 'PUT', `/api/v2/api_tokens/${ids[1]}.json`, { auth, body: { api_token: { description: 'second' } } });
  await request(stack, 'PUT', `/api/v2/api_tokens/${ids[2]}.json`, { auth, body: { api_token: { active: false } } });
  await request(stack, 'DELETE', `/api/v2/api_tokens/${ids[2]}.json`, { auth });
  await addUser(stack, ACCOUNT, 'agent@forms.test', 'agent');
  await stack.accounts.updateUser(OPERATOR, ACCOUNT, 'agent@forms.test', { role: 'admin' });
  // And a history of two years, a month apart from mid-2025 to mid-2027, so that a year's range holds some of it.
  const sources = [
    { sourceType: 'api_token', sourceId: String(tokenId) },
    { sourceType: 'user', sourceId: String(account.admin.userId) },
    { sourceType: 'account', sourceId: ACCOUNT },
  ] as const;
  await writeAuditHistory(
    stack.table,
    Array.from({ length: 24 }, (_, i) =>
      historicEntry(ACCOUNT, Date.UTC(2025, 6 + i, 15, 12), {
        action: (['create', 'update', 'destroy'] as const)[i % 3]!,
        actorId: [account.admin.userId, -1, OTHER_ACTOR][i % 4 === 3 ? 2 : i % 2]!,
        ...sources[i % 3]!,
        ipAddress: i % 2 === 0 ? '127.0.0.1' : null,
      }),
    ),
  );
  all = await cursorAll('');
  expect(all.length).toBeGreaterThan(30);
}, 60_000);

afterAll(() => stack.close());

const get = <T>(query: string) => request<T>(stack, 'GET', `${PATH}${query === '' ? '' : `?${query}`}`, { auth: account.adminAuth });
const pathOf = (url: string) => url.slice(stack.baseUrl.length);
const idsOf = (entries: AuditLog[]) => entries.map((entry) => entry.id);
const join = (...parts: string[]) => parts.filter((part) => part !== '').join('&');

/** Every entry the cursor listing of `query` answers: pages of 100 followed while has_more. */
async function cursorAll(query: string): Promise<AuditLog[]> {
  let page = (await get<CursorList>(join(query, 'page[size]=100'))).json;
  const entries = [...page.audit_logs];
  while (page.meta.has_more) {
    page = (await request<CursorList>(stack, 'GET', pathOf(page.links.next!), { auth: account.adminAuth })).json;
    entries.push(...page.audit_logs);
  }
  return entries;
}

const inYear = (year: string) => (entry: AuditLog) => entry.created_at.startsWith(`${year}-`);
const oldestFirst = (entries: AuditLog[]) => [...entries].reverse();

describe("Zendesk's documented query strings", () => {
  /** [form, Zendesk's query as its documentation writes it, the canonical query, the meaning over the whole log (newest first)]. */
  const FORMS: [string, string, string, (log: AuditLog[]) => AuditLog[]][] = [
    [
      'filter[created_at] twice',
      'filter[created_at]=2026-01-01T00:00:00Z&filter[created_at]=2026-12-31T23:59:59Z',
      'filter[created_at][]=2026-01-01T00:00:00Z&filter[created_at][]=2026-12-31T23:59:59Z',
      (log) => log.filter(inYear('2026')),
    ],
    [
      'filter[created_at] twice, URL-encoded',
      'filter%5Bcreated_at%5D=2026-01-01T00%3A00%3A00Z&filter%5Bcreated_at%5D=2026-12-31T23%3A59%3A59Z',
      'filter[created_at][]=2026-01-01T00:00:00Z&filter[created_at][]=2026-12-31T23:59:59Z',
      (log) => log.filter(inYear('2026')),
    ],
    [
      'filter[action][] twice',
      'filter[action][]=create&filter[action][]=update',
      'filter%5Baction%5D%5B%5D=update&filter%5Baction%5D%5B%5D=create',
      (log) => log.filter((entry) => ['create', 'update'].includes(entry.action)),
    ],
    ['sort_by with sort_order=asc', 'sort_by=created_at&sort_order=asc', 'sort=created_at', oldestFirst],
    ['sort_by with sort_order=desc', 'sort_by=created_at&sort_order=desc', 'sort=-created_at', (log) => log],
    ['sort_by alone (newest first)', 'sort_by=created_at', '', (log) => log],
    [
      'the apitoken source type',
      `filter[source_type]=apitoken&filter[source_id]=TOKEN`,
      `filter[source_type]=api_token&filter[source_id]=TOKEN`,
      (log) => log.filter((entry) => entry.source_type === 'api_token' && entry.source_id === tokenId),
    ],
    [
      'a year, two actions, oldest first',
      'filter[created_at]=2026-01-01T00:00:00Z&filter[created_at]=2026-12-31T23:59:59Z&filter[action][]=create&filter[action][]=destroy&sort_by=created_at&sort_order=asc',
      'filter[created_at][]=2026-01-01T00:00:00Z&filter[created_at][]=2026-12-31T23:59:59Z&filter[action][]=create&filter[action][]=destroy&sort=created_at',
      (log) => oldestFirst(log.filter((entry) => inYear('2026')(entry) && ['create', 'destroy'].includes(entry.action))),
    ],
  ];

  test.each(FORMS)('%s: the same entries in the same order as the canonical form, and as meant', async (_form, zendesk, canonical, meaning) => {
    const withToken = (query: string) => query.replaceAll('TOKEN', String(tokenId));
    const expected = meaning(all);
    expect(expected.length).toBeGreaterThan(0);
    const answered = await cursorAll(withToken(zendesk));
    expect(idsOf(answered)).toEqual(idsOf(await cursorAll(withToken(canonical))));
    expect(answered).toEqual(expected);
  });

  test('a year as Zendesk writes it holds part of the history: entries of 2026, not of 2025 or 2027', () => {
    const years = new Set(all.map((entry) => entry.created_at.slice(0, 4)));
    expect([...years].sort()).toEqual(['2025', '2026', '2027']);
  });

  test('page=2&per_page=5: the offset shape, holding the cursor listing from its 6th entry to its 10th', async () => {
    const response = await get<OffsetList>('page=2&per_page=5');
    expect(response.status).toBe(200);
    expect(Object.keys(response.json).sort()).toEqual(['audit_logs', 'count', 'next_page', 'previous_page']);
    expect(response.json.audit_logs).toEqual(all.slice(5, 10));
    expect(response.json.count).toBe(all.length);
    expect(response.json.next_page).toBe(`${stack.baseUrl}${PATH}?page=3&per_page=5`);
    expect(response.json.previous_page).toBe(`${stack.baseUrl}${PATH}?page=1&per_page=5`);
  });

  test('filter[actor_id]=…&page[size]=2: the cursor shape, two at a time, the actor’s entries in order', async () => {
    const actor = account.admin.userId;
    const expected = all.filter((entry) => entry.actor_id === actor);
    expect(expected.length).toBeGreaterThan(4);
    const first = await get<CursorList>(`filter[actor_id]=${actor}&page[size]=2`);
    expect(Object.keys(first.json).sort()).toEqual(['audit_logs', 'links', 'meta']);
    expect(first.json.audit_logs).toEqual(expected.slice(0, 2));
    expect(first.json.meta.has_more).toBe(true);
    const entries = [...first.json.audit_logs];
    let page = first.json;
    while (page.meta.has_more) {
      expect(new URL(page.links.next!).searchParams.get('filter[actor_id]')).toBe(String(actor));
      page = (await request<CursorList>(stack, 'GET', pathOf(page.links.next!), { auth: account.adminAuth })).json;
      expect(page.audit_logs.length).toBeLessThanOrEqual(2);
      entries.push(...page.audit_logs);
    }
    expect(entries).toEqual(expected);
  });
});

describe('offset pagination', () => {
  /** The request's parameters other than the page's, sorted: what a link must keep. */
  const keptOf = (query: string) =>
    [...new URLSearchParams(query)].filter(([name]) => name !== 'page' && name !== 'per_page').sort(([a, x], [b, y]) => (a + x).localeCompare(b + y));

  /** Checks a next_page / previous_page link: this route, the filters kept, the page and per_page given. */
  function expectLink(link: string | null, query: string, page: number, perPage: number) {
    const url = new URL(link!);
    expect(`${url.origin}${url.pathname}`).toBe(`${stack.baseUrl}${PATH}`);
    expect(keptOf(url.search)).toEqual(keptOf(query));
    expect([url.searchParams.getAll('page'), url.searchParams.getAll('per_page')]).toEqual([[String(page)], [String(perPage)]]);
  }

  /** Walks from page 1 by next_page until null, then back by previous_page; checks each page's shape, count and links. */
  async function walk(query: string, perPage: number) {
    const pages: OffsetList[] = [];
    let response = await get<OffsetList>(join(query, `per_page=${perPage}`));
    for (;;) {
      expect(response.status).toBe(200);
      expect(Object.keys(response.json).sort()).toEqual(['audit_logs', 'count', 'next_page', 'previous_page']);
      pages.push(response.json);
      const number = pages.length;
      if (number > 1) expectLink(response.json.previous_page, query, number - 1, perPage);
      else expect(response.json.previous_page).toBeNull();
      if (response.json.next_page === null) break;
      expectLink(response.json.next_page, query, number + 1, perPage);
      response = await request<OffsetList>(stack, 'GET', pathOf(response.json.next_page), { auth: account.adminAuth });
    }
    const forward = pages.flatMap((page) => page.audit_logs);
    let backward = [...pages[pages.length - 1]!.audit_logs];
    let previous = pages[pages.length - 1]!.previous_page;
    while (previous) {
      const page = (await request<OffsetList>(stack, 'GET', pathOf(previous), { auth: account.adminAuth })).json;
      backward = [...page.audit_logs, ...backward];
      previous = page.previous_page;
    }
    return { pages, forward, backward };
  }

  test.each([
    ['the whole log', '', 3],
    ['oldest first', 'sort=created_at', 3],
    ['oldest first, Zendesk\'s form', 'sort_by=created_at&sort_order=asc', 3],
    ['newest first, Zendesk\'s form', 'sort_by=created_at&sort_order=desc', 3],
    ['one action', 'filter[action]=update', 2],
    ['two actions, oldest first', 'filter[action][]=create&filter[action][]=destroy&sort_by=created_at&sort_order=asc', 2],
    ['one actor', `filter[actor_id]=${OTHER_ACTOR}`, 2],
    ['one source type', 'filter[source_type]=user', 2],
    ['an address and an action', 'filter[ip_address]=127.0.0.1&filter[action]=update', 2],
    ['a year, oldest first', 'filter[created_at]=2026-01-01T00:00:00Z&filter[created_at]=2026-12-31T23:59:59Z&sort_by=created_at&sort_order=asc', 3],
  ])('%s (?%s) by per_page=%i: forward and back, the cursor listing, each entry once; count is its length', async (_name, query, perPage) => {
    const expected = await cursorAll(query);
    expect(expected.length).toBeGreaterThan(perPage);
    const { pages, forward, backward } = await walk(query, perPage);
    expect(idsOf(forward)).toEqual(idsOf(expected));
    expect(forward).toEqual(expected);
    expect(backward).toEqual(expected);
    expect(pages).toHaveLength(Math.ceil(expected.length / perPage));
    for (const page of pages) expect(page.count).toBe(expected.length);
    for (const page of pages.slice(0, -1)) expect(page.audit_logs).toHaveLength(perPage);
  });

  test('a page of a filter is the slice of its cursor listing: filter[action]=update, pages 1 to 3 of 2', async () => {
    const updates = await cursorAll('filter[action]=update');
    for (const page of [1, 2, 3]) {
      const response = await get<OffsetList>(`filter[action]=update&page=${page}&per_page=2`);
      expect([page, response.json.audit_logs]).toEqual([page, updates.slice((page - 1) * 2, page * 2)]);
      expect(response.json.count).toBe(updates.length);
    }
  });

  test('per_page defaults to 100 and page to 1; the last page reachable by offset answers 200', async () => {
    const whole = await get<OffsetList>('page=1');
    expect(whole.json).toEqual({ audit_logs: all, next_page: null, previous_page: null, count: all.length });
    expect((await get<OffsetList>('per_page=100')).json).toEqual(whole.json);
    const last = await get<OffsetList>('page=10000&per_page=1');
    expect(last.status).toBe(200);
    expect(last.json).toEqual({ audit_logs: [], next_page: null, previous_page: `${stack.baseUrl}${PATH}?page=9999&per_page=1`, count: all.length });
  });

  test.each([
    ['page=101&per_page=100', 'the 10,001st record'],
    ['page=10001&per_page=1', 'the 10,001st record'],
    ['page=201&per_page=50&filter[action]=update', 'past the bound, filtered'],
  ])('?%s (%s) is a 400 that says to use cursor pagination', async (query) => {
    const response = await get<{ error: string; description: string }>(query);
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('BadRequest');
    expect(response.json.description).toMatch(/10000/);
    expect(response.json.description).toMatch(/cursor pagination/i);
    expect(response.json.description).toContain('page[size]');
  });

  test.each([
    ['per_page over 100', 'per_page=101'],
    ['per_page 0', 'per_page=0'],
    ['page 0', 'page=0'],
    ['a page that is not a number', 'page=abc'],
    ['a negative page', 'page=-1'],
    ['a fractional per_page', 'per_page=2.5'],
    ['page given twice', 'page=1&page=2'],
    ['page with page[size]', 'page=1&page[size]=5'],
    ['per_page with page[after]', 'per_page=5&page[after]=AFTER'],
    ['page with page[before]', 'page=2&page[before]=AFTER'],
    ['sort with sort_by', 'sort=created_at&sort_by=created_at'],
    ['sort with sort_order', 'sort=-created_at&sort_order=desc'],
    ['sort_by another field', 'sort_by=updated_at'],
    ['sort_order neither asc nor desc', 'sort_by=created_at&sort_order=up'],
    ['filter[created_at] once', 'filter[created_at]=2026-01-01T00:00:00Z'],
    ['filter[created_at] three times', 'filter[created_at]=2026-01-01T00:00:00Z&filter[created_at]=2026-06-01T00:00:00Z&filter[created_at]=2026-12-31T23:59:59Z'],
    [
      'filter[created_at] in both forms',
      'filter[created_at]=2026-01-01T00:00:00Z&filter[created_at]=2026-12-31T23:59:59Z&filter[created_at][]=2026-01-01T00:00:00Z&filter[created_at][]=2026-12-31T23:59:59Z',
    ],
    ['filter[created_at] start after end', 'filter[created_at]=2026-12-31T00:00:00Z&filter[created_at]=2026-01-01T00:00:00Z'],
  ])('%s is a 400', async (_name, query) => {
    const after = (await get<CursorList>('page[size]=1')).json.meta.after_cursor!;
    const response = await get<{ error: string; description: string }>(query.replace('AFTER', after));
    expect([query, response.status, response.json.error]).toEqual([query, 400, 'BadRequest']);
  });
});
