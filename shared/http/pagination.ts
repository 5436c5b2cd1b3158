// Cursor pagination (`page[size]`, `page[after]`, `page[before]`): opaque cursors that wrap an id.
import { BadRequestError } from '../domain/errors';
import { parseId } from '../domain/ids';
import type { Page, PageRequest } from '../domain/store';

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

export interface CursorLinks {
  meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null };
  links: { next: string | null; prev: string | null };
}

/**
 * `meta` and `links` of a cursor page. Links keep the request's other parameters (filters, sort).
 * Going forward, `next` exists while has_more and `prev` once past the start; going back, the reverse.
 */
export function cursorPage<T>(
  request: { baseUrl: string; multiQuery: Record<string, string[]> },
  path: string,
  page: PageRequest,
  result: Page<T>,
  idOf: (item: T) => number,
): CursorLinks {
  const first = result.items[0];
  const last = result.items[result.items.length - 1];
  const paged = page.size !== undefined;
  const backwards = page.before !== undefined;
  const link = (direction: 'after' | 'before', item: T | undefined) => {
    if (!item) return null;
    const params = new URLSearchParams();
    for (const [key, values] of Object.entries(request.multiQuery)) {
      if (key !== 'page[after]' && key !== 'page[before]' && key !== 'page[size]') values.forEach((value) => params.append(key, value));
    }
    params.set('page[size]', String(page.size));
    params.set(`page[${direction}]`, encodeCursor(idOf(item)));
    return `${request.baseUrl}${path}?${params}`;
  };
  const hasNext = paged && (backwards || result.hasMore);
  const hasPrev = paged && (backwards ? result.hasMore : page.after !== undefined);
  return {
    meta: {
      has_more: result.hasMore,
      after_cursor: paged && last ? encodeCursor(idOf(last)) : null,
      before_cursor: paged && first ? encodeCursor(idOf(first)) : null,
    },
    links: { next: hasNext ? link('after', last) : null, prev: hasPrev ? link('before', first) : null },
  };
}
