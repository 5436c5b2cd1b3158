// GET /api/v2/api_tokens/{id} — one token of the caller's account (visible form only).
import { apiHandler, ok } from '../shared/http/handler';
import { pathIdOf } from '../shared/http/request';
import { presentToken } from '../shared/http/presenters';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.showApiToken, async (request, services) => {
  const token = await services.tokens.get(request.caller.accountId, pathIdOf(request));
  return ok({ api_token: presentToken(token, request.baseUrl) });
});
