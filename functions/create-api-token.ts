// POST /api/v2/api_tokens — creates a token, with its policy when asked for one; the only response that ever
// contains the full token.
import { apiHandler, changeContextOf, created } from '../shared/http/handler';
import { parseBody } from '../shared/http/request';
import { presentToken } from '../shared/http/presenters';
import { CreateApiTokenBody } from '../shared/http/request-schemas';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.createApiToken, async (request, services) => {
  const sent = parseBody(request, CreateApiTokenBody)?.api_token;
  const { apiToken, token } = await services.tokens.create(await changeContextOf(request, services), sent?.description ?? null, {
    expiresAt: sent?.expires_at,
    assignedUserId: sent?.assigned_user_id,
    maxRole: sent?.max_role,
    allowedIps: sent?.allowed_ips,
  });
  const json = { ...presentToken(apiToken, request.baseUrl), token };
  return created({ api_token: json }, { Location: json.url, 'Cache-Control': 'no-store' });
});
