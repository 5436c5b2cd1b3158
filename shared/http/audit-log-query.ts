// Parses the audit log's query string strictly, in every form Zendesk documents: its filters (the time
// range as `filter[created_at][]` or `filter[created_at]`, twice), `sort` or `sort_by` + `sort_order`, and
// cursor pagination (the default) or offset pagination (`page`, `per_page`). A bad value or a bad cursor is
// a 400 that names the parameter (shared/http/request.ts refuses unknown names).
import { isIP } from 'node:net';
import { MAX_OFFSET_RECORDS, type AuditLogOffsetQuery, type AuditLogQuery } from '../domain/audit-log-service';
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
  'filter[created_at]',
  'sort',
  'sort_by',
  'sort_order',
  'page[size]',
  'page[after]',
  'page[before]',
  'page',
  'per_page',
];
/** Names given more than once without `[]`: Zendesk documents `filter[created_at]` twice (start, end). */
export const AUDIT_LOG_REPEATABLE_PARAMETERS: readonly string[] = ['filter[created_at]'];

const CURSOR_PARAMETERS = ['page[size]', 'page[after]', 'page[before]'];
const OFFSET_PARAMETERS = ['page', 'per_page'];
const PAGE_NUMBER = /^[0-9]{1,6}$/;

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

/** The audit log's query: cursor pagination, or offset pagination at `page` of `perPage` entries. */
export type ParsedAuditLogQuery =
  | { pagination: 'cursor'; query: AuditLogQuery }
  | { pagination: 'offset'; query: AuditLogOffsetQuery; page: number; perPage: number };

export function parseAuditLogQuery(query: Record<string, string | undefined>, multiQuery: Record<string, string[]>): ParsedAuditLogQuery {
  const given = (names: readonly string[]) => names.filter((name) => query[name] !== undefined);
  const order = sortOrderOf(query);
  const filters = filtersOf(query, multiQuery);
  if (given(OFFSET_PARAMETERS).length === 0) {
    return { pagination: 'cursor', query: { ...filters, page: { ...parsePageRequest(query, MAX_PAGE_SIZE), order } } };
  }
  const cursor = given(CURSOR_PARAMETERS);
  if (cursor.length > 0) throw new BadRequestError(`Use either cursor pagination (page[size], page[after], page[before]) or offset pagination (page, per_page), not both: got ${[...cursor, ...given(OFFSET_PARAMETERS)].join(', ')}`);
  const page = pageNumber(query.page ?? '1', 'page', Number.POSITIVE_INFINITY);
  const perPage = pageNumber(query.per_page ?? String(MAX_PAGE_SIZE), 'per_page', MAX_PAGE_SIZE);
  const offset = (page - 1) * perPage;
  if (offset >= MAX_OFFSET_RECORDS) {
    throw new BadRequestError(
      `Offset pagination reaches the first ${MAX_OFFSET_RECORDS} records; page ${page} of ${perPage} starts at record ${offset + 1}. Use cursor pagination (page[size], then links.next) to read further.`,
    );
  }
  return { pagination: 'offset', query: { ...filters, order, offset, limit: perPage }, page, perPage };
}

function pageNumber(value: string, name: string, max: number): number {
  const number = PAGE_NUMBER.test(value) ? Number(value) : NaN;
  if (!(number >= 1 && number <= max)) throw new BadRequestError(Number.isFinite(max) ? `${name} must be an integer from 1 to ${max}` : `${name} must be a positive integer`);
  return number;
}

/** `sort` (`created_at` or `-created_at`), or Zendesk's `sort_by=created_at` with `sort_order=asc|desc`; newest first unless said. */
function sortOrderOf(query: Record<string, string | undefined>): 'asc' | 'desc' {
  const { sort, sort_by: sortBy, sort_order: sortOrder } = query;
  if (sort !== undefined && (sortBy !== undefined || sortOrder !== undefined)) throw new BadRequestError('Use either sort or sort_by and sort_order, not both');
  if (sort !== undefined) {
    if (sort !== '-created_at' && sort !== 'created_at') throw new BadRequestError('sort must be created_at or -created_at');
    return sort === 'created_at' ? 'asc' : 'desc';
  }
  if (sortBy !== undefined && sortBy !== 'created_at') throw new BadRequestError('sort_by must be created_at');
  if (sortOrder !== undefined && sortOrder !== 'asc' && sortOrder !== 'desc') throw new BadRequestError('sort_order must be asc or desc');
  return sortOrder ?? 'desc';
}

function filtersOf(query: Record<string, string | undefined>, multiQuery: Record<string, string[]>): Omit<AuditLogQuery, 'page'> {
  const result: Omit<AuditLogQuery, 'page'> = {};
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

  const bracketed = multiQuery['filter[created_at][]'];
  const plain = multiQuery['filter[created_at]'];
  if (bracketed !== undefined && plain !== undefined) throw new BadRequestError('Use either filter[created_at][] or filter[created_at], not both');
  const createdAt = bracketed ?? plain;
  if (createdAt !== undefined) {
    if (createdAt.length !== 2) throw new BadRequestError(`${bracketed ? 'filter[created_at][]' : 'filter[created_at]'} must be given twice: start, then end`);
    const from = timeBound(createdAt[0]!, false);
    const to = timeBound(createdAt[1]!, true);
    if (from > to) throw new BadRequestError('filter[created_at][]: the start must not be after the end');
    result.createdFrom = from;
    result.createdTo = to;
  }
  return result;
}
