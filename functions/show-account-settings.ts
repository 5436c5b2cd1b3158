// GET /api/v2/account/settings — the account's API settings.
import { apiHandler, ok } from '../shared/http';
import { presentSettings } from '../shared/presenters';
import { getServices } from '../shared/services';
import { routes } from './routes';

export const handler = apiHandler(routes.showAccountSettings, async (request) => {
  return ok(presentSettings(await getServices().accounts.getAccount(request.caller.accountId)));
});
