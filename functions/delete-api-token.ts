// DELETE /api/v2/api_tokens/{id} — permanent, and only for a deactivated token (422 TokenActive otherwise).
import { apiHandler, changeContextOf, noContent, pathIdOf } from '../shared/http';
import { getServices } from '../shared/services';
import { routes } from './routes';

export const handler = apiHandler(routes.deleteApiToken, async (request) => {
  const tokenId = pathIdOf(request);
  await getServices().tokens.delete(await changeContextOf(request), tokenId);
  return noContent();
});
