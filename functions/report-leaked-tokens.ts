// POST /api/v2/api_tokens/revocations — leak reports from secret scanners, without credentials: every reported
// string that is an active token is deactivated at once. The answer is 202 {} whatever was found, and not
// sooner than the configured floor after the handler started, so neither it nor its timing tells which
// strings were tokens. The reported strings are secrets: nothing here logs them.
import { BadRequestError } from '../shared/domain/errors';
import { accepted, publicHandler } from '../shared/http/handler';
import { parseBody } from '../shared/http/request';
import { LeakReportBody } from '../shared/http/request-schemas';
import { noSoonerThan } from '../shared/http/response-floor';
import { routes } from '../shared/http/routes';

export const handler = publicHandler(routes.reportLeakedTokens, (request, services) =>
  noSoonerThan(services.config.leakReportResponseFloorMs, async () => {
    const body = parseBody(request, LeakReportBody);
    if (!body) throw new BadRequestError('Request body must be {"tokens": ["...", ...]}');
    await services.leakReports.report(body.tokens, request.meta);
    return accepted({});
  }),
);
