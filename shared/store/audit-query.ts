// An audit-log query as a page query (reads.ts): the table or, for one source, the source index; the time
// range as an id range; every other filter, and the TTL, as a FilterExpression.
import { firstIdAt, lastIdAt } from '../domain/ids';
import type { AuditQuery } from '../domain/store';
import { accountPk, auditSourceKey, AUDIT_PREFIX } from './keys';
import type { Filter, PageQuery } from './reads';
import { tableDefinition } from './table';

export function auditPageQuery(accountId: string, query: AuditQuery): PageQuery {
  const bySource = query.source && auditSourceKey(accountId, query.source.type, query.source.id, 0);
  return {
    ...(bySource ? { index: tableDefinition.sourceIndex.name, pk: bySource.GSI1PK } : { pk: accountPk(accountId) }),
    prefix: AUDIT_PREFIX,
    page: query.page,
    // The source index is eventually consistent; the table itself is read consistently.
    consistent: !bySource,
    minId: query.createdFrom === undefined ? undefined : firstIdAt(query.createdFrom),
    maxId: query.createdTo === undefined ? undefined : lastIdAt(query.createdTo),
    filter: auditFilter(query),
  };
}

/** Entries past their TTL are gone; each attribute the query gives must match. */
function auditFilter(query: AuditQuery): Filter {
  const filters: string[] = ['(attribute_not_exists(#ttl) OR #ttl > :now)'];
  const names: Record<string, string> = { '#ttl': tableDefinition.timeToLiveAttribute };
  const values: Record<string, unknown> = { ':now': query.now };
  const equal = (attribute: string, value: unknown) => {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    filters.push(`#${attribute} = :${attribute}`);
  };
  if (query.sourceType !== undefined) equal('sourceType', query.sourceType);
  if (query.sourceId !== undefined) equal('sourceId', query.sourceId);
  if (query.actorId !== undefined) equal('actorId', query.actorId);
  if (query.actorApiTokenId !== undefined) equal('actorApiTokenId', query.actorApiTokenId);
  if (query.ipAddress !== undefined) equal('ipAddress', query.ipAddress);
  if (query.actions?.length) {
    names['#action'] = 'action';
    query.actions.forEach((action, index) => (values[`:action${index}`] = action));
    filters.push(`#action IN (${query.actions.map((_, index) => `:action${index}`).join(', ')})`);
  }
  return { expression: filters.join(' AND '), names, values };
}
