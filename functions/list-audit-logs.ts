// GET /api/v2/audit_logs — the account's audit log (Enterprise plans), filtered, sorted, cursor-paged.
import { parseAuditLogQuery } from '../shared/http/audit-log-query';
import { apiHandler, ok } from '../shared/http/handler';
import { cursorPage } from '../shared/http/pagination';
import { presentAuditLog } from '../shared/http/presenters';
import { routes } from '../shared/http/routes';

export const handler = apiHandler(routes.listAuditLogs, async (request, services) => {
  const query = parseAuditLogQuery(request.query, request.multiQuery);
  const entries = await services.auditLog.list(request.caller.accountId, query);
  const { meta, links } = cursorPage(request, '/api/v2/audit_logs.json', query.page, entries, (entry) => entry.auditId);
  return ok({ audit_logs: entries.items.map((entry) => presentAuditLog(entry, request.baseUrl)), meta, links });
});
