// GET /api/v2/account/settings — the account's API settings.
import { apiHandler, ok } from '../shared/http/handler';
import { presentSettings } from '../shared/http/presenters';
import { getServices } from '../shared/runtime/services';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.showAccountSettings, async (request) => {
  return ok(presentSettings(await getServices().accounts.getAccount(request.caller.accountId)));
});
