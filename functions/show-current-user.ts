// GET /api/v2/users/me — the authenticated user, as the token and email resolved it.
import { apiHandler, ok } from '../shared/http/handler';
import { presentUser } from '../shared/http/presenters';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.showCurrentUser, async ({ caller, baseUrl }, services) => {
  const user = await services.accounts.getUser(caller.accountId, caller.email);
  return ok({ user: presentUser(user, baseUrl) });
});
