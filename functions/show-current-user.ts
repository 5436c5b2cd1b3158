// GET /api/v2/users/me — the authenticated user, as the token and email resolved it.
import { apiHandler, ok } from '../shared/http/handler';
import { presentUser } from '../shared/http/presenters';
import { getServices } from '../shared/runtime/services';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.showCurrentUser, async ({ caller, baseUrl }) => {
  const user = await getServices().accounts.getUser(caller.accountId, caller.email);
  return ok({ user: presentUser(user, baseUrl) });
});
