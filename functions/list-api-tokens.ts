// GET /api/v2/api_tokens — all of the account's tokens, or cursor pages with page[size].
import { apiHandler, ok } from '../shared/http';
import { encodeCursor, parsePageRequest } from '../shared/pagination';
import { presentToken } from '../shared/presenters';
import { getServices } from '../shared/services';
import { routes } from './routes';

export const handler = apiHandler(routes.listApiTokens, async (request) => {
  const page = parsePageRequest(request.query);
  const { account, tokens } = await getServices().tokens.list(request.caller.accountId, page);
  const first = tokens.items[0];
  const last = tokens.items[tokens.items.length - 1];
  const link = (cursor: 'after' | 'before', id: number) =>
    `${request.baseUrl}/api/v2/api_tokens.json?${new URLSearchParams({ 'page[size]': String(page.size), [`page[${cursor}]`]: encodeCursor(id) })}`;
  const paged = page.size !== undefined;
  const backwards = page.before !== undefined;
  // Going forward, "next" exists while has_more; "prev" exists once we are past the start (and vice versa).
  const hasNext = paged && last !== undefined && (backwards || tokens.hasMore);
  const hasPrev = paged && first !== undefined && (backwards ? tokens.hasMore : page.after !== undefined);
  return ok({
    api_tokens: tokens.items.map((token) => presentToken(token, request.baseUrl)),
    count: account.tokenCount,
    meta: {
      has_more: tokens.hasMore,
      after_cursor: paged && last ? encodeCursor(last.tokenId) : null,
      before_cursor: paged && first ? encodeCursor(first.tokenId) : null,
      token_count: account.tokenCount,
      token_limit: account.tokenLimit,
    },
    links: {
      next: hasNext && last ? link('after', last.tokenId) : null,
      prev: hasPrev && first ? link('before', first.tokenId) : null,
    },
  });
});
