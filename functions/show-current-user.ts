// GET /api/v2/users/me — the authenticated user, as the token and email resolved it.
import { apiHandler, ok } from '../shared/http';
import { presentUser } from '../shared/presenters';
import { getServices } from '../shared/services';
import { routes } from './routes';

export const handler = apiHandler(routes.showCurrentUser, async ({ caller, baseUrl }) => {
  const user = await getServices().accounts.getUser(caller.accountId, caller.email);
  return ok({ user: presentUser(user, baseUrl) });
});
