// POST /api/v2/api_tokens/{id}/rotate — a new token with the old one's description and policy, shown once
// like a created one; the old token is replaced at once or keeps working until the grace asked for ends.
import { apiHandler, changeContextOf, tokenCreated } from '../shared/http/handler';
import { parseBody, pathIdOf } from '../shared/http/request';
import { RotateApiTokenBody } from '../shared/http/request-schemas';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.rotateApiToken, async (request, services) => {
  const tokenId = pathIdOf(request);
  const graceSeconds = parseBody(request, RotateApiTokenBody)?.grace_seconds ?? 0;
  return tokenCreated(await services.tokens.rotate(await changeContextOf(request, services), tokenId, graceSeconds), request.baseUrl);
});
