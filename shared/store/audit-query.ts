// An audit-log query as a page query (paged-query.ts). One filter picks the partitions to read — the
// partition of its value in its own index, or one per value for a filter that takes several — and the
// other filters, with the TTL, become a FilterExpression; the time range is an id range on every index.
// A window bounds what one page reads, so a page costs O(page size) plus a constant whatever the history.
import { firstIdAt, lastIdAt } from '../domain/ids';
import { AUDIT_SOURCE_TYPES } from '../domain/model';
import type { AuditQuery } from '../domain/store';
import { accountPk, auditFilterPartition, auditSourcePartition, AUDIT_PREFIX } from './keys';
import type { Filter, PageQuery, PartitionSource } from './paged-query';
import { auditIndexes, tableDefinition } from './table';

/**
 * Items one page may read before it ends early (with a cursor to continue): well above what a page needs
 * from all its partitions at once (at most 4 source types × 101 items), so a filter that its partitions
 * answer alone always fills its page; only a combination of filters can end a page early.
 */
export const AUDIT_READ_WINDOW = 1000;

type Condition = keyof Omit<AuditQuery, 'page' | 'createdFrom' | 'createdTo' | 'now'>;

interface Plan {
  /** The filter whose index serves the query; undefined: the table. */
  served?: Condition;
  sources: PartitionSource[];
}

/**
 * The filter that picks the partitions, most selective first: one source's history, one token's
 * changes, one actor's, one address's, one source id under every type, one type, the actions.
 */
function planFor(accountId: string, query: AuditQuery): Plan {
  const partition = (index: (typeof auditIndexes)[keyof typeof auditIndexes], pk: string): PartitionSource => ({ index, pk });
  if (query.source) {
    return { served: 'source', sources: [partition(auditIndexes.source, auditSourcePartition(accountId, query.source.type, query.source.id))] };
  }
  if (query.actorApiTokenId !== undefined) {
    return { served: 'actorApiTokenId', sources: [partition(auditIndexes.actorApiToken, auditFilterPartition(accountId, 'ACTOR_API_TOKEN', query.actorApiTokenId))] };
  }
  if (query.actorId !== undefined) {
    return { served: 'actorId', sources: [partition(auditIndexes.actor, auditFilterPartition(accountId, 'ACTOR', query.actorId))] };
  }
  if (query.ipAddress !== undefined) {
    return { served: 'ipAddress', sources: [partition(auditIndexes.ipAddress, auditFilterPartition(accountId, 'IP', query.ipAddress))] };
  }
  const { sourceId } = query;
  if (sourceId !== undefined) {
    return { served: 'sourceId', sources: AUDIT_SOURCE_TYPES.map((type) => partition(auditIndexes.source, auditSourcePartition(accountId, type, sourceId))) };
  }
  if (query.sourceType !== undefined) {
    return { served: 'sourceType', sources: [partition(auditIndexes.sourceType, auditFilterPartition(accountId, 'SOURCE_TYPE', query.sourceType))] };
  }
  if (query.actions?.length) {
    return { served: 'actions', sources: query.actions.map((action) => partition(auditIndexes.action, auditFilterPartition(accountId, 'ACTION', action))) };
  }
  return { sources: [{ pk: accountPk(accountId) }] };
}

export function auditPageQuery(accountId: string, query: AuditQuery, window = AUDIT_READ_WINDOW): PageQuery {
  const plan = planFor(accountId, query);
  return {
    sources: plan.sources,
    prefix: AUDIT_PREFIX,
    page: query.page,
    // Indexes are eventually consistent; the table itself is read consistently.
    consistent: plan.served === undefined,
    minId: query.createdFrom === undefined ? undefined : firstIdAt(query.createdFrom),
    maxId: query.createdTo === undefined ? undefined : lastIdAt(query.createdTo),
    filter: auditFilter(query, plan.served),
    window,
  };
}

/** Entries past their TTL are gone; each filter the partitions do not already answer must match. */
function auditFilter(query: AuditQuery, served: Condition | undefined): Filter {
  const filters: string[] = ['(attribute_not_exists(#ttl) OR #ttl > :now)'];
  const names: Record<string, string> = { '#ttl': tableDefinition.timeToLiveAttribute };
  const values: Record<string, unknown> = { ':now': query.now };
  const equal = (condition: Condition, attribute: string, value: unknown) => {
    if (value === undefined || condition === served) return;
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    filters.push(`#${attribute} = :${attribute}`);
  };
  equal('sourceType', 'sourceType', query.sourceType);
  equal('sourceId', 'sourceId', query.sourceId);
  equal('actorId', 'actorId', query.actorId);
  equal('actorApiTokenId', 'actorApiTokenId', query.actorApiTokenId);
  equal('ipAddress', 'ipAddress', query.ipAddress);
  if (query.actions?.length && served !== 'actions') {
    names['#action'] = 'action';
    query.actions.forEach((action, index) => (values[`:action${index}`] = action));
    filters.push(`#action IN (${query.actions.map((_, index) => `:action${index}`).join(', ')})`);
  }
  return { expression: filters.join(' AND '), names, values };
}
