// PUT /api/v2/api_tokens/{id} — edits the description and the policy (assigned user, role ceiling, IP allow-list) and/or (de)activates;
// deactivation is immediate. The body may be the token as GET returned it: its read-only fields must be as
// the token shows them.
import { BadRequestError } from '../shared/domain/errors';
import { apiHandler, changeContextOf, ok } from '../shared/http/handler';
import { parseBody, pathIdOf } from '../shared/http/request';
import { presentToken } from '../shared/http/presenters';
import { tokenUpdateFrom } from '../shared/http/read-only-fields';
import { UpdateApiTokenBody } from '../shared/http/request-schemas';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.updateApiToken, async (request, services) => {
  const tokenId = pathIdOf(request);
  const body = parseBody(request, UpdateApiTokenBody);
  if (!body) throw new BadRequestError('Request body must be {"api_token": {...}}');
  const { update, precondition } = tokenUpdateFrom(body.api_token, request.baseUrl);
  const token = await services.tokens.update(await changeContextOf(request, services), tokenId, update, precondition);
  return ok({ api_token: presentToken(token, request.baseUrl) });
});
