// GET /api/v2/audit_logs — the account's audit log (Enterprise plans), filtered, sorted, cursor-paged or,
// in Zendesk's offset form, paged by number within the first 10,000 records.
import { parseAuditLogQuery } from '../shared/http/audit-log-query';
import { apiHandler, ok } from '../shared/http/handler';
import { cursorPage, offsetPage } from '../shared/http/pagination';
import { presentAuditLog } from '../shared/http/presenters';
import { routes } from '../shared/http/routes';

const PATH = '/api/v2/audit_logs.json';

export const handler = apiHandler(routes.listAuditLogs, async (request, services) => {
  const parsed = parseAuditLogQuery(request.query, request.multiQuery);
  const { accountId } = request.caller;
  if (parsed.pagination === 'offset') {
    const entries = await services.auditLog.listAtOffset(accountId, parsed.query);
    const audit_logs = entries.items.map((entry) => presentAuditLog(entry, request.baseUrl));
    return ok({ audit_logs, ...offsetPage(request, PATH, parsed, entries) });
  }
  const entries = await services.auditLog.list(accountId, parsed.query);
  const { meta, links } = cursorPage(request, PATH, parsed.query.page, entries, (entry) => entry.auditId);
  return ok({ audit_logs: entries.items.map((entry) => presentAuditLog(entry, request.baseUrl)), meta, links });
});
