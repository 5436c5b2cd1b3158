// GET /api/v2/audit_logs/{id} — one audit entry of the caller's account (Enterprise plans).
import { apiHandler, ok } from '../shared/http/handler';
import { pathIdOf } from '../shared/http/request';
import { presentAuditLog } from '../shared/http/presenters';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.showAuditLog, async (request, services) => {
  const entry = await services.auditLog.get(request.caller.accountId, pathIdOf(request));
  return ok({ audit_log: presentAuditLog(entry, request.baseUrl) });
});
