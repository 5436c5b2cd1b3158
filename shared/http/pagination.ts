// Cursor pagination (`page[size]`, `page[after]`, `page[before]`): opaque cursors that wrap an id.
import { BadRequestError } from '../domain/errors';
import { parseId } from '../domain/ids';
import type { OffsetPage, Page, PageRequest } from '../domain/store';

export const MAX_PAGE_SIZE = 100;
const CURSOR_VERSION = 'v1';
/** The query parameters of a cursor-paged listing. */
export const PAGE_PARAMETERS: readonly string[] = ['page[size]', 'page[after]', 'page[before]'];

export function encodeCursor(id: number): string {
  return Buffer.from(`${CURSOR_VERSION}:${id}`, 'utf8').toString('base64url');
}

/** The id a cursor wraps; a cursor that is not one of ours, or wraps no possible id, is a 400 naming `parameter`. */
function decodeCursor(cursor: string, parameter: string): number {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const [version, idText, ...rest] = decoded.split(':');
  const id = version === CURSOR_VERSION && rest.length === 0 && idText !== undefined ? parseId(idText) : undefined;
  if (id === undefined) throw new BadRequestError(`${parameter} is not a valid cursor`);
  return id;
}

/** Reads `page[size]`, `page[after]`, `page[before]` from single-valued query parameters. */
export function parsePageRequest(query: Record<string, string | undefined>, defaultSize?: number): PageRequest {
  const sizeText = query['page[size]'];
  const after = query['page[after]'];
  const before = query['page[before]'];
  if (after !== undefined && before !== undefined) throw new BadRequestError('Use either page[after] or page[before], not both');
  let size = defaultSize;
  if (sizeText !== undefined) {
    if (!/^[0-9]{1,3}$/.test(sizeText) || Number(sizeText) < 1 || Number(sizeText) > MAX_PAGE_SIZE) {
      throw new BadRequestError(`page[size] must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    size = Number(sizeText);
  }
  if ((after !== undefined || before !== undefined) && size === undefined) size = MAX_PAGE_SIZE;
  return {
    ...(size === undefined ? {} : { size }),
    ...(after === undefined ? {} : { after: decodeCursor(after, 'page[after]') }),
    ...(before === undefined ? {} : { before: decodeCursor(before, 'page[before]') }),
  };
}

interface LinkBase {
  baseUrl: string;
  multiQuery: Record<string, string[]>;
}

/** The request's URL with its paging parameters (`replaced`) set anew and every other parameter kept. */
function linkTo(request: LinkBase, path: string, paging: Record<string, string>, replaced: readonly string[]): string {
  const params = new URLSearchParams();
  for (const [key, values] of Object.entries(request.multiQuery)) {
    if (!replaced.includes(key)) values.forEach((value) => params.append(key, value));
  }
  for (const [key, value] of Object.entries(paging)) params.set(key, value);
  return `${request.baseUrl}${path}?${params}`;
}

export interface CursorLinks {
  meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null };
  links: { next: string | null; prev: string | null };
}

/**
 * `meta` and `links` of a cursor page. Links keep the request's other parameters (filters, sort).
 * Going forward, `next` exists while has_more and `prev` once past the start; going back, the reverse.
 * A page that ended early (`resumeAt`: the read's window ran out) continues from where the read stopped,
 * not from its last item, so that the entries already looked at are not read again.
 */
export function cursorPage<T>(
  request: LinkBase,
  path: string,
  page: PageRequest,
  result: Page<T>,
  idOf: (item: T) => number,
): CursorLinks {
  const first = result.items[0];
  const last = result.items[result.items.length - 1];
  const paged = page.size !== undefined;
  const backwards = page.before !== undefined;
  // Where the page ends on each side: its first and last item, or, on the side it travelled, where an
  // early end stopped (on both sides for an empty page: nothing between the two matched). An empty page
  // that reached the end of the listing stands just past its cursor: the way back starts at the id next
  // to the cursor (ids are integers), so that it includes the cursor's own entry.
  const cursor = page.after ?? page.before;
  const besideCursor = cursor === undefined ? undefined : cursor + ((page.order === 'desc') === !backwards ? -1 : 1);
  const endOfEmpty = result.resumeAt === undefined && besideCursor !== undefined && besideCursor >= 1 && Number.isSafeInteger(besideCursor) ? besideCursor : undefined;
  const firstId = result.resumeAt !== undefined && (backwards || !first) ? result.resumeAt : first ? idOf(first) : backwards ? undefined : endOfEmpty;
  const lastId = result.resumeAt !== undefined && (!backwards || !last) ? result.resumeAt : last ? idOf(last) : backwards ? endOfEmpty : undefined;
  const link = (direction: 'after' | 'before', id: number | undefined) =>
    id === undefined ? null : linkTo(request, path, { 'page[size]': String(page.size), [`page[${direction}]`]: encodeCursor(id) }, PAGE_PARAMETERS);
  const hasNext = paged && (backwards || result.hasMore);
  const hasPrev = paged && (backwards ? result.hasMore : page.after !== undefined);
  return {
    meta: {
      has_more: result.hasMore,
      after_cursor: paged && lastId !== undefined ? encodeCursor(lastId) : null,
      before_cursor: paged && firstId !== undefined ? encodeCursor(firstId) : null,
    },
    links: { next: hasNext ? link('after', lastId) : null, prev: hasPrev ? link('before', firstId) : null },
  };
}

export interface OffsetLinks {
  next_page: string | null;
  previous_page: string | null;
  count: number;
}

/**
 * Zendesk's offset shape: `next_page` and `previous_page` as URLs (keeping the request's other
 * parameters) or null, and `count`, the matching records offset pagination reaches (at most
 * MAX_OFFSET_RECORDS). `next_page` exists while records remain after this page, even past that bound,
 * where the page it names answers 400 with the advice to use cursor pagination.
 */
export function offsetPage(
  request: LinkBase,
  path: string,
  { page, perPage }: { page: number; perPage: number },
  result: OffsetPage<unknown>,
): OffsetLinks {
  const link = (to: number) => linkTo(request, path, { page: String(to), per_page: String(perPage) }, ['page', 'per_page']);
  const moreAfter = page * perPage < result.count || !result.complete;
  return { next_page: moreAfter ? link(page + 1) : null, previous_page: page > 1 ? link(page - 1) : null, count: result.count };
}
