// Audit-log filters and cursor pages against the real engine (DynamoDB Local), checked against a brute force
// over the full unfiltered listing: each filter alone and every meaningful pair of them, both orders, small
// pages; walked forward to the end, back from the end, and from a cursor in the middle. Then the same while
// entries are being written, through the HTTP API, and under audit retention and TTL. A control proves the
// checks fail on a skipped, duplicated or reordered entry, and pass on short or empty pages that say there
// is more (a listing may stop early and give the position to continue from).
//
// The fixture is drawn from a fixed seed, so that every filter and pair finds something; every failure names
// the seed, and AUDIT_FIXTURE_SEED=<seed> draws another fixture.
import { AuditLogService } from '../../shared/domain/audit-log-service';
import type { AuditEntry } from '../../shared/domain/model';
import type { Page, PageRequest } from '../../shared/domain/store';
import { presentAuditLog, type AuditLogJson } from '../../shared/http/presenters';
import { OPERATOR, provisionAccount, request, startApiStack, tokenIdOf, type ApiStack, type ProvisionedAccount } from '../support/api-stack';
import {
  auditFixture,
  bruteForce,
  differences,
  endOf,
  FIXTURE_ACTORS,
  FIXTURE_IPS,
  fixtureEntry,
  matchesFilter,
  msOfId,
  putAuditEntry,
  walkPages,
  type AuditFilter,
  type ListPage,
  type Order,
  type Travel,
} from '../support/audit-log-paging';
import { seededRandom } from '../../bench/seeded-random';
import { writeAuditHistory } from '../support/audit-history';

const SEED = Number(process.env.AUDIT_FIXTURE_SEED ?? 20_260_101);
const DAY_MS = 86_400_000;
const RETENTION_DAYS = 30;
const ORDERS: Order[] = ['asc', 'desc'];
const ACCOUNT = 'filters';
const [ADA_TOKEN] = FIXTURE_ACTORS.ada.tokens as [number];

let stack: ApiStack;
let owner: ProvisionedAccount;
/** The services' clock: entries are spread over the 60 days before it. */
let now: number;
let nowSeconds: number;
/** Every entry of the account, as written: the provisioning's own and the fixture's. */
let stored: AuditEntry[];
/** Millisecond bounds of the created_at range: each holds several entries, so both bounds are inclusive tests. */
let rangeFrom: number;
let rangeTo: number;

beforeAll(async () => {
  stack = await startApiStack();
  owner = await provisionAccount(stack, ACCOUNT);
  now = Date.now();
  nowSeconds = Math.floor(now / 1000);
  const provisioned = (await stack.table.store.listAuditEntries(ACCOUNT, { page: {}, now: nowSeconds })).items;
  rangeFrom = now - 40 * DAY_MS;
  rangeTo = now - 20 * DAY_MS;
  const retainedFrom = now - RETENTION_DAYS * DAY_MS;
  const fixture = auditFixture({
    accountId: ACCOUNT,
    seed: SEED,
    count: 200,
    now,
    spanDays: 60,
    // Two entries at the range's first millisecond, five at its last, and one on each side of the retention's edge.
    pinnedMs: [rangeFrom, rangeFrom, ...Array<number>(5).fill(rangeTo), retainedFrom, retainedFrom - 1],
    taken: new Set(provisioned.map((entry) => entry.auditId)),
  });
  await writeAuditHistory(stack.table, fixture);
  stored = [...provisioned, ...fixture];
}, 60_000);

afterAll(() => stack.close());

const seeded = (label: string) => `${label} (AUDIT_FIXTURE_SEED=${SEED})`;
const idsOf = (entries: readonly AuditEntry[]) => entries.map((entry) => entry.auditId);
const storeListing =
  (filter: AuditFilter, accountId = ACCOUNT): ListPage =>
  (page) =>
    stack.table.store.listAuditEntries(accountId, { ...filter, page, now: nowSeconds });

/** A walk must meet exactly `expected`, in the order met: each entry once, none skipped, none added, in order, as stored. */
function expectWalk(label: string, walked: readonly AuditEntry[], expected: readonly AuditEntry[]) {
  const walk = seeded(label);
  expect({ walk, problems: differences(idsOf(walked), idsOf(expected)) }).toEqual({ walk, problems: [] });
  expect({ walk, entries: walked }).toEqual({ walk, entries: expected });
}

/**
 * `start`: forward from the start; `end`: back from the end; `middle`: forward and back from a cursor in the
 * middle that the filter keeps, `middle-unmatched` from one it does not keep; `near-ends`: forward to the end
 * from a few entries before it and back to the start from a few entries after it (for pages of 1).
 */
type WalkKind = 'start' | 'end' | 'middle' | 'middle-unmatched' | 'near-ends';
const NEAR = 8;

/**
 * Small pages: 7 entries, or 20 when the filter keeps more than 70. Today's store reads every entry left in
 * the partition for each page, so a walk's cost grows with the square of its length; 20 keeps broad filters
 * at about the page count of narrow ones.
 */
const SMALL = 'small';

/** Walks `list` as `kinds` say, side by side, and compares each walk with the brute force of `entries`. */
async function checkWalks(label: string, list: ListPage, entries: readonly AuditEntry[], filter: AuditFilter, order: Order, pageSize: number | typeof SMALL, kinds: readonly WalkKind[]) {
  const expected = bruteForce(entries, filter, order, nowSeconds);
  const size = pageSize === SMALL ? (expected.length > 70 ? 20 : 7) : pageSize;
  const after = (cursor: number) => expected.filter((entry) => (order === 'asc' ? entry.auditId > cursor : entry.auditId < cursor));
  const before = (cursor: number) => expected.filter((entry) => (order === 'asc' ? entry.auditId < cursor : entry.auditId > cursor)).reverse();
  const walk = async (what: string, travel: Travel, from: number | undefined, want: AuditEntry[]) => {
    const walked = await walkPages(list, { order, size, travel, ...(from === undefined ? {} : { from }) });
    expectWalk(`${label} ${order} size ${size} ${what}${from === undefined ? '' : ` ${from}`}`, walked.entries, want);
  };
  const walks = kinds.flatMap((kind) => {
    if (kind === 'start') return [walk('forward from the start', 'after', undefined, expected)];
    if (kind === 'end') return [walk('back from the end', 'before', endOf(order), [...expected].reverse())];
    const middleOf = (pool: readonly AuditEntry[]) => pool[Math.floor(pool.length / 2)]?.auditId;
    const unmatched = () => bruteForce(entries, {}, order, nowSeconds).filter((entry) => !matchesFilter(entry, filter, nowSeconds));
    // Where the forward and the backward walk start; undefined: the start, or the end.
    const [forwardFrom, backFrom] =
      kind === 'near-ends' ? [expected[expected.length - 1 - NEAR]?.auditId, expected[NEAR]?.auditId] : Array<number | undefined>(2).fill(middleOf(kind === 'middle' ? expected : unmatched()));
    if (kind !== 'near-ends' && forwardFrom === undefined) return [];
    return [
      walk('forward from', 'after', forwardFrom, forwardFrom === undefined ? expected : after(forwardFrom)),
      walk('back from', 'before', backFrom ?? endOf(order), before(backFrom ?? endOf(order))),
    ];
  });
  await Promise.all(walks);
  return expected;
}

/** The filters paired below: one of each kind. */
const PAIRABLE: Record<string, () => AuditFilter> = {
  actorId: () => ({ actorId: FIXTURE_ACTORS.ada.id }),
  actorApiTokenId: () => ({ actorApiTokenId: ADA_TOKEN }),
  action: () => ({ actions: ['destroy'] }),
  actions: () => ({ actions: ['create', 'destroy'] }),
  ipAddress: () => ({ ipAddress: FIXTURE_IPS[0] }),
  sourceType: () => ({ sourceType: 'account_settings' }),
  sourceId: () => ({ sourceId: ACCOUNT }),
  source: () => ({ source: { type: 'api_token', id: String(ADA_TOKEN) } }),
  createdAt: () => ({ createdFrom: rangeFrom, createdTo: rangeTo }),
};

/** Each alone, with other values of the same filters. */
const SINGLES: Record<string, () => AuditFilter> = {
  none: () => ({}),
  ...PAIRABLE,
  'actorId operator': () => ({ actorId: -1 }),
  'actorId of nobody': () => ({ actorId: 42 }),
  'ipAddress v6': () => ({ ipAddress: FIXTURE_IPS[2] }),
  'source account': () => ({ source: { type: 'account', id: ACCOUNT } }),
  'createdFrom alone': () => ({ createdFrom: now - 10 * DAY_MS }),
  'createdTo alone': () => ({ createdTo: now - 50 * DAY_MS }),
  'one millisecond': () => ({ createdFrom: rangeTo, createdTo: rangeTo }),
  'created in the future': () => ({ createdFrom: now + DAY_MS, createdTo: now + 2 * DAY_MS }),
};
const EMPTY_SINGLES = ['actorId of nobody', 'created in the future'];

/** Pairs that say something: not two values of one attribute, nor a source with its own type or id. */
const UNPAIRED = new Set(['action+actions', 'sourceType+source', 'sourceId+source']);
const PAIRS = Object.keys(PAIRABLE)
  .flatMap((first, index) => Object.keys(PAIRABLE).slice(index + 1).map((second) => [first, second] as const))
  .filter(([first, second]) => !UNPAIRED.has(`${first}+${second}`));
const pairFilter = (first: string, second: string): AuditFilter => ({ ...PAIRABLE[first]!(), ...PAIRABLE[second]!() });

/** Runs `tasks` a few at a time: DynamoDB Local shares two cores with the test. */
async function fewAtATime(tasks: (() => Promise<unknown>)[], width = 3): Promise<void> {
  const queue = [...tasks];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await task();
  }));
}

test('the unfiltered listing is every entry written, less those past their TTL, in id order', async () => {
  const expired = stored.filter((entry) => entry.expiresAt !== undefined && entry.expiresAt <= nowSeconds);
  expect(expired.length).toBeGreaterThan(0);
  for (const order of ORDERS) {
    const listed = (await storeListing({})({ order })).items;
    expectWalk(`unfiltered ${order}`, listed, bruteForce(stored, {}, order, nowSeconds));
    expect(listed).toHaveLength(stored.length - expired.length);
  }
  // The fixture gives every filter something to find, and something to leave out.
  for (const [name, filter] of Object.entries(SINGLES)) {
    const found = bruteForce(stored, filter(), 'asc', nowSeconds).length;
    const expectedFound = EMPTY_SINGLES.includes(name) ? 'none' : name === 'none' ? 'all' : 'some';
    expect([name, found === 0 ? 'none' : found === stored.length - expired.length ? 'all' : 'some']).toEqual([name, expectedFound]);
  }
  for (const [first, second] of PAIRS) expect([first, second, bruteForce(stored, pairFilter(first, second), 'asc', nowSeconds).length > 0]).toEqual([first, second, true]);
});

describe('each filter alone, both orders: small pages (from the start, from the end, from the middle), pages of 100, and of 1 (to each end)', () => {
  test.each(Object.keys(SINGLES))('%s', async (name) => {
    const filter = SINGLES[name]!();
    const list = storeListing(filter);
    await Promise.all(
      ORDERS.map(async (order) => {
        await checkWalks(name, list, stored, filter, order, SMALL, ['start', 'end', order === 'asc' ? 'middle' : 'middle-unmatched']);
        await checkWalks(name, list, stored, filter, order, 100, ['start', 'end']);
        await checkWalks(name, list, stored, filter, order, 1, ['near-ends']);
      }),
    );
  });
});

describe('every meaningful pair of filters, both orders: small pages', () => {
  test.each(PAIRS)('%s + %s', async (first, second) => {
    const filter = pairFilter(first, second);
    await Promise.all(ORDERS.map((order) => checkWalks(`${first}+${second}`, storeListing(filter), stored, filter, order, SMALL, order === 'asc' ? ['start', 'end'] : ['start', 'middle'])));
  });
});

describe('the checks can fail', () => {
  const filter = (): AuditFilter => ({ actions: ['create', 'destroy'] });
  /** The store's listing with its third answer changed by `tamper`. */
  const tamperedThird = (tamper: (page: Page<AuditEntry>) => Page<AuditEntry>): ListPage => {
    let calls = 0;
    return async (page) => {
      const answer = await storeListing(filter())(page);
      calls += 1;
      return calls === 3 ? tamper(answer) : answer;
    };
  };
  const atMiddle = (page: Page<AuditEntry>, change: (items: AuditEntry[], middle: number) => AuditEntry[]) => ({ ...page, items: change([...page.items], 3) });

  test.each([
    ['an entry skipped', (page: Page<AuditEntry>) => atMiddle(page, (items, middle) => [...items.slice(0, middle), ...items.slice(middle + 1)])],
    ['an entry repeated', (page: Page<AuditEntry>) => atMiddle(page, (items, middle) => [...items.slice(0, middle), items[middle - 1]!, ...items.slice(middle, -1)])],
    ['two entries swapped', (page: Page<AuditEntry>) => atMiddle(page, (items, middle) => [...items.slice(0, middle), items[middle + 1]!, items[middle]!, ...items.slice(middle + 2)])],
    ['the end announced early', (page: Page<AuditEntry>) => ({ ...page, hasMore: false })],
    ['an entry the filter does not keep', (page: Page<AuditEntry>) => atMiddle(page, (items, middle) => items.map((entry, index) => (index === middle ? { ...entry, action: 'update' as const } : entry)))],
  ])('%s on the third page fails every walk', async (_name, tamper) => {
    for (const kind of ['start', 'end', 'middle'] as const) {
      await expect(checkWalks('tampered', tamperedThird(tamper), stored, filter(), 'desc', 7, [kind])).rejects.toThrow();
    }
  });

  test('short and empty pages that say there is more, with a position to continue from, pass', async () => {
    // A listing that evaluates at most 20 entries per request: a page holds what those kept, maybe nothing.
    let emptyWithMore = 0;
    const windowed =
      (windowFilter: AuditFilter): ListPage =>
      async (page) => {
        const travel: Travel = page.before === undefined ? 'after' : 'before';
        const window = await storeListing({})({ ...page, size: 20 });
        const evaluated = travel === 'after' ? window.items : [...window.items].reverse();
        const kept: AuditEntry[] = [];
        let resumeAt: number | undefined;
        for (const entry of evaluated) {
          if (kept.length === page.size) break;
          resumeAt = entry.auditId;
          if (matchesFilter(entry, windowFilter, nowSeconds)) kept.push(entry);
        }
        const hasMore = window.hasMore || kept.length < evaluated.length;
        if (kept.length === 0 && hasMore) emptyWithMore += 1;
        return { items: travel === 'after' ? kept : kept.reverse(), hasMore, ...(resumeAt === undefined ? {} : { resumeAt }) };
      };
    const selective = pairFilter('ipAddress', 'action');
    await Promise.all(ORDERS.map((order) => checkWalks('windowed', windowed(selective), stored, selective, order, 3, ['start', 'end'])));
    expect(emptyWithMore).toBeGreaterThan(0);
  });
});

describe('retention and TTL', () => {
  const retainedFrom = () => now - RETENTION_DAYS * DAY_MS;
  const serviceListing = (filter: AuditFilter): ListPage => {
    const service = new AuditLogService(stack.table.store, { auditRetentionDays: RETENTION_DAYS, clock: () => new Date(now) });
    return (page) => service.list(ACCOUNT, { ...filter, page });
  };
  const allFilters = (): [string, AuditFilter][] => [
    ...Object.entries(SINGLES).map(([name, filter]): [string, AuditFilter] => [name, filter()]),
    ...PAIRS.map(([first, second]): [string, AuditFilter] => [`${first}+${second}`, pairFilter(first, second)]),
  ];

  test('with retention, entries older than it never appear, under any filter or pair; its first millisecond is kept', async () => {
    const kept = stored.filter((entry) => Date.parse(entry.createdAt) >= retainedFrom());
    expect(kept.length).toBeLessThan(stored.length - 50);
    const unfiltered = idsOf((await serviceListing({})({ order: 'asc' })).items);
    const atEdge = (ms: number) => idsOf(stored.filter((entry) => msOfId(entry.auditId) === ms));
    expect(unfiltered).toEqual(expect.arrayContaining(atEdge(retainedFrom())));
    for (const id of atEdge(retainedFrom() - 1)) expect(unfiltered).not.toContain(id);

    const singles: [string, AuditFilter][] = [
      ...Object.entries(SINGLES).map(([name, filter]): [string, AuditFilter] => [name, filter()]),
      ['created from before the retention', { createdFrom: now - 50 * DAY_MS, createdTo: now - 25 * DAY_MS }],
      ['created until before the retention', { createdFrom: now - 50 * DAY_MS, createdTo: retainedFrom() - 1 }],
    ];
    const pairs = PAIRS.map(([first, second]): [string, AuditFilter] => [`${first}+${second}`, pairFilter(first, second)]);
    await fewAtATime([
      ...singles.flatMap(([name, filter]) => ORDERS.map((order) => () => checkWalks(`retained ${name}`, serviceListing(filter), kept, filter, order, SMALL, ['start']))),
      ...pairs.map(([name, filter], index) => () => checkWalks(`retained ${name}`, serviceListing(filter), kept, filter, ORDERS[index % 2]!, SMALL, ['start'])),
    ]);
  }, 60_000);

  test('an entry whose TTL is now or past is gone under every filter and pair; one a second ahead is listed', async () => {
    const accountId = 'ttl';
    const random = seededRandom(SEED + 1);
    const entries = Array.from({ length: 80 }, (_, index) => ({
      ...fixtureEntry(accountId, (now - (index + 1) * 60_000) * 1000 + index, random, nowSeconds),
      expiresAt: nowSeconds + (index % 4) - 1,
    }));
    await writeAuditHistory(stack.table, entries);
    expect(bruteForce(entries, {}, 'asc', nowSeconds)).toHaveLength(40);
    await fewAtATime(allFilters().map(([name, filter]) => () => checkWalks(`ttl ${name}`, storeListing(filter, accountId), entries, filter, 'desc', 7, ['start'])));
  }, 60_000);
});

describe('paging while entries are written', () => {
  const accountId = 'busy';
  let busy: ProvisionedAccount;

  beforeAll(async () => {
    busy = await provisionAccount(stack, accountId);
    await writeAuditHistory(stack.table, auditFixture({ accountId, seed: SEED + 2, count: 120, now, spanDays: 60 }));
  });

  const CASES: [string, () => AuditFilter][] = [
    ['unfiltered', () => ({})],
    ['actions', () => ({ actions: ['update', 'destroy'] })],
    ['source', () => ({ source: { type: 'api_token', id: String(ADA_TOKEN) } })],
    ['actorId+ipAddress', () => ({ actorId: FIXTURE_ACTORS.ada.id, ipAddress: FIXTURE_IPS[0] })],
  ];
  // Each case in both orders and both directions of travel, as two walks.
  const walks = CASES.flatMap(([name, filter], index) =>
    ORDERS.map((order, orderIndex) => [name, order, (index + orderIndex) % 2 === 0 ? 'after' : 'before', filter] as const),
  );

  test.each(walks)('%s %s going %s: each entry there at the start once, in order; new ones at most once, in order', async (name, order, travel, filter) => {
    const all = async () => (await storeListing({}, accountId)({ order })).items;
    const atStart = await all();
    const taken = new Set(idsOf(atStart));
    const written = { ahead: 0, behind: 0, racing: 0 };
    const random = seededRandom(SEED + 3);
    let lastMet: AuditEntry | undefined;

    // Before each page: a copy of the last entry met (so that the filter keeps it) just ahead of the cursor,
    // which may be listed, and one just behind it, which must not be.
    const ahead = (order === 'asc') === (travel === 'after') ? 1 : -1;
    const copyAt = async (id: number, kind: 'ahead' | 'behind') => {
      if (!lastMet || taken.has(id)) return;
      taken.add(id);
      const copy: AuditEntry = { ...lastMet, auditId: id, createdAt: new Date(msOfId(id)).toISOString(), userAgent: 'racing writer' };
      delete copy.expiresAt;
      if (await putAuditEntry(stack.table, copy)) written[kind] += 1;
    };
    // And one more written while the page is being read: through the product (the newest entry), or anywhere in the past.
    let racing: Promise<void> = Promise.resolve();
    const race = async (round: number) => {
      if (round % 2 === 0) await stack.tokens.update({ ...OPERATOR, accountId }, tokenIdOf(busy.token), { description: `${name} ${order} ${round}` });
      else {
        const id = (now - Math.floor(random() * 60 * DAY_MS)) * 1000 + Math.floor(random() * 1000);
        if (taken.has(id) || !(await putAuditEntry(stack.table, fixtureEntry(accountId, id, random, nowSeconds)))) return;
        taken.add(id);
      }
      written.racing += 1;
    };
    let round = 0;
    const beforeRequest = async (cursor: number) => {
      await racing;
      await copyAt(cursor + ahead, 'ahead');
      await copyAt(cursor - ahead, 'behind');
      racing = race((round += 1));
    };
    const list: ListPage = async (page: PageRequest) => {
      const answer = await storeListing(filter(), accountId)(page);
      const met = travel === 'after' ? answer.items : [...answer.items].reverse();
      lastMet = met[met.length - 1] ?? lastMet;
      return answer;
    };
    let met: AuditEntry[];
    let requests: number;
    try {
      // walkPages itself fails on an entry met twice or out of order.
      const size = name === 'unfiltered' || name === 'actions' ? 7 : 3;
      ({ entries: met, requests } = await walkPages(list, { order, size, travel, beforeRequest, ...(travel === 'before' ? { from: endOf(order) } : {}) }));
    } finally {
      await racing;
    }
    const label = seeded(`${name} ${order} going ${travel}`);
    const metIds = new Set(idsOf(met));
    const missing = idsOf(bruteForce(atStart, filter(), order, nowSeconds)).filter((id) => !metIds.has(id));
    expect({ label, missing }).toEqual({ label, missing: [] });
    // Whatever else was met exists now and is kept by the filter.
    const keptNow = new Set(idsOf(bruteForce(await all(), filter(), order, nowSeconds)));
    expect({ label, invented: idsOf(met).filter((id) => !keptNow.has(id)) }).toEqual({ label, invented: [] });
    // The race did happen: entries were written around the cursor and elsewhere while the walk went on.
    const raced = [written.ahead, written.behind, written.racing].every((count) => count > 0);
    expect({ label, pages: requests > 3, raced }).toEqual({ label, pages: true, raced: true });
  });
});

describe('through the HTTP API', () => {
  interface AuditLogList {
    audit_logs: AuditLogJson[];
    meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null };
    links: { next: string | null; prev: string | null };
  }
  const get = async (path: string) => {
    const response = await request<AuditLogList>(stack, 'GET', path, { auth: owner.adminAuth });
    expect([path, response.status]).toEqual([path, 200]);
    return response.json;
  };
  const pathOf = (url: string) => url.slice(stack.baseUrl.length);
  const iso = (ms: number) => new Date(ms).toISOString();

  const CASES: [string, () => string, () => AuditFilter][] = [
    ['unfiltered', () => '', () => ({})],
    ['an actor', () => `filter[actor_id]=${FIXTURE_ACTORS.ada.id}`, () => ({ actorId: FIXTURE_ACTORS.ada.id })],
    ['two actions', () => 'filter[action][]=create&filter[action][]=destroy', () => ({ actions: ['create', 'destroy'] })],
    ['an IPv6 address', () => `filter[ip_address]=${encodeURIComponent(FIXTURE_IPS[2])}`, () => ({ ipAddress: FIXTURE_IPS[2] })],
    ['one token', () => `filter[source_type]=api_token&filter[source_id]=${ADA_TOKEN}`, () => ({ source: { type: 'api_token', id: String(ADA_TOKEN) } })],
    [
      'a created_at range and an action',
      () => `filter[created_at][]=${iso(rangeFrom)}&filter[created_at][]=${iso(rangeTo)}&filter[action]=update`,
      () => ({ createdFrom: rangeFrom, createdTo: rangeTo, actions: ['update'] }),
    ],
    ['a token and a source type', () => `filter[actor_api_token_id]=${ADA_TOKEN}&filter[source_type]=account_settings`, () => ({ actorApiTokenId: ADA_TOKEN, sourceType: 'account_settings' })],
  ];

  /** Follows `links.next` while `meta.has_more`, then `links.prev` back from the last page that holds entries. */
  async function walkHttp(label: string, firstPath: string, size: number) {
    const pages: AuditLogList[] = [];
    for (let path: string | null = firstPath; path; ) {
      const page = await get(path);
      expect(page.audit_logs.length).toBeLessThanOrEqual(size);
      pages.push(page);
      expect([label, pages.length < stored.length + 10]).toEqual([label, true]);
      if (!page.meta.has_more) break;
      // More to come: a next link, carrying the page's after_cursor.
      expect([label, page.links.next && new URL(page.links.next).searchParams.get('page[after]')]).toEqual([label, page.meta.after_cursor]);
      path = pathOf(page.links.next!);
    }
    const forward = pages.flatMap((page) => page.audit_logs);
    const last = [...pages].reverse().find((page) => page.audit_logs.length > 0);
    const back = [...(last?.audit_logs ?? [])].reverse();
    for (let prev = last?.links.prev ?? null, requests = 0; prev; requests += 1) {
      const page = await get(pathOf(prev));
      back.push(...[...page.audit_logs].reverse());
      expect([label, 'back', requests < stored.length + 10, page.meta.has_more && page.links.prev === null]).toEqual([label, 'back', true, false]);
      prev = page.meta.has_more ? page.links.prev : null;
    }
    return { forward, back };
  }

  test.each(CASES)('%s: links.next to the end, then links.prev back, each entry once and in order', async (name, query, filter) => {
    await Promise.all(
      ORDERS.map(async (order) => {
        const expected = bruteForce(stored, filter(), order, nowSeconds).map((entry) => presentAuditLog(entry, stack.baseUrl));
        // Small pages, about five of them.
        const size = Math.max(7, Math.ceil(expected.length / 5));
        const label = seeded(`${name} ${order} page[size]=${size}`);
        const parameters = [query(), order === 'asc' ? 'sort=created_at' : '', `page[size]=${size}`].filter(Boolean).join('&');
        const { forward, back } = await walkHttp(label, `/api/v2/audit_logs.json?${parameters}`, size);
        expect({ label, forward: differences(forward.map((entry) => entry.id), expected.map((entry) => entry.id)) }).toEqual({ label, forward: [] });
        expect(forward).toEqual(expected);
        expect({ label, back: differences(back.map((entry) => entry.id), expected.map((entry) => entry.id).reverse()) }).toEqual({ label, back: [] });
      }),
    );
  });
});

describe('known defects', () => {
  // The entries of one change get consecutive ids (distinctIds, audit-entries.ts). When the first id would take
  // the last slot of its millisecond (slot 999: one multi-field change in a thousand), the next id must not lie
  // in the following millisecond while its createdAt names the first, or a created_at range that ends at the
  // entry's own created_at would miss it.
  test('both entries of a two-field change are found by a created_at range of their own millisecond', async () => {
    const accountId = 'slots';
    await provisionAccount(stack, accountId);
    const context = { ...OPERATOR, accountId };
    const { apiToken } = await stack.tokens.create(context, 'before');
    const slot = jest.spyOn(jest.requireActual<typeof import('node:crypto')>('node:crypto'), 'randomInt').mockReturnValue(999 as never);
    try {
      await stack.tokens.update(context, apiToken.tokenId, { description: 'after', active: false });
    } finally {
      slot.mockRestore();
    }
    const service = new AuditLogService(stack.table.store);
    const source = { type: 'api_token', id: String(apiToken.tokenId) };
    const updates = (await service.list(accountId, { source, actions: ['update'], page: {} })).items;
    expect(updates).toHaveLength(2);
    expect(new Set(updates.map((entry) => entry.createdAt)).size).toBe(1);
    const at = Date.parse(updates[0]!.createdAt);
    const found = (await service.list(accountId, { source, actions: ['update'], createdFrom: at, createdTo: at, page: {} })).items;
    expect(idsOf(found)).toEqual(idsOf(updates));
  });
});
