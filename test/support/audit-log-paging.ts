// Audit-log listings checked against a brute force: a varied, seeded fixture of audit entries written as the
// store writes them (items.ts), the filter semantics of AuditQuery spelled out entry by entry, a cursor
// walk that follows a listing to its end in either direction, and the differences between two id lists.
//
// The walk assumes nothing about page fill: a page may hold fewer entries than asked, even none, while
// `hasMore` is true. It continues from the page's own cursor when the page gives one (`resumeAt`, the
// exclusive position to continue from in the direction of travel), else from the page's last entry in that
// direction.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { seededRandom } from '../../bench/seeded-random';
import type { AuditAction, AuditEntry, AuditSourceType } from '../../shared/domain/model';
import type { AuditQuery, Page, PageRequest } from '../../shared/domain/store';
import { auditItem } from '../../shared/store/items';
import type { TestTable } from './tables';

/** An audit query without its page and clock: what a listing is filtered by. */
export type AuditFilter = Omit<AuditQuery, 'page' | 'now'>;
/** `after` walks a listing in its order, `before` walks it back. */
export type Travel = 'after' | 'before';
export type Order = 'asc' | 'desc';
/** One page of a listing: the store's, or a service's over it. */
export type ListPage = (page: PageRequest) => Promise<Page<AuditEntry>>;

const DAY_MS = 86_400_000;
const SLOTS_PER_MS = 1000;

/** Ids grow with time (ids.ts): an entry's millisecond. */
export const msOfId = (auditId: number) => Math.floor(auditId / SLOTS_PER_MS);

/** Where a walk continues after `page`: the page's `resumeAt` when it has one, else its last entry in the direction of travel. */
export function nextCursor(page: Page<AuditEntry>, travel: Travel = 'after'): number | undefined {
  if ('resumeAt' in page && typeof page.resumeAt === 'number') return page.resumeAt;
  const last = travel === 'after' ? page.items[page.items.length - 1] : page.items[0];
  return last?.auditId;
}

/** Is `a` strictly before `b` in a listing of this order? */
const precedes = (order: Order, a: number, b: number) => (order === 'asc' ? a < b : a > b);

export interface WalkStart {
  order: Order;
  size?: number;
  travel: Travel;
  /** The exclusive cursor to start from; the listing's start (or, going back, its end) when absent. */
  from?: number;
  /** Called before each request after the first, with the cursor it continues from (for writers that race the walk). */
  beforeRequest?: (cursor: number) => Promise<void>;
}

export interface Walk {
  /** Entries in the order the walk met them (going back: the listing's order reversed). */
  entries: AuditEntry[];
  requests: number;
}

/**
 * Follows a listing from `start` until a page says there is no more. Throws when a page breaks the paging
 * contract: more entries than asked, entries out of order or not past the cursor, or more to come with no
 * cursor that moves on.
 */
export async function walkPages(list: ListPage, start: WalkStart, maxRequests = 2000): Promise<Walk> {
  const { order, size, travel } = start;
  // The order entries are met in: the listing's going forward, its reverse going back.
  const metOrder: Order = travel === 'after' ? order : order === 'asc' ? 'desc' : 'asc';
  const entries: AuditEntry[] = [];
  let cursor = start.from;
  for (let requests = 1; ; requests += 1) {
    if (requests > maxRequests) throw new Error(`walk ${JSON.stringify(start)}: no end after ${maxRequests} requests`);
    if (requests > 1 && start.beforeRequest && cursor !== undefined) await start.beforeRequest(cursor);
    const request: PageRequest = { order, ...(size === undefined ? {} : { size }), ...(cursor === undefined ? {} : { [travel]: cursor }) };
    const page = await list(request);
    const where = `walk ${JSON.stringify(start)}, request ${requests} ${JSON.stringify(request)}`;
    if (size !== undefined && page.items.length > size) throw new Error(`${where}: ${page.items.length} entries on a page of ${size}`);
    const met = travel === 'after' ? page.items : [...page.items].reverse();
    for (const [index, entry] of met.entries()) {
      // Each entry lies past the cursor, and past every entry met before it.
      const behind = [index === 0 ? cursor : undefined, entries[entries.length - 1]?.auditId];
      for (const previous of behind) {
        if (previous !== undefined && !precedes(metOrder, previous, entry.auditId)) {
          throw new Error(`${where}: entry ${entry.auditId} comes after ${previous}, out of ${order} order going ${travel}`);
        }
      }
      entries.push(entry);
    }
    if (!page.hasMore) return { entries, requests };
    const next = nextCursor(page, travel);
    if (next === undefined) throw new Error(`${where}: hasMore with an empty page and no cursor to continue from`);
    if (cursor !== undefined && !precedes(metOrder, cursor, next)) throw new Error(`${where}: the next cursor ${next} does not move on from ${cursor}`);
    cursor = next;
  }
}

/** The position past every id in the direction of travel: a walk back from the end of a listing starts there. */
export const endOf = (order: Order): number => (order === 'asc' ? Number.MAX_SAFE_INTEGER : 1);

/** Whether an entry is listed for `filter` at `now` (epoch seconds), as AuditQuery documents it: every filter given must match. */
export function matchesFilter(entry: AuditEntry, filter: AuditFilter, now: number): boolean {
  const createdAt = Date.parse(entry.createdAt);
  return (
    (entry.expiresAt === undefined || entry.expiresAt > now) &&
    (filter.source === undefined || (entry.sourceType === filter.source.type && entry.sourceId === filter.source.id)) &&
    (filter.sourceType === undefined || entry.sourceType === filter.sourceType) &&
    (filter.sourceId === undefined || entry.sourceId === filter.sourceId) &&
    (filter.actorId === undefined || entry.actorId === filter.actorId) &&
    (filter.actorApiTokenId === undefined || entry.actorApiTokenId === filter.actorApiTokenId) &&
    (filter.ipAddress === undefined || entry.ipAddress === filter.ipAddress) &&
    (!filter.actions?.length || filter.actions.includes(entry.action)) &&
    (filter.createdFrom === undefined || createdAt >= filter.createdFrom) &&
    (filter.createdTo === undefined || createdAt <= filter.createdTo)
  );
}

/** The brute force: the entries `filter` keeps, in the listing's order. */
export function bruteForce(entries: readonly AuditEntry[], filter: AuditFilter, order: Order, now: number): AuditEntry[] {
  return entries.filter((entry) => matchesFilter(entry, filter, now)).sort((a, b) => (order === 'asc' ? a.auditId - b.auditId : b.auditId - a.auditId));
}

/** What keeps `actual` from being `expected`: missing, duplicated, unexpected and misplaced ids (empty when equal). */
export function differences(actual: readonly number[], expected: readonly number[]): string[] {
  const problems: string[] = [];
  const wanted = new Set(expected);
  const seen = new Map<number, number>();
  for (const id of actual) seen.set(id, (seen.get(id) ?? 0) + 1);
  const missing = expected.filter((id) => !seen.has(id));
  const duplicated = [...seen].filter(([, count]) => count > 1).map(([id]) => id);
  const unexpected = [...seen.keys()].filter((id) => !wanted.has(id));
  if (missing.length > 0) problems.push(`missing ${missing.length}: ${missing.slice(0, 10).join(', ')}`);
  if (duplicated.length > 0) problems.push(`duplicated ${duplicated.length}: ${duplicated.slice(0, 10).join(', ')}`);
  if (unexpected.length > 0) problems.push(`unexpected ${unexpected.length}: ${unexpected.slice(0, 10).join(', ')}`);
  const firstOff = actual.findIndex((id, index) => id !== expected[index]);
  if (problems.length === 0 && (firstOff >= 0 || actual.length !== expected.length)) problems.push(`out of order from position ${firstOff}`);
  return problems;
}

/** Picks by weight: `[[value, weight], …]`. */
function weighted<T>(random: () => number, choices: ReadonlyArray<readonly [T, number]>): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [value, weight] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return choices[choices.length - 1]![0];
}

interface FixtureActor {
  id: number;
  name: string;
  /** The tokens the user acts with, the first most often. */
  tokens: readonly number[];
}

/** Who acts in a fixture: three users with their tokens, and the operator. */
export const FIXTURE_ACTORS: Readonly<Record<'ada' | 'bob' | 'cy', FixtureActor>> = {
  ada: { id: 1_700_000_000_001_101, name: 'Ada', tokens: [1_700_000_000_100_201, 1_700_000_000_100_202] },
  bob: { id: 1_700_000_000_001_102, name: 'Bob', tokens: [1_700_000_000_100_203] },
  cy: { id: 1_700_000_000_001_103, name: 'Cy', tokens: [1_700_000_000_100_204] },
};
export const FIXTURE_IPS = ['198.51.100.7', '203.0.113.9', '2001:db8::42', '10.0.0.1'] as const;
const USER_SOURCES = Object.values(FIXTURE_ACTORS).map((actor) => String(actor.id));
const TOKEN_SOURCES = Object.values(FIXTURE_ACTORS).flatMap((actor) => actor.tokens.map(String));
const EVENT_VERBS: Record<AuditAction, string> = { create: 'created', update: 'updated', destroy: 'deleted' };

export interface FixtureOptions {
  accountId: string;
  seed: number;
  count: number;
  /** Epoch ms: entries lie in the `spanDays` before it, and TTLs are relative to it. */
  now: number;
  spanDays: number;
  /** Extra entries at these exact milliseconds (several at one millisecond share it, with distinct slots). */
  pinnedMs?: number[];
  /** Ids already taken, to stay clear of. */
  taken?: ReadonlySet<number>;
}

/**
 * Audit entries with every filterable attribute varied: actors (users with several tokens, a user with none
 * recorded, the operator), actions, IPs (v4, v6, none), sources (tokens, users, the account and its settings,
 * which share the account id as source id), ids spread over time, and TTLs past, exactly now, and ahead.
 */
export function auditFixture(options: FixtureOptions): AuditEntry[] {
  const random = seededRandom(options.seed);
  const nowSeconds = Math.floor(options.now / 1000);
  const taken = new Set(options.taken);
  const times = [
    ...Array.from({ length: options.count }, () => options.now - 60_000 - Math.floor(random() * options.spanDays * DAY_MS)),
    ...(options.pinnedMs ?? []),
  ];
  return times.map((ms) => {
    let auditId: number;
    do auditId = ms * SLOTS_PER_MS + Math.floor(random() * SLOTS_PER_MS);
    while (taken.has(auditId));
    taken.add(auditId);
    return fixtureEntry(options.accountId, auditId, random, nowSeconds);
  });
}

/** One entry at `auditId` with attributes drawn from `random`. */
export function fixtureEntry(accountId: string, auditId: number, random: () => number, nowSeconds: number): AuditEntry {
  const actor = weighted<FixtureActor | undefined>(random, [
    [FIXTURE_ACTORS.ada, 40],
    [FIXTURE_ACTORS.bob, 25],
    [FIXTURE_ACTORS.cy, 15],
    [undefined, 20],
  ]);
  // A user's entry names one of its tokens, or none (entries written before the token was recorded).
  const tokenWeights = actor?.tokens.map((token, index) => [token, index === 0 ? 60 : 25] as const) ?? [];
  const actorApiTokenId = actor ? weighted<number | null>(random, [...tokenWeights, [null, 15]]) : null;
  const action = weighted<AuditAction>(random, [
    ['create', 30],
    ['update', 50],
    ['destroy', 20],
  ]);
  const ipAddress = weighted<string | null>(random, [
    [FIXTURE_IPS[0], 35],
    [FIXTURE_IPS[1], 25],
    [FIXTURE_IPS[2], 15],
    [FIXTURE_IPS[3], 5],
    [null, 20],
  ]);
  const sourceType = weighted<AuditSourceType>(random, [
    ['api_token', 45],
    ['user', 25],
    ['account', 15],
    ['account_settings', 15],
  ]);
  const sourceId =
    sourceType === 'api_token'
      ? weighted(random, TOKEN_SOURCES.map((id, index) => [id, index === 0 ? 40 : 20] as const))
      : sourceType === 'user'
        ? weighted(random, USER_SOURCES.map((id, index) => [id, index === 0 ? 50 : 25] as const))
        : accountId;
  const expiresAt = weighted<number | undefined>(random, [
    [undefined, 82],
    [nowSeconds - 86_400, 5],
    [nowSeconds, 3],
    [nowSeconds + 10 * 86_400, 10],
  ]);
  return {
    accountId,
    auditId,
    action,
    event: `${sourceType}.${EVENT_VERBS[action]}`,
    actorId: actor?.id ?? -1,
    actorName: actor?.name ?? 'Operator',
    actorApiTokenId,
    sourceType,
    sourceId,
    sourceLabel: `${sourceType} ${sourceId}`,
    changeDescription: action === 'update' ? 'Description changed from "a" to "b"' : EVENT_VERBS[action],
    ipAddress,
    userAgent: 'fixture',
    createdAt: new Date(msOfId(auditId)).toISOString(),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

type Writable = Pick<TestTable, 'documentClient' | 'tableName'>;

/** Writes one entry as the store stores it, unless its id is taken; says whether it was written. */
export async function putAuditEntry(table: Writable, entry: AuditEntry): Promise<boolean> {
  try {
    await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: auditItem(entry), ConditionExpression: 'attribute_not_exists(PK)' }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
