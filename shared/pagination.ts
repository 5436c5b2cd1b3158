// Cursor pagination (`page[size]`, `page[after]`, `page[before]`): opaque cursors that wrap an id.
import { BadRequestError } from './errors';
import { parseId } from './ids';
import type { PageRequest } from './store';

export const MAX_PAGE_SIZE = 100;
const CURSOR_VERSION = 'v1';

export function encodeCursor(id: number): string {
  return Buffer.from(`${CURSOR_VERSION}:${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const [version, idText, ...rest] = decoded.split(':');
  const id = version === CURSOR_VERSION && rest.length === 0 && idText !== undefined ? parseId(idText) : undefined;
  if (id === undefined) throw new BadRequestError('Invalid cursor');
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
    ...(after === undefined ? {} : { after: decodeCursor(after) }),
    ...(before === undefined ? {} : { before: decodeCursor(before) }),
  };
}
