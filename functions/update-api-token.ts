// PUT /api/v2/api_tokens/{id} — edits the description and/or (de)activates; deactivation is immediate.
import { BadRequestError } from '../shared/domain/errors';
import { apiHandler, changeContextOf, ok } from '../shared/http/handler';
import { parseBody, pathIdOf } from '../shared/http/request';
import { presentToken } from '../shared/http/presenters';
import { UpdateApiTokenBody } from '../shared/http/request-schemas';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.updateApiToken, async (request, services) => {
  const tokenId = pathIdOf(request);
  const body = parseBody(request, UpdateApiTokenBody);
  if (!body) throw new BadRequestError('Request body must be {"api_token": {...}}');
  const token = await services.tokens.update(await changeContextOf(request, services), tokenId, body.api_token);
  return ok({ api_token: presentToken(token, request.baseUrl) });
});
