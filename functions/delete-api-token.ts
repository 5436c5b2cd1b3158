// DELETE /api/v2/api_tokens/{id} — permanent, and only for a deactivated token (422 TokenActive otherwise).
import { apiHandler, changeContextOf, noContent, pathIdOf } from '../shared/http/handler';
import { getServices } from '../shared/runtime/services';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.deleteApiToken, async (request) => {
  const tokenId = pathIdOf(request);
  await getServices().tokens.delete(await changeContextOf(request), tokenId);
  return noContent();
});
