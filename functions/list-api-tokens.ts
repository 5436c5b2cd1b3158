// GET /api/v2/api_tokens — all of the account's tokens, or cursor pages with page[size].
import { apiHandler, ok } from '../shared/http/handler';
import { cursorPage, parsePageRequest } from '../shared/http/pagination';
import { presentToken } from '../shared/http/presenters';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.listApiTokens, async (request, services) => {
  const page = parsePageRequest(request.query);
  const { account, tokens } = await services.tokens.list(request.caller.accountId, page);
  const { meta, links } = cursorPage(request, '/api/v2/api_tokens.json', page, tokens, (token) => token.tokenId);
  return ok({
    api_tokens: tokens.items.map((token) => presentToken(token, request.baseUrl)),
    count: account.tokenCount,
    meta: { ...meta, token_count: account.tokenCount, token_limit: account.tokenLimit },
    links,
  });
});
