// GET /api/v2/users/{id} — one user of the caller's account, in the shape of /users/me (what every user
// `url` points at). Admins may read any user of the account; anyone else only themselves (403 otherwise).
import { ForbiddenError } from '../shared/errors';
import { apiHandler, ok, pathIdOf } from '../shared/http';
import { presentUser } from '../shared/presenters';
import { getServices } from '../shared/services';
import { routes } from './routes';

export const handler = apiHandler(routes.showUser, async (request) => {
  const { caller } = request;
  const userId = pathIdOf(request);
  // Refused before any read: whether another user exists is not a non-admin's business.
  if (caller.role !== 'admin' && userId !== caller.userId) throw new ForbiddenError();
  const user = await getServices().accounts.getUserById(caller.accountId, userId);
  return ok({ user: presentUser(user, request.baseUrl) });
});
