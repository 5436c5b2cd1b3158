// GET /api/v2/users/{id} — one user of the caller's account, in the shape of /users/me (what every user
// `url` points at). Admins may read any user of the account; anyone else only themselves (403 otherwise).
import { ForbiddenError } from '../shared/domain/errors';
import { apiHandler, ok } from '../shared/http/handler';
import { pathIdOf } from '../shared/http/request';
import { presentUser } from '../shared/http/presenters';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.showUser, async (request, services) => {
  const { caller } = request;
  const userId = pathIdOf(request);
  // Refused before any read: whether another user exists is not a non-admin's business.
  if (caller.role !== 'admin' && userId !== caller.userId) throw new ForbiddenError();
  const user = await services.accounts.getUserById(caller.accountId, userId);
  return ok({ user: presentUser(user, request.baseUrl) });
});
