// PUT /api/v2/account/settings — turning API token access off is the account's kill switch: every token
// fails from the next request. Turning it back on is an operator action (no token works while it is off).
// The maximum token lifetime applies to tokens created after it is set; the inactivity policy is applied by
// the hourly sweep (functions/sweep-tokens.ts).
import { BadRequestError } from '../shared/domain/errors';
import { apiHandler, changeContextOf, ok } from '../shared/http/handler';
import { parseBody } from '../shared/http/request';
import { presentSettings } from '../shared/http/presenters';
import { UpdateAccountSettingsBody } from '../shared/http/request-schemas';
import { routes } from '../shared/http/routes';

const EXPECTED = 'Request body must be {"settings": {"api": {...}}} with api_token_access (boolean), api_token_max_lifetime_days, api_token_inactivity_days or api_token_deactivated_retention_days (days or null)';

export const handler = apiHandler(routes.updateAccountSettings, async (request, services) => {
  const body = parseBody(request, UpdateAccountSettingsBody);
  const api = body?.settings.api;
  if (api === undefined || Object.values(api).every((value) => value === undefined)) throw new BadRequestError(EXPECTED);
  const context = await changeContextOf(request, services);
  const account = await services.accounts.updateAccount(context, context.accountId, {
    apiTokenAccess: api.api_token_access,
    apiTokenMaxLifetimeDays: api.api_token_max_lifetime_days,
    apiTokenInactivityDays: api.api_token_inactivity_days,
    apiTokenDeactivatedRetentionDays: api.api_token_deactivated_retention_days,
  });
  return ok(presentSettings(account));
});
