// PUT /api/v2/account/settings — turning API token access off is the account's kill switch: every token
// fails from the next request. Turning it back on is an operator action (no token works while it is off).
import { BadRequestError } from '../shared/domain/errors';
import { apiHandler, changeContextOf, ok } from '../shared/http/handler';
import { parseBody } from '../shared/http/request';
import { presentSettings } from '../shared/http/presenters';
import { UpdateAccountSettingsBody } from '../shared/http/request-schemas';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.updateAccountSettings, async (request, services) => {
  const body = parseBody(request, UpdateAccountSettingsBody);
  if (!body) throw new BadRequestError('Request body must be {"settings": {"api": {"api_token_access": boolean}}}');
  const context = await changeContextOf(request, services);
  const account = await services.accounts.updateAccount(context, context.accountId, { apiTokenAccess: body.settings.api.api_token_access });
  return ok(presentSettings(account));
});
