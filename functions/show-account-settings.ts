// GET /api/v2/account/settings — the account's API settings.
import { apiHandler, ok } from '../shared/http/handler';
import { presentSettings } from '../shared/http/presenters';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.showAccountSettings, async (request, services) => {
  return ok(presentSettings(await services.accounts.getAccount(request.caller.accountId)));
});
