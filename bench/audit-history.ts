// The audit history measurement 7 reads: a few years of varied entries for one account, generated from a
// fixed seed, and written straight through the table with BatchWriteItem of the store's own item mapping
// (shared/store/items.ts `auditItem`), so the items are exactly those the product writes.
//
// Each filter of the audit log is asked for one probe value. Every probe value has the same profile in
// every history, whatever its size: 1 entry in 1,000 in the newest three quarters (so it turns up
// recently, and a first page must look deep for it), and about 1 in 6 in the oldest quarter (so a page
// after a cursor 80 % into the history is full). All other entries take background values: several
// users, tokens and IPs, operator changes, creates and updates, four source types with many source ids.
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditLogQuery, AuditLogService } from '../shared/domain/audit-log-service';
import type { AccountService } from '../shared/domain/account-service';
import type { ActorContext } from '../shared/domain/audit-entries';
import { newId } from '../shared/domain/ids';
import { OPERATOR_ACTOR_ID, OPERATOR_ACTOR_NAME, type AuditAction, type AuditEntry, type AuditSourceType } from '../shared/domain/model';
import { auditItem } from '../shared/store/items';
import { seededRandom } from './seeded-random';

const MS_PER_DAY = 86_400_000;
/** The history spans three years, ending an hour before it is written. */
const SPAN_MS = 3 * 365 * MS_PER_DAY;
const END_OFFSET_MS = 3_600_000;
/** Probe values: one in this many entries in the newest three quarters, this share of the oldest quarter. */
const RECENT_PERIOD = 1000;
const OLD_SHARE = 0.16;
const OLD_FROM_DEPTH = 0.75;
/** A deep page starts after the entry this far into the history, counted from the newest. */
const DEEP_DEPTH = 0.8;
/** Share of background changes made by operators (tokenctl: no token, no IP). */
const OPERATOR_SHARE = 0.05;
const BATCH_SIZE = 25;

/** The values each filter is asked for. */
const PROBE = {
  actorId: 7_000_001,
  actorApiTokenId: 8_000_001,
  ipAddress: '198.51.100.77',
  action: 'destroy',
  sourceType: 'account_settings',
  source: { type: 'api_token', id: '9000001' },
} as const;

const USERS = Array.from({ length: 8 }, (_, index) => ({ id: 7_000_100 + index, name: `Admin ${index + 1}` }));
const TOKENS = Array.from({ length: 24 }, (_, index) => 8_000_100 + index);
const IPS = [
  ...Array.from({ length: 8 }, (_, index) => `203.0.113.${10 + index * 7}`),
  ...Array.from({ length: 3 }, (_, index) => `198.51.100.${20 + index}`),
  '2001:db8::5',
];
/** Tokens and users come and go: source ids are drawn from many. */
const TOKEN_SOURCE_IDS = 2000;
const USER_SOURCE_IDS = 400;

/** A skewed pick: the first values are the busiest, as a few admins and tokens do most changes. */
const skewed = <T>(values: readonly T[], random: () => number): T => values[Math.floor(values.length * random() ** 2)]!;

type ProbeKind = 'actor' | 'token' | 'ip' | 'action' | 'sourceType' | 'source';
const PROBE_KINDS: readonly ProbeKind[] = ['actor', 'token', 'ip', 'action', 'sourceType', 'source'];

/**
 * Which probe values an entry takes. Newest three quarters: each kind on one entry in RECENT_PERIOD, at its
 * own offset, so exactly as often in every history and never two on one entry. Oldest quarter: each kind
 * with OLD_SHARE, the action and source type ones conditioned so that their share holds too.
 */
function probesAt(fromNewest: number, total: number, random: () => number): Set<ProbeKind> {
  if (fromNewest < total * OLD_FROM_DEPTH) {
    const slot = fromNewest % RECENT_PERIOD;
    const kind = PROBE_KINDS.find((_, index) => slot === 100 + index * 150);
    return new Set(kind ? [kind] : []);
  }
  const kinds = new Set<ProbeKind>();
  for (const kind of ['actor', 'token', 'ip'] as const) if (random() < OLD_SHARE) kinds.add(kind);
  const source = random();
  if (source < OLD_SHARE) kinds.add('source');
  else if (source < 2 * OLD_SHARE) kinds.add('sourceType');
  // Only changes of background tokens and users can be deletions: 1 - 2 × OLD_SHARE of the entries.
  else if (random() < OLD_SHARE / (1 - 2 * OLD_SHARE)) kinds.add('action');
  return kinds;
}

interface Source {
  sourceType: AuditSourceType;
  sourceId: string;
  sourceLabel: string;
}

function sourceOf(probes: Set<ProbeKind>, accountId: string, random: () => number): Source {
  if (probes.has('source')) return { sourceType: 'api_token', sourceId: PROBE.source.id, sourceLabel: 'Legacy integration' };
  if (probes.has('sourceType')) return { sourceType: 'account_settings', sourceId: accountId, sourceLabel: 'API token access' };
  const draw = random();
  // A deletion is of a token or a user: the account is never deleted.
  if (draw < 0.04 && !probes.has('action')) return { sourceType: 'account', sourceId: accountId, sourceLabel: 'Plan' };
  if (draw < 0.28) {
    const userId = 7_100_000 + Math.floor(random() * USER_SOURCE_IDS);
    return { sourceType: 'user', sourceId: String(userId), sourceLabel: `agent${userId}@example.test` };
  }
  const tokenId = 9_100_000 + Math.floor(random() * TOKEN_SOURCE_IDS);
  return { sourceType: 'api_token', sourceId: String(tokenId), sourceLabel: `CI ${tokenId}` };
}

const EVENTS: Record<AuditSourceType, Partial<Record<AuditAction, [event: string, description: string]>>> = {
  api_token: {
    create: ['api_token.created', 'Created'],
    update: ['api_token.description_changed', 'Description changed from "CI" to "CI (rotated)"'],
    destroy: ['api_token.deleted', 'Deleted'],
  },
  user: {
    create: ['user.created', 'User added with role agent'],
    update: ['user.updated', 'Role changed from "agent" to "admin"'],
    destroy: ['user.removed', 'User removed'],
  },
  account: { update: ['account.plan_changed', 'Plan changed from "enterprise" to "enterprise_plus"'] },
  account_settings: { update: ['account.api_token_access_changed', 'API token access changed from "on" to "off"'] },
};

/** Tokens and users are created, edited (mostly) and deleted; the account and its settings only change. */
function actionOf(probes: Set<ProbeKind>, source: Source, random: () => number): AuditAction {
  if (probes.has('action')) return 'destroy';
  if (probes.has('source') || source.sourceType === 'account' || source.sourceType === 'account_settings') return 'update';
  return random() < 0.12 ? 'create' : 'update';
}

type Actor = Pick<AuditEntry, 'actorId' | 'actorName' | 'actorApiTokenId' | 'ipAddress' | 'userAgent'>;

function actorOf(probes: Set<ProbeKind>, random: () => number): Actor {
  const throughApi = probes.has('actor') || probes.has('token') || probes.has('ip') || random() >= OPERATOR_SHARE;
  if (!throughApi) return { actorId: OPERATOR_ACTOR_ID, actorName: OPERATOR_ACTOR_NAME, actorApiTokenId: null, ipAddress: null, userAgent: 'tokenctl' };
  const user = probes.has('actor') ? { id: PROBE.actorId, name: 'Founding admin' } : skewed(USERS, random);
  return {
    actorId: user.id,
    actorName: user.name,
    // Any verified user of the account may act with any of its tokens.
    actorApiTokenId: probes.has('token') ? PROBE.actorApiTokenId : skewed(TOKENS, random),
    ipAddress: probes.has('ip') ? PROBE.ipAddress : skewed(IPS, random),
    userAgent: 'terraform-provider-zendesk/0.9',
  };
}

/** `total` entries of `accountId`, oldest first, evenly spread (with jitter) over three years ending at `endMs`. */
function generateHistory(accountId: string, total: number, endMs: number = Date.now() - END_OFFSET_MS): AuditEntry[] {
  const random = seededRandom(0x5eed);
  const startMs = endMs - SPAN_MS;
  const spacing = SPAN_MS / total;
  const entries: AuditEntry[] = [];
  for (let index = 0; index < total; index += 1) {
    const probes = probesAt(total - 1 - index, total, random);
    const source = sourceOf(probes, accountId, random);
    const action = actionOf(probes, source, random);
    const [event, changeDescription] = EVENTS[source.sourceType][action]!;
    // Jitter within a third of the spacing keeps the times, and so the ids, strictly increasing.
    const atMs = Math.round(startMs + (index + 0.5 + (random() - 0.5) / 3) * spacing);
    entries.push({
      accountId,
      auditId: newId(atMs),
      action,
      event,
      ...actorOf(probes, random),
      ...source,
      changeDescription,
      createdAt: new Date(atMs).toISOString(),
    });
  }
  return entries;
}

/** Writes the entries as the store's items, BatchWriteItem of 25, `concurrency` batches in flight. */
async function writeHistory(client: DynamoDBDocumentClient, tableName: string, entries: readonly AuditEntry[], concurrency: number): Promise<void> {
  const batches: AuditEntry[][] = [];
  for (let index = 0; index < entries.length; index += BATCH_SIZE) batches.push(entries.slice(index, index + BATCH_SIZE));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = batches[next++]!.map((entry) => ({ PutRequest: { Item: auditItem(entry) } }));
      // DynamoDB may leave items unprocessed (throttling); they are sent again until none is left.
      while (requests.length > 0) {
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** What seeding an account with a history needs: account services whose clock stands at `atMs`, and the table. */
export interface HistorySeeding {
  accountsAt(atMs: number): AccountService;
  auditLog: AuditLogService;
  client: DynamoDBDocumentClient;
  tableName: string;
  concurrency: number;
}

/**
 * An Enterprise account created through the account service when its history begins (its own audit entry
 * is the oldest), then `total` generated entries written straight through the table. Resolves with the
 * whole history, oldest first, as the audit log holds it.
 */
export async function seedHistory(seeding: HistorySeeding, accountId: string, total: number, operator: ActorContext): Promise<AuditEntry[]> {
  const entries = generateHistory(accountId, total);
  const createdAt = Date.parse(entries[0]!.createdAt) - 60_000;
  const input = { accountId, name: `History of ${total}`, plan: 'enterprise', legacy: false, apiTokenAccess: true } as const;
  await seeding.accountsAt(createdAt).createAccount(operator, input);
  await writeHistory(seeding.client, seeding.tableName, entries, seeding.concurrency);
  const oldest = await seeding.auditLog.list(accountId, { page: { size: 1, order: 'asc' } });
  return [...oldest.items, ...entries];
}

export type PageKind = 'first' | 'deep';

/** One filter of GET /api/v2/audit_logs: the query of its first page and of a deep page, and what it matches. */
export interface FilterKind {
  name: string;
  query(history: readonly AuditEntry[], page: PageKind): Omit<AuditLogQuery, 'page'> & { after?: number };
  matches(entry: AuditEntry): boolean;
}

/** The entry `depth` of the way into the history from its newest end. */
const entryAtDepth = (history: readonly AuditEntry[], depth: number): AuditEntry => history[Math.floor((history.length - 1) * (1 - depth))]!;
const timeAtDepth = (history: readonly AuditEntry[], depth: number): number => Date.parse(entryAtDepth(history, depth).createdAt);
/** Deep pages continue after the entry 80 % into the history (newest first). */
const afterDeep = (history: readonly AuditEntry[], page: PageKind) => (page === 'deep' ? { after: entryAtDepth(history, DEEP_DEPTH).auditId } : {});

const byEquality = (name: string, query: Omit<AuditLogQuery, 'page'>, matches: (entry: AuditEntry) => boolean): FilterKind => ({
  name,
  query: (history, page) => ({ ...query, ...afterDeep(history, page) }),
  matches,
});

export const FILTER_KINDS: readonly FilterKind[] = [
  byEquality('unfiltered', {}, () => true),
  byEquality('actor_id', { actorId: PROBE.actorId }, (entry) => entry.actorId === PROBE.actorId),
  byEquality('actor_api_token_id', { actorApiTokenId: PROBE.actorApiTokenId }, (entry) => entry.actorApiTokenId === PROBE.actorApiTokenId),
  byEquality('action', { actions: [PROBE.action] }, (entry) => entry.action === PROBE.action),
  byEquality('ip_address', { ipAddress: PROBE.ipAddress }, (entry) => entry.ipAddress === PROBE.ipAddress),
  byEquality('source_type', { sourceType: PROBE.sourceType }, (entry) => entry.sourceType === PROBE.sourceType),
  byEquality(
    'source_type+source_id',
    { source: { ...PROBE.source } },
    (entry) => entry.sourceType === PROBE.source.type && entry.sourceId === PROBE.source.id,
  ),
  {
    // The first page: the newest tenth of the history; the deep page: the tenth before the 80 % point.
    name: 'created_at',
    query: (history, page) =>
      page === 'first'
        ? { createdFrom: timeAtDepth(history, 0.1), createdTo: timeAtDepth(history, 0) }
        : { createdFrom: timeAtDepth(history, DEEP_DEPTH + 0.1), createdTo: timeAtDepth(history, DEEP_DEPTH) },
    matches: () => true,
  },
];

/** The ids a page of `size`, newest first, must hold: the entries the filter, the range and the cursor keep. */
export function expectedIds(history: readonly AuditEntry[], kind: FilterKind, page: PageKind, size: number): number[] {
  const query = kind.query(history, page);
  const ids: number[] = [];
  for (let index = history.length - 1; index >= 0 && ids.length < size; index -= 1) {
    const entry = history[index]!;
    const at = Date.parse(entry.createdAt);
    if (query.after !== undefined && entry.auditId >= query.after) continue;
    if ((query.createdFrom !== undefined && at < query.createdFrom) || (query.createdTo !== undefined && at > query.createdTo)) continue;
    if (kind.matches(entry)) ids.push(entry.auditId);
  }
  return ids;
}

/** Entries matching each filter: in all, in the newest three quarters and after the deep cursor (for results.json). */
export function matchCounts(history: readonly AuditEntry[]): Record<string, { all: number; newestThreeQuarters: number; afterDeepCursor: number }> {
  const deepIndex = Math.floor((history.length - 1) * (1 - DEEP_DEPTH));
  const recentFrom = Math.floor(history.length * (1 - OLD_FROM_DEPTH));
  return Object.fromEntries(
    FILTER_KINDS.map((kind) => {
      const count = (from: number, to: number) => history.slice(from, to).filter(kind.matches).length;
      return [kind.name, { all: count(0, history.length), newestThreeQuarters: count(recentFrom, history.length), afterDeepCursor: count(0, deepIndex) }];
    }),
  );
}
