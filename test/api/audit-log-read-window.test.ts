// A combination of audit-log filters whose matches are sparse in a long history (2,500 entries of one actor,
// 4 of them destroys): a cursor page reads at most the read window (AUDIT_READ_WINDOW items) and, when the
// window runs out first, comes back short, even empty, with `hasMore` and `resumeAt`. Following the cursors
// (the store's `resumeAt`, the API's `links.next` / `links.prev`) yields exactly the matches, each once and
// in order, in both sort orders and walking back; and no page reads more than the window and a page.
import { AUDIT_READ_WINDOW } from '../../shared/store/audit-query';
import type { AuditEntry } from '../../shared/domain/model';
import type { AuditQuery, Page } from '../../shared/domain/store';
import { getServices } from '../../shared/runtime/services';
import { provisionAccount, request, startApiStack, type ApiStack, type ProvisionedAccount } from '../support/api-stack';
import { countReads, historicEntry, HISTORY_START, writeAuditHistory, type ReadCounter } from '../support/audit-history';
import { matchesFilter } from '../support/audit-log-paging';
import { accountPartition } from '../support/tables';

const ACCOUNT = 'window';
const ACTOR = 4242;
const SOURCE_ID = '777';
const MINUTE = 60_000;
const HISTORY = 2500;
/** The destroys among the actor's entries: two near each end of the history, none in the middle 2,000. */
const DESTROYS = new Set([100, 201, 2400, 2451]);
/** What one page may read: the window, plus one page of items (100 and the one that tells whether more follow). */
const PAGE_READ_BOUND = AUDIT_READ_WINDOW + 101;

/** Entry i of the actor's history: a minute apart, alternately on a token and a user with the same id. */
const history: AuditEntry[] = Array.from({ length: HISTORY }, (_, i) =>
  historicEntry(ACCOUNT, HISTORY_START + i * MINUTE, {
    action: DESTROYS.has(i) ? 'destroy' : 'update',
    actorId: ACTOR,
    actorName: 'Ada',
    actorApiTokenId: 55,
    sourceType: i % 2 === 0 ? 'api_token' : 'user',
    sourceId: SOURCE_ID,
    ipAddress: '198.51.100.7',
  }),
);
/** Another actor's destroys of another token, between the actor's entries: what the action filter alone also finds. */
const decoys: AuditEntry[] = Array.from({ length: 100 }, (_, j) =>
  historicEntry(ACCOUNT, HISTORY_START + j * 25 * MINUTE + 30_000, { action: 'destroy', actorId: 5151, actorName: 'Bob', sourceId: '888' }),
);

type Filters = Omit<AuditQuery, 'page' | 'now'>;
type Order = 'asc' | 'desc';

let stack: ApiStack;
let account: ProvisionedAccount;
let stored: AuditEntry[];
let storeReads: ReadCounter;
let apiReads: ReadCounter;
const now = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  stack = await startApiStack();
  account = await provisionAccount(stack, ACCOUNT);
  await writeAuditHistory(stack.table, [...history, ...decoys]);
  stored = (await accountPartition(stack.table, ACCOUNT)).audits;
  storeReads = countReads(stack.table.documentClient, 'countStoreReads');
  apiReads = countReads(getServices().documentClient, 'countApiReads');
}, 60_000);

afterAll(async () => {
  storeReads.detach();
  apiReads.detach();
  await stack.close();
});

/** The brute-force answer: every stored entry of the account that matches, in order. */
function matching(filters: Filters, order: Order): number[] {
  const ids = stored.filter((entry) => matchesFilter(entry, filters, now)).map((entry) => entry.auditId);
  ids.sort((a, b) => (order === 'asc' ? a - b : b - a));
  return ids;
}

interface Walk {
  ids: number[];
  pages: Page<AuditEntry>[];
  /** Items each page read (before the filter). */
  reads: number[];
}

/**
 * Pages through the store from one end: forward with `after`, or back from the far end with `before`,
 * continuing from `resumeAt` when a page ended early and from its last (first) item otherwise.
 */
async function walkStore(filters: Filters, order: Order, size: number, direction: 'after' | 'before'): Promise<Walk> {
  const walk: Walk = { ids: [], pages: [], reads: [] };
  // Going back starts beyond the last entry in the listing's order.
  let cursor: number | undefined = direction === 'after' ? undefined : order === 'asc' ? Number.MAX_SAFE_INTEGER : 1;
  for (;;) {
    storeReads.reset();
    const page = await stack.table.store.listAuditEntries(ACCOUNT, { ...filters, now, page: { size, order, ...(cursor === undefined ? {} : { [direction]: cursor }) } });
    walk.pages.push(page);
    walk.reads.push(storeReads.scanned);
    const ids = page.items.map((entry) => entry.auditId);
    walk.ids = direction === 'after' ? [...walk.ids, ...ids] : [...ids, ...walk.ids];
    if (!page.hasMore) return walk;
    cursor = page.resumeAt ?? (direction === 'after' ? ids[ids.length - 1] : ids[0]);
    if (walk.pages.length > 50) throw new Error('the walk does not end');
  }
}

const QUERIES: [string, Filters][] = [
  ['one actor and one action (the actor index, the action filtered)', { actorId: ACTOR, actions: ['destroy'] }],
  ['one source id under every type and one action (four partitions merged)', { sourceId: SOURCE_ID, actions: ['destroy'] }],
  ['one source, one actor, one action', { source: { type: 'api_token', id: SOURCE_ID }, actorId: ACTOR, actions: ['destroy'] }],
  [
    'one actor and one action within a time range',
    { actorId: ACTOR, actions: ['destroy'], createdFrom: HISTORY_START + 150 * MINUTE, createdTo: HISTORY_START + 2420 * MINUTE },
  ],
];

describe.each(QUERIES)('the store, %s', (_name, filters) => {
  test.each<[Order, number]>([
    ['desc', 5],
    ['asc', 5],
    ['desc', 1],
    ['asc', 2],
  ])('sorted %s in pages of %i: forward and back, exactly the matches, once each, in order', async (order, size) => {
    const expected = matching(filters, order);
    expect(expected.length).toBeGreaterThan(0);
    for (const direction of ['after', 'before'] as const) {
      const walk = await walkStore(filters, order, size, direction);
      expect([direction, walk.ids]).toEqual([direction, expected]);
      for (const page of walk.pages) expect(page.items.length).toBeLessThanOrEqual(size);
      expect(Math.max(...walk.reads)).toBeLessThanOrEqual(PAGE_READ_BOUND);
    }
  });
});

test('a page whose window runs out comes back short, or empty, with hasMore and where to resume', async () => {
  for (const order of ['desc', 'asc'] as const) {
    const walk = await walkStore({ actorId: ACTOR, actions: ['destroy'] }, order, 5, 'after');
    // 2,500 entries of the actor, read a window at a time: the two destroys at one end, the 2,000 entries
    // without any, then the two at the other end.
    expect(walk.pages.map((page) => [page.items.length, page.hasMore, page.resumeAt !== undefined])).toEqual([
      [2, true, true],
      [0, true, true],
      [2, false, false],
    ]);
    expect(walk.reads.slice(0, 2)).toEqual([AUDIT_READ_WINDOW, AUDIT_READ_WINDOW]);
  }
});

describe('through the API', () => {
  interface AuditLogList {
    audit_logs: { id: number }[];
    meta: { has_more: boolean };
    links: { next: string | null; prev: string | null };
  }
  const pathOf = (url: string) => url.slice(stack.baseUrl.length);

  /**
   * Follows `links.next` while `meta.has_more`, then `links.prev` from the last page back to the start, then
   * `links.next` again from there: the ids each way, in the listing's order.
   */
  async function walkApi(query: string) {
    const pages: { entries: number[]; hasMore: boolean; reads: number }[] = [];
    const get = async (path: string) => {
      apiReads.reset();
      const response = await request<AuditLogList>(stack, 'GET', path, { auth: account.adminAuth });
      expect([path, response.status]).toEqual([path, 200]);
      pages.push({ entries: response.json.audit_logs.map((entry) => entry.id), hasMore: response.json.meta.has_more, reads: apiReads.scanned });
      return response.json;
    };
    const idsOf = (page: AuditLogList) => page.audit_logs.map((entry) => entry.id);
    let page = await get(`/api/v2/audit_logs.json?${query}`);
    const forward = idsOf(page);
    while (page.meta.has_more) {
      page = await get(pathOf(page.links.next!));
      forward.push(...idsOf(page));
    }
    const backward = idsOf(page);
    while (page.links.prev) {
      page = await get(pathOf(page.links.prev));
      backward.unshift(...idsOf(page));
    }
    const again = idsOf(page);
    while (page.links.next) {
      page = await get(pathOf(page.links.next));
      again.push(...idsOf(page));
    }
    return { forward, backward, again, pages };
  }

  const actorsDestroys: Filters = { actorId: ACTOR, actions: ['destroy'] };
  const at = (i: number) => new Date(HISTORY_START + i * MINUTE).toISOString();
  test.each<[string, string, Filters, Order, number]>([
    ['newest first', `filter[actor_id]=${ACTOR}&filter[action]=destroy`, actorsDestroys, 'desc', 5],
    ['oldest first', `filter[actor_id]=${ACTOR}&filter[action]=destroy&sort_by=created_at&sort_order=asc`, actorsDestroys, 'asc', 5],
    ['four partitions merged', `filter[source_id]=${SOURCE_ID}&filter[action][]=destroy`, { sourceId: SOURCE_ID, actions: ['destroy'] }, 'desc', 2],
    // 2,000 of the actor's entries in range: the second window ends exactly at the last of them, and the
    // walk ends on an empty page that must still lead back (and, walking back, forward again).
    [
      'windows ending exactly at both ends',
      `filter[actor_id]=${ACTOR}&filter[action]=destroy&filter[created_at]=${at(500)}&filter[created_at]=${at(2499)}`,
      { ...actorsDestroys, createdFrom: HISTORY_START + 500 * MINUTE, createdTo: HISTORY_START + 2499 * MINUTE + 999 },
      'desc',
      5,
    ],
  ])('%s: links.next while has_more, links.prev back and links.next again yield exactly the matches', async (_name, query, filters, order, size) => {
    const expected = matching(filters, order);
    const { forward, backward, again, pages } = await walkApi(`${query}&page[size]=${size}`);
    expect(forward).toEqual(expected);
    expect(backward).toEqual(expected);
    expect(again).toEqual(expected);
    // Some page ended early: fewer entries than asked for, and more to come.
    expect(pages.some((page) => page.hasMore && page.entries.length < size)).toBe(true);
    // Some page read a whole window (the counter counts), and none more than the bound.
    const reads = pages.map((page) => page.reads);
    expect(Math.max(...reads)).toBeGreaterThanOrEqual(AUDIT_READ_WINDOW);
    expect(Math.max(...reads)).toBeLessThanOrEqual(PAGE_READ_BOUND);
  });
});
