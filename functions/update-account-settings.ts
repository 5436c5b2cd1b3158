// PUT /api/v2/account/settings — turning API token access off is the account's kill switch: every token
// fails from the next request. Turning it back on is an operator action (no token works while it is off).
// The maximum token lifetime applies to tokens created after it is set.
import { BadRequestError } from '../shared/domain/errors';
import { apiHandler, changeContextOf, ok } from '../shared/http/handler';
import { parseBody } from '../shared/http/request';
import { presentSettings } from '../shared/http/presenters';
import { UpdateAccountSettingsBody } from '../shared/http/request-schemas';
import { routes } from '../shared/http/routes';

const EXPECTED = 'Request body must be {"settings": {"api": {...}}} with api_token_access (boolean) or api_token_max_lifetime_days (days or null)';

export const handler = apiHandler(routes.updateAccountSettings, async (request, services) => {
  const body = parseBody(request, UpdateAccountSettingsBody);
  const api = body?.settings.api;
  if (api?.api_token_access === undefined && api?.api_token_max_lifetime_days === undefined) throw new BadRequestError(EXPECTED);
  const context = await changeContextOf(request, services);
  const account = await services.accounts.updateAccount(context, context.accountId, {
    apiTokenAccess: api.api_token_access,
    apiTokenMaxLifetimeDays: api.api_token_max_lifetime_days,
  });
  return ok(presentSettings(account));
});
