// POST /api/v2/api_tokens — creates a token, with its policy when asked for one; the only response that ever
// contains the full token.
import { apiHandler, changeContextOf, tokenCreated } from '../shared/http/handler';
import { parseBody } from '../shared/http/request';
import { CreateApiTokenBody } from '../shared/http/request-schemas';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.createApiToken, async (request, services) => {
  const sent = parseBody(request, CreateApiTokenBody)?.api_token;
  const createdToken = await services.tokens.create(await changeContextOf(request, services), sent?.description ?? null, {
    expiresAt: sent?.expires_at,
    assignedUserId: sent?.assigned_user_id,
    maxRole: sent?.max_role,
    allowedIps: sent?.allowed_ips,
  });
  return tokenCreated(createdToken, request.baseUrl);
});
