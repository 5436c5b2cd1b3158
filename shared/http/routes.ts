// The route list: the one place that names each route's method, path, handler, access and query parameters.
// The local emulator serves exactly these routes; the CDK stack deploys exactly these routes; the OpenAPI
// document documents exactly these query parameters, and shared/http/handler.ts refuses any other (400).
import { AUDIT_LOG_PARAMETERS, AUDIT_LOG_REPEATABLE_PARAMETERS } from './audit-log-query';
import { PAGE_PARAMETERS } from './pagination';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
/**
 * `authenticated`: any verified user the authorizer lets through (the handler may narrow it, as showUser
 * does to the caller's own record); `admin`: admins only (403 otherwise); `public`: no authorizer at all
 * (API Gateway's AuthorizationType NONE, and the emulator does not call it), for callers that hold no
 * credentials of an account, such as secret scanners reporting leaked tokens.
 */
export type Access = 'authenticated' | 'admin' | 'public';

/** A method's own throttling in the stage, tighter than the stage's: steady requests per second, and the burst above it. */
export interface MethodThrottling {
  rateLimit: number;
  burstLimit: number;
}

export interface RouteDefinition {
  /** Stable name: the handler's function name in CDK and the key in `routes`. */
  name: string;
  method: HttpMethod;
  /** API Gateway resource path; `{id}` takes a whole segment, so `/api_tokens/{id}` also receives `7.json`. */
  path: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  access: Access;
  /** Every query parameter name the route reads (as decoded, e.g. `page[size]`); any other is a 400. */
  query: readonly string[];
  /** Names that may be given more than once although they do not end in `[]`; any other repeated name is a 400. */
  repeatableQuery: readonly string[];
  /**
   * True when the handler queries the table itself (a listing of one account's items); only then does CDK
   * grant Query on the table. Every other read is a GetItem by key. test/integration/route-table-access.test.ts
   * runs each route and checks this against the requests it sends.
   */
  queriesTable: boolean;
  /** True when the handler queries the audit log's indexes; only then does CDK grant Query on them. */
  queriesAuditIndexes: boolean;
  /** The largest body the route reads, in bytes (413 above it); MAX_BODY_BYTES of shared/http/request.ts when absent. */
  maxBodyBytes?: number;
  /** The route's own method throttling in the stage; absent: the stage's throttling alone. */
  throttling?: MethodThrottling;
  /**
   * True when the handler's transaction may delete items: the DELETE routes, and the rotation, which replaces
   * its old token in the same transaction. Only then does CDK grant DeleteItem.
   */
  deletesItems: boolean;
}

/**
 * Leak reports are unauthenticated: their methods get their own limit, far below the stage's, so that a
 * flood of reports cannot spend the stage's budget of the authenticated routes.
 */
export const LEAK_REPORT_THROTTLING: MethodThrottling = { rateLimit: 10, burstLimit: 20 };
/** A leak report holds up to 100 tokens of up to 100 characters, JSON-quoted, with room for whitespace. */
export const LEAK_REPORT_MAX_BODY_BYTES = 64 * 1024;

const route = (name: string, method: HttpMethod, path: string, file: string, access: Access): RouteDefinition => ({
  name,
  method,
  path,
  entry: `functions/${file}.ts`,
  access,
  query: [],
  repeatableQuery: [],
  queriesTable: false,
  queriesAuditIndexes: false,
  deletesItems: method === 'DELETE',
});

export const routes = {
  showCurrentUser: route('showCurrentUser', 'GET', '/api/v2/users/me', 'show-current-user', 'authenticated'),
  showUser: route('showUser', 'GET', '/api/v2/users/{id}', 'show-user', 'authenticated'),
  listApiTokens: { ...route('listApiTokens', 'GET', '/api/v2/api_tokens', 'list-api-tokens', 'admin'), query: PAGE_PARAMETERS, queriesTable: true },
  createApiToken: route('createApiToken', 'POST', '/api/v2/api_tokens', 'create-api-token', 'admin'),
  showApiToken: route('showApiToken', 'GET', '/api/v2/api_tokens/{id}', 'show-api-token', 'admin'),
  updateApiToken: route('updateApiToken', 'PUT', '/api/v2/api_tokens/{id}', 'update-api-token', 'admin'),
  deleteApiToken: route('deleteApiToken', 'DELETE', '/api/v2/api_tokens/{id}', 'delete-api-token', 'admin'),
  rotateApiToken: { ...route('rotateApiToken', 'POST', '/api/v2/api_tokens/{id}/rotate', 'rotate-api-token', 'admin'), deletesItems: true },
  listAuditLogs: { ...route('listAuditLogs', 'GET', '/api/v2/audit_logs', 'list-audit-logs', 'admin'), query: AUDIT_LOG_PARAMETERS, repeatableQuery: AUDIT_LOG_REPEATABLE_PARAMETERS, queriesTable: true, queriesAuditIndexes: true },
  showAuditLog: route('showAuditLog', 'GET', '/api/v2/audit_logs/{id}', 'show-audit-log', 'admin'),
  showAccountSettings: route('showAccountSettings', 'GET', '/api/v2/account/settings', 'show-account-settings', 'admin'),
  updateAccountSettings: route('updateAccountSettings', 'PUT', '/api/v2/account/settings', 'update-account-settings', 'admin'),
  reportLeakedTokens: {
    ...route('reportLeakedTokens', 'POST', '/api/v2/api_tokens/revocations', 'report-leaked-tokens', 'public'),
    maxBodyBytes: LEAK_REPORT_MAX_BODY_BYTES,
    throttling: LEAK_REPORT_THROTTLING,
  },
} satisfies Record<string, RouteDefinition>;

export const routeList: readonly RouteDefinition[] = Object.values(routes);

/**
 * Every resource path a route answers on: its path, plus a `.json` twin when the last segment is literal
 * (a `{param}` segment already receives the suffix and the handler strips it).
 */
export function resourcePaths(definition: RouteDefinition): string[] {
  return definition.path.endsWith('}') ? [definition.path] : [definition.path, `${definition.path}.json`];
}
