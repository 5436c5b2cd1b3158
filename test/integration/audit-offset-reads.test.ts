// Offset pagination's read against DynamoDB Local: the store's listAuditEntriesAtOffset reads at most
// `maxRecords` records in the listing's order and answers the slice at the offset, the matching records it
// counted (`count`) and whether it saw them all (`complete`). Run with a small bound (20 on 30 entries)
// instead of the API's 10,000, for every kind of filter: the table, one index partition, several merged,
// and a combination whose matches are sparse in the partition it reads.
import type { AuditEntry } from '../../shared/domain/model';
import type { AuditOffsetQuery } from '../../shared/domain/store';
import { offsetPage } from '../../shared/http/pagination';
import { historicEntry, HISTORY_START, writeAuditHistory } from '../support/audit-history';
import { matchesFilter } from '../support/audit-log-paging';
import { createTestTable, type TestTable } from '../support/tables';

const ACCOUNT = 'offsets';
const ACTOR = 4242;
const now = Math.floor(Date.now() / 1000);

/**
 * 30 entries a minute apart: destroys at every 5th (6), creates at the other even ones (12), updates at the
 * other odd ones (12); the even ones by ACTOR, the odd ones by the operator. ACTOR's destroys: 0, 10, 20.
 */
const entries: AuditEntry[] = Array.from({ length: 30 }, (_, i) =>
  historicEntry(ACCOUNT, HISTORY_START + i * 60_000, {
    action: i % 5 === 0 ? 'destroy' : i % 2 === 0 ? 'create' : 'update',
    ...(i % 2 === 0 ? { actorId: ACTOR, actorName: 'Ada', actorApiTokenId: 7 } : {}),
  }),
);

type Filters = Omit<AuditOffsetQuery, 'order' | 'offset' | 'limit' | 'maxRecords' | 'now'>;
type Order = 'asc' | 'desc';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
  await writeAuditHistory(table, entries);
});

afterAll(() => table.documentClient.destroy());

/** The listing as its meaning says, from the entries written: ids of the matching entries in order. */
function expected(filters: Filters, order: Order): number[] {
  const ids = entries.filter((entry) => matchesFilter(entry, filters, now)).map((entry) => entry.auditId);
  return order === 'asc' ? ids : ids.reverse();
}

async function atOffset(filters: Filters, order: Order, maxRecords: number, offset = 0, limit = 100) {
  const page = await table.store.listAuditEntriesAtOffset(ACCOUNT, { ...filters, order, offset, limit, maxRecords, now });
  return { ids: page.items.map((entry) => entry.auditId), count: page.count, complete: page.complete };
}

describe.each<Order>(['desc', 'asc'])('sorted %s', (order) => {
  test('30 entries read with a bound of 20: count 20, not complete; each slice is the listing at its offset', async () => {
    const listing = expected({}, order);
    expect(listing).toHaveLength(30);
    expect(await atOffset({}, order, 20)).toEqual({ ids: listing.slice(0, 20), count: 20, complete: false });
    for (const [offset, limit] of [
      [0, 5],
      [5, 5],
      [15, 10],
      [19, 3],
      [20, 5],
    ] as const) {
      expect([offset, limit, await atOffset({}, order, 20, offset, limit)]).toEqual([offset, limit, { ids: listing.slice(offset, Math.min(offset + limit, 20)), count: 20, complete: false }]);
    }
  });

  test.each([
    [29, 29, false],
    [30, 30, true],
    [31, 30, true],
    [100, 30, true],
  ])('with a bound of %i: count %i, complete %s', async (maxRecords, count, complete) => {
    const listing = expected({}, order);
    expect(await atOffset({}, order, maxRecords, 25, 10)).toEqual({ ids: listing.slice(25, Math.min(35, maxRecords)), count, complete });
  });

  test('a filter its index partition answers alone: counted up to the bound, exactly when all fit', async () => {
    const creates = expected({ actions: ['create'] }, order);
    expect(creates).toHaveLength(12);
    expect(await atOffset({ actions: ['create'] }, order, 20)).toEqual({ ids: creates, count: 12, complete: true });
    expect(await atOffset({ actions: ['create'] }, order, 12)).toEqual({ ids: creates, count: 12, complete: true });
    expect(await atOffset({ actions: ['create'] }, order, 10, 8, 5)).toEqual({ ids: creates.slice(8, 10), count: 10, complete: false });
  });

  test('several actions, read from one partition each and merged: the first records of the merged listing', async () => {
    const filters: Filters = { actions: ['create', 'update'] };
    const listing = expected(filters, order);
    expect(listing).toHaveLength(24);
    expect(await atOffset(filters, order, 20)).toEqual({ ids: listing.slice(0, 20), count: 20, complete: false });
    expect(await atOffset(filters, order, 20, 10, 5)).toEqual({ ids: listing.slice(10, 15), count: 20, complete: false });
    expect(await atOffset(filters, order, 24)).toEqual({ ids: listing, count: 24, complete: true });
    expect(await atOffset(filters, order, 30, 20, 10)).toEqual({ ids: listing.slice(20), count: 24, complete: true });
  });

  test('a sparse combination (one actor, one action): the matches among the records read, in order', async () => {
    const filters: Filters = { actorId: ACTOR, actions: ['destroy'] };
    const matches = expected(filters, order);
    expect(matches).toHaveLength(3);
    // ACTOR has 15 entries: a bound of 20 reads them all, and so does a bound of exactly 15.
    expect(await atOffset(filters, order, 20)).toEqual({ ids: matches, count: 3, complete: true });
    expect(await atOffset(filters, order, 15)).toEqual({ ids: matches, count: 3, complete: true });
    expect(await atOffset(filters, order, 20, 1, 1)).toEqual({ ids: [matches[1]], count: 3, complete: true });
    // A smaller bound reads ACTOR's first entries in order and counts the destroys among them (the one read
    // after the bound, to tell whether more follow, is never a destroy here): some, or none, and more unread.
    const actorEntries = expected({ actorId: ACTOR }, order);
    for (const bound of [3, 7]) {
      const within = matches.filter((id) => actorEntries.slice(0, bound).includes(id));
      expect([bound, await atOffset(filters, order, bound)]).toEqual([bound, { ids: within, count: within.length, complete: false }]);
    }
  });
});

test("the last page within the bound links on while records remain unread: Zendesk's next_page leads past the bound", async () => {
  const links = async (maxRecords: number, page: number, perPage: number) => {
    const result = await table.store.listAuditEntriesAtOffset(ACCOUNT, { order: 'desc', offset: (page - 1) * perPage, limit: perPage, maxRecords, now });
    return offsetPage({ baseUrl: 'https://api.test', multiQuery: { sort_by: ['created_at'], sort_order: ['desc'] } }, '/logs', { page, perPage }, result);
  };
  // 30 entries, 20 reachable: page 4 of 5 is the last within the bound, and more follow it.
  expect(await links(20, 4, 5)).toEqual({
    next_page: 'https://api.test/logs?sort_by=created_at&sort_order=desc&page=5&per_page=5',
    previous_page: 'https://api.test/logs?sort_by=created_at&sort_order=desc&page=3&per_page=5',
    count: 20,
  });
  // All 30 reachable: page 6 of 5 is the last page, with nothing after it.
  expect(await links(30, 6, 5)).toEqual({ next_page: null, previous_page: 'https://api.test/logs?sort_by=created_at&sort_order=desc&page=5&per_page=5', count: 30 });
});
