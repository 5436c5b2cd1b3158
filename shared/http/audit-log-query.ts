// Parses the audit log's query string (Zendesk's filters, sort and cursor pagination) strictly:
// a bad value or a bad cursor is a 400 that names the parameter (shared/http/handler.ts refuses unknown names).
import { isIP } from 'node:net';
import type { AuditLogQuery } from '../domain/audit-log-service';
import { BadRequestError } from '../domain/errors';
import { AUDIT_ACTIONS, AUDIT_SOURCE_TYPES, SYSTEM_ACTOR_IDS } from '../domain/model';
import { parsePageRequest, MAX_PAGE_SIZE } from './pagination';
import { ACCOUNT_ID_PATTERN } from '../domain/token-format';
import { parseIntegerFilter } from './query-values';

const SOURCE_TYPE_ALIASES: Record<string, string> = { apitoken: 'api_token' };
/** Source types whose records are keyed by integer ids (the others by the account id). */
const ID_KEYED_SOURCE_TYPES = ['api_token', 'user'];
/** Every query parameter the audit log understands; any other is a 400. */
export const AUDIT_LOG_PARAMETERS: readonly string[] = [
  'filter[source_type]',
  'filter[source_id]',
  'filter[actor_id]',
  'filter[actor_api_token_id]',
  'filter[action]',
  'filter[action][]',
  'filter[ip_address]',
  'filter[created_at][]',
  'sort',
  'page[size]',
  'page[after]',
  'page[before]',
];

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T(\d{2}:\d{2})(:\d{2})?(\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2}))?$/;
const MS_PER = { day: 86_400_000, minute: 60_000, second: 1000, millisecond: 1 };
/** Bounds are instants from 1970 (no entry is older) to the end of 9999 (the last four-digit year). */
const LATEST_BOUND = Date.UTC(10000, 0, 1) - 1;

/**
 * A created_at bound. The end bound covers the whole unit it names: `…T12:00:00Z` includes 12:00:00.999,
 * as entries show their time without milliseconds and one shown as 12:00:00Z must match it.
 */
function timeBound(value: string, end: boolean): number {
  const match = TIMESTAMP.exec(value);
  const ms = match ? Date.parse(value) : NaN;
  if (!match || Number.isNaN(ms)) throw new BadRequestError(`filter[created_at][] must be ISO-8601 timestamps, got ${JSON.stringify(value)}`);
  const [, time, seconds, fraction] = match;
  const unit = fraction ? MS_PER.millisecond : seconds ? MS_PER.second : time ? MS_PER.minute : MS_PER.day;
  const bound = end ? ms + unit - 1 : ms;
  if (bound < 0 || bound > LATEST_BOUND) throw new BadRequestError(`filter[created_at][] must lie between 1970 and 9999, got ${JSON.stringify(value)}`);
  return bound;
}

export function parseAuditLogQuery(query: Record<string, string | undefined>, multiQuery: Record<string, string[]>): AuditLogQuery {
  const sort = query.sort ?? '-created_at';
  if (sort !== '-created_at' && sort !== 'created_at') throw new BadRequestError('sort must be created_at or -created_at');

  const result: AuditLogQuery = { page: { ...parsePageRequest(query, MAX_PAGE_SIZE), order: sort === 'created_at' ? 'asc' : 'desc' } };

  const rawType = query['filter[source_type]'];
  const sourceType = rawType === undefined ? undefined : (SOURCE_TYPE_ALIASES[rawType] ?? rawType);
  if (sourceType !== undefined && !(AUDIT_SOURCE_TYPES as readonly string[]).includes(sourceType)) {
    throw new BadRequestError(`filter[source_type] must be one of ${AUDIT_SOURCE_TYPES.join(', ')} (or apitoken)`);
  }
  const sourceId = query['filter[source_id]'];
  if (sourceId !== undefined && !/^-?[0-9]{1,16}$/.test(sourceId) && !ACCOUNT_ID_PATTERN.test(sourceId)) throw new BadRequestError('filter[source_id] is not a valid id');
  if (sourceId !== undefined && sourceType !== undefined && ID_KEYED_SOURCE_TYPES.includes(sourceType)) parseIntegerFilter('filter[source_id]', sourceId);
  if (sourceType !== undefined && sourceId !== undefined) result.source = { type: sourceType, id: sourceId };
  else if (sourceType !== undefined) result.sourceType = sourceType;
  else if (sourceId !== undefined) result.sourceId = sourceId;

  const actorId = query['filter[actor_id]'];
  if (actorId !== undefined) result.actorId = parseIntegerFilter('filter[actor_id]', actorId, { systemIds: SYSTEM_ACTOR_IDS });

  const actorApiTokenId = query['filter[actor_api_token_id]'];
  if (actorApiTokenId !== undefined) result.actorApiTokenId = parseIntegerFilter('filter[actor_api_token_id]', actorApiTokenId);

  const actions = [...(multiQuery['filter[action]'] ?? []), ...(multiQuery['filter[action][]'] ?? [])];
  if (actions.length > 0) {
    const unknown = actions.find((action) => !(AUDIT_ACTIONS as readonly string[]).includes(action));
    if (unknown !== undefined) throw new BadRequestError(`filter[action] must be one of ${AUDIT_ACTIONS.join(', ')}`);
    result.actions = [...new Set(actions)];
  }

  const ipAddress = query['filter[ip_address]'];
  if (ipAddress !== undefined) {
    if (isIP(ipAddress) === 0) throw new BadRequestError('filter[ip_address] must be an IP address');
    result.ipAddress = ipAddress;
  }

  const createdAt = multiQuery['filter[created_at][]'];
  if (createdAt !== undefined) {
    if (createdAt.length !== 2) throw new BadRequestError('filter[created_at][] must be given twice: start, then end');
    const from = timeBound(createdAt[0]!, false);
    const to = timeBound(createdAt[1]!, true);
    if (from > to) throw new BadRequestError('filter[created_at][]: the start must not be after the end');
    result.createdFrom = from;
    result.createdTo = to;
  }
  return result;
}
