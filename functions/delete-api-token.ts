// DELETE /api/v2/api_tokens/{id} — permanent, and only for a deactivated token (422 TokenActive otherwise).
import { apiHandler, changeContextOf, noContent } from '../shared/http/handler';
import { pathIdOf } from '../shared/http/request';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.deleteApiToken, async (request, services) => {
  const tokenId = pathIdOf(request);
  await services.tokens.delete(await changeContextOf(request, services), tokenId);
  return noContent();
});
