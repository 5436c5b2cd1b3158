// Builds the OpenAPI 3.1 document of the whole HTTP API from the route list and the same zod schemas that
// validate requests (shared/http/request-schemas.ts) and describe responses (shared/http/response-schemas.ts).
import './zod-openapi';
import { OpenApiGeneratorV31, OpenAPIRegistry, type RouteConfig, type ZodMediaTypeObject } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { LEAK_REPORT_THROTTLING, resourcePaths, routeList, routes, type RouteDefinition } from '../shared/http/routes';
import {
  ApiTokenJson,
  ApiTokenListJson,
  AuditLogJson,
  AuditLogListJson,
  AuditLogOffsetListJson,
  CreatedApiTokenJson,
  ErrorJson,
  RecordInvalidJson,
  SettingsJson,
  UnauthorizedJson,
  UserJson,
} from '../shared/http/response-schemas';
import { AUDIT_ACTIONS, SECRET_SCANNING_ACTOR } from '../shared/domain/model';
import { MAX_REPORTED_TOKENS, REPORTED_LEAKED_EVENT } from '../shared/domain/leak-reports';
import { MAX_OFFSET_RECORDS } from '../shared/domain/audit-log-service';
import { AUDIT_READ_WINDOW } from '../shared/store/audit-query';
import { MAX_BODY_BYTES } from '../shared/http/request';
import { MAX_PAGE_SIZE } from '../shared/http/pagination';
import * as zm from 'zod/mini';
import { CreateApiTokenBody, LeakReportBody, RotateApiTokenBody, UpdateAccountSettingsBody, UpdateApiTokenBody } from '../shared/http/request-schemas';
import { LEAK_REPORT_RESPONSE_FLOOR_MS } from '../shared/platform/time-budget';

type RouteName = keyof typeof routes;
type Responses = RouteConfig['responses'];

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

/**
 * The request schemas are zod/mini (small Lambda bundles), which zod-to-openapi does not read: they enter
 * the document as the JSON Schema zod itself derives from them — the same schemas that validate requests.
 */
function requestBodySchema(schema: zm.ZodMiniType): ZodMediaTypeObject['schema'] {
  const jsonSchema = zm.toJSONSchema(schema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  // OpenAPI 3.1 states the dialect once for the whole document.
  delete jsonSchema.$schema;
  return jsonSchema as ZodMediaTypeObject['schema'];
}

const registry = new OpenAPIRegistry();
const schemas = {
  ApiToken: registry.register('ApiToken', ApiTokenJson),
  CreatedApiToken: registry.register('CreatedApiToken', CreatedApiTokenJson),
  ApiTokenList: registry.register('ApiTokenList', ApiTokenListJson),
  User: registry.register('User', UserJson),
  AuditLog: registry.register('AuditLog', AuditLogJson),
  AuditLogList: registry.register('AuditLogList', AuditLogListJson),
  AuditLogOffsetList: registry.register('AuditLogOffsetList', AuditLogOffsetListJson),
  Settings: registry.register('Settings', SettingsJson),
  Unauthorized: registry.register('Unauthorized', UnauthorizedJson),
  Error: registry.register('Error', ErrorJson),
  RecordInvalid: registry.register('RecordInvalid', RecordInvalidJson),
};
const basicAuth = registry.registerComponent('securitySchemes', 'apiToken', {
  type: 'http',
  scheme: 'basic',
  description: 'HTTP Basic with username `{email}/token` and the API token as password; `{email}` is any verified user of the token\'s account.',
});

/** Answers every route can give, whatever it does. */
const commonErrors: Responses = {
  401: {
    ...json(
      schemas.Unauthorized,
      'Not authenticated: missing, malformed or repeated Authorization header; unknown, deactivated, expired or deleted token; unknown, unverified or suspended user, or one the token is not assigned to; an address outside the token\'s IP allow-list; API token access off; suspended account. A change is also refused with this 401 when any of these stopped holding between the request\'s authentication and the change\'s commit.',
    ),
    headers: { 'WWW-Authenticate': { schema: { type: 'string', const: 'Basic realm="Web Password"' } } },
  },
  403: json(schemas.Error, 'Forbidden: the role (or plan) does not allow this.'),
  429: json(schemas.Error, 'Throttled by API Gateway; retry after `Retry-After` seconds.'),
  500: json(schemas.Error, 'Internal error.'),
  503: {
    ...json(schemas.Error, 'DynamoDB is throttling, unavailable or not answering in time (also while authenticating); retry after `Retry-After` seconds.'),
    headers: { 'Retry-After': { schema: { type: 'string' } } },
  },
};
/** Answers a route without credentials can give, whatever it does: no 401 or 403, as nothing is authenticated. */
const publicErrors: Responses = Object.fromEntries(Object.entries(commonErrors).filter(([status]) => status !== '401' && status !== '403'));
const badRequest: Responses = {
  400: json(schemas.Error, 'A body that is not UTF-8 or not JSON, or of the wrong structure; a query parameter the route does not take (`Unknown query parameter …`), given twice, or with a bad value or cursor.'),
};
const notFound: Responses = { 404: json(schemas.Error, 'No such record in this account (another account\'s ids are not found either).') };
const tooLargeAbove = (bytes: number): Responses => ({ 413: json(schemas.Error, `Request body over ${bytes / 1024} KiB.`) });
const tooLarge = tooLargeAbove(MAX_BODY_BYTES);
const unsupportedMediaType: Responses = {
  415: json(schemas.Error, '`UnsupportedMediaType`: a request body must be sent with `Content-Type: application/json` (parameters such as `charset=utf-8` allowed).'),
};
const invalid = (what: string): Responses => ({ 422: json(schemas.RecordInvalid, what) });

const IdParam = z.object({ id: z.string().describe('Record id; a `.json` suffix is accepted.') });

/**
 * How each query parameter is documented. Which route takes which parameters is the route list's
 * `query` (shared/http/routes.ts), the same list the handlers enforce; a parameter missing here fails the build
 * of the document rather than going undocumented.
 */
const QUERY_PARAMETERS: Record<string, z.ZodType> = {
  'page[size]': z.string().optional().describe(`Page size, 1–${MAX_PAGE_SIZE}.`),
  'page[after]': z.string().optional().describe('Cursor: the page after this one.'),
  'page[before]': z.string().optional().describe('Cursor: the page before this one.'),
  'filter[source_type]': z.enum(['api_token', 'apitoken', 'account_settings', 'account', 'user']).optional(),
  'filter[source_id]': z
    .string()
    .optional()
    .describe('With `filter[source_type]` `api_token` or `user`: an id, a positive integer below 2^53. With `account` or `account_settings`: the account id.'),
  'filter[actor_id]': z.string().optional().describe('A user id (a positive integer below 2^53), or a system actor: `-1` for changes made by an operator, `-2` for deactivations by secret scanning (leak reports), `-3` for the token sweep.'),
  'filter[actor_api_token_id]': z.string().optional().describe('An API token id: the entries of changes made with that token, everything it did.'),
  'filter[action]': z.enum(AUDIT_ACTIONS).optional(),
  'filter[action][]': z.array(z.enum(AUDIT_ACTIONS)).optional().describe('Repeatable; entries with any of the actions.'),
  'filter[ip_address]': z.string().optional(),
  'filter[created_at][]': z.array(z.string()).optional().describe('Given twice: start, then end (ISO-8601, between 1970 and 9999).'),
  'filter[created_at]': z.array(z.string()).optional().describe('The same as `filter[created_at][]`, in the form Zendesk documents: given twice, start then end. Use one form or the other.'),
  sort: z.enum(['-created_at', 'created_at']).optional().describe('`created_at`: oldest first; `-created_at` (the default): newest first.'),
  sort_by: z.enum(['created_at']).optional().describe('Zendesk\'s form of `sort`, with `sort_order`; not together with `sort`.'),
  sort_order: z.enum(['asc', 'desc']).optional().describe('With `sort_by`: `asc` or `desc` (the default).'),
  page: z.string().optional().describe(`Offset pagination: the page number, from 1. Offset pagination reaches the first ${MAX_OFFSET_RECORDS} records; a page starting beyond them is a 400 that says to use cursor pagination. Not together with \`page[size]\`, \`page[after]\` or \`page[before]\`.`),
  per_page: z.string().optional().describe(`Offset pagination: entries per page, 1–${MAX_PAGE_SIZE} (default ${MAX_PAGE_SIZE}).`),
};

/** The query schema of a route, from its parameter list; none for a route that takes no parameters. */
function queryOf(route: RouteDefinition): RouteConfig['request'] {
  if (route.query.length === 0) return {};
  const shape = Object.fromEntries(
    route.query.map((name) => {
      const schema = QUERY_PARAMETERS[name];
      if (!schema) throw new Error(`scripts/openapi-document.ts: query parameter ${name} of ${route.name} has no entry in QUERY_PARAMETERS`);
      return [name, schema];
    }),
  );
  return { query: z.object(shape) };
}

const operations: Record<RouteName, Omit<RouteConfig, 'method' | 'path'>> = {
  showCurrentUser: {
    summary: 'The authenticated user',
    responses: { 200: json(z.strictObject({ user: schemas.User }), 'The user the credentials authenticate as.') },
  },
  showUser: {
    summary: 'Show a user',
    description: 'Any user of the account for an admin; anyone else may show only themselves (403 otherwise). Every user `url` points here.',
    request: { params: IdParam },
    responses: { 200: json(z.strictObject({ user: schemas.User }), 'The user, in the shape of `/users/me`.'), ...notFound },
  },
  listApiTokens: {
    summary: 'List API tokens',
    description: 'All tokens of the account without `page[size]`; cursor pages with it.',
    responses: { 200: json(schemas.ApiTokenList, 'Tokens, in creation order.'), ...badRequest },
  },
  createApiToken: {
    summary: 'Create an API token',
    description: 'The full token is in this response only; afterwards only `visible_token` is shown.',
    request: { body: { content: { 'application/json': { schema: requestBodySchema(CreateApiTokenBody) } }, required: false } },
    responses: {
      201: json(z.strictObject({ api_token: schemas.CreatedApiToken }), 'The new token, with `token`.'),
      ...badRequest,
      ...tooLarge,
      ...invalid(
        '`TokenLimitReached` (256, or 2048 for legacy accounts), a bad description, an `assigned_user_id` that is not a user of the account, a bad `allowed_ips`, or an `expires_at` that is not in the future or is beyond the account\'s maximum token lifetime (`details` names each field).',
      ),
    },
  },
  showApiToken: {
    summary: 'Show an API token',
    request: { params: IdParam },
    responses: { 200: json(z.strictObject({ api_token: schemas.ApiToken }), 'The token.'), ...notFound },
  },
  updateApiToken: {
    summary: 'Edit, deactivate or reactivate an API token',
    description:
      'Deactivation takes effect on the next request made with the token, and so does a change of its policy. The editable fields are `description`, `active`, `assigned_user_id`, `max_role` and `allowed_ips`; the body may be the token as GET returned it. Its read-only fields are ignored when absent or equal to the token\'s current value and a 422 naming the field when different (a different `updated_at`: the copy is stale); `last_used`, which moves by itself, is ignored whatever timestamp or null it holds; `token` is always a 422. Any other field is a 400.',
    request: { params: IdParam, body: { content: { 'application/json': { schema: requestBodySchema(UpdateApiTokenBody) } }, required: true } },
    responses: {
      200: json(z.strictObject({ api_token: schemas.ApiToken }), 'The token after the change.'),
      ...badRequest,
      ...notFound,
      ...tooLarge,
      ...invalid('A bad description, an `assigned_user_id` that is not a user of the account, a bad `allowed_ips`, or a read-only field that differs from the token\'s current value, or `token` (`details` names each field).'),
    },
  },
  deleteApiToken: {
    summary: 'Delete a deactivated API token',
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted; the slot is free.' }, ...notFound, ...invalid('`TokenActive`: deactivate the token first.') },
  },
  rotateApiToken: {
    summary: 'Rotate an API token',
    description:
      'A new token with the same description, `assigned_user_id`, `max_role`, `allowed_ips` and lifetime (the old token\'s, counted from now, within the account\'s maximum lifetime; for a token without an expiry, that maximum when the account has one), shown once as a create shows it. With `grace_seconds` 0 (the default; the body may be absent or `{}`) the old token is replaced in the same transaction, in its slot, so a rotation works at the limit. With a grace the new token needs a free slot; the old one keeps working (a deactivated one stays deactivated) until the grace ends, then fails like an expired token and is deleted. A deactivated token may be rotated. Audited as `api_token.rotated` on the old token and `api_token.created` on the new one, each naming the other.',
    request: { params: IdParam, body: { content: { 'application/json': { schema: requestBodySchema(RotateApiTokenBody) } }, required: false } },
    responses: {
      201: json(z.strictObject({ api_token: schemas.CreatedApiToken }), 'The new token, with `token`.'),
      ...badRequest,
      ...notFound,
      ...tooLarge,
      ...invalid('`grace_seconds` out of range (`details.grace_seconds`), `TokenLimitReached` (a grace needs a free slot), or `TokenAlreadyRotated` (the token was already rotated with a grace).'),
    },
  },
  listAuditLogs: {
    summary: 'List audit log entries (Enterprise plans)',
    description:
      'Cursor pagination (`page[size]`, `page[after]`, `page[before]`; the default and the recommended form) answers `meta` and `links`. ' +
      'Every filter and combination of filters costs the same whatever the size of the history: a page reads at most ' +
      `${AUDIT_READ_WINDOW} entries, so a combination of filters that matches few of them may answer a page with fewer than \`page[size]\` entries, even none, ` +
      'with `meta.has_more: true` and a cursor that continues after the entries already looked at: keep following `links.next` while `meta.has_more` is true. ' +
      `Offset pagination (\`page\`, \`per_page\`) answers Zendesk's \`next_page\`, \`previous_page\` and \`count\`, within the first ${MAX_OFFSET_RECORDS} records read in order: ` +
      `\`count\` is the matching records among them (at most ${MAX_OFFSET_RECORDS}), and a page beyond them is a 400. ` +
      'Filtered listings are read from indexes that DynamoDB updates within about a second of a change; the unfiltered listing is read consistently.',
    responses: {
      200: {
        description: 'Entries, newest first unless `sort=created_at` or `sort_order=asc`: the cursor shape, or with `page`/`per_page` the offset shape.',
        content: { 'application/json': { schema: z.union([schemas.AuditLogList, schemas.AuditLogOffsetList]) } },
      },
      ...badRequest,
    },
  },
  showAuditLog: {
    summary: 'Show an audit log entry (Enterprise plans)',
    request: { params: IdParam },
    responses: { 200: json(z.strictObject({ audit_log: schemas.AuditLog }), 'The entry.'), ...notFound },
  },
  showAccountSettings: {
    summary: 'Account API settings',
    responses: { 200: json(schemas.Settings, 'The settings.') },
  },
  updateAccountSettings: {
    summary: 'Change account API settings',
    description:
      'Each setting may be left out, but not all. Turning `api_token_access` off makes every token of the account fail from the next request; turning it back on is an operator action (no token works while it is off). `api_token_max_lifetime_days` applies to tokens created after it is set: a create without `expires_at` gets that lifetime, one beyond it is a 422; null removes the maximum.',
    request: { body: { content: { 'application/json': { schema: requestBodySchema(UpdateAccountSettingsBody) } }, required: true } },
    responses: {
      200: json(schemas.Settings, 'The settings after the change.'),
      ...badRequest,
      ...tooLarge,
      ...invalid('`api_token_max_lifetime_days` out of range (`details.api_token_max_lifetime_days`).'),
    },
  },
  reportLeakedTokens: {
    summary: 'Report leaked API tokens (secret scanning)',
    description:
      'For secret scanners: no credentials (an `Authorization` header is ignored). Each reported string that is an existing, active API token of any account is deactivated at once, ' +
      `with an audit entry \`${REPORTED_LEAKED_EVENT}\` in its account by actor ${SECRET_SCANNING_ACTOR.actorId} "${SECRET_SCANNING_ACTOR.actorName}", with the reporter's IP address; ` +
      'strings that are not in the token format (see the README, "Token format") are ignored. The answer is `202 {}` whatever was found, ' +
      `sent no sooner than ${LEAK_REPORT_RESPONSE_FLOOR_MS / 1000} s after the request arrived, so neither the answer nor its timing tells which strings were tokens. ` +
      `At most ${MAX_REPORTED_TOKENS} strings per report; the method is throttled on its own (${LEAK_REPORT_THROTTLING.rateLimit} requests per second, bursts of ${LEAK_REPORT_THROTTLING.burstLimit}). ` +
      'After a 503 or a 429 send the whole report again: tokens already deactivated are left as they are.',
    request: { body: { content: { 'application/json': { schema: requestBodySchema(LeakReportBody) } }, required: true } },
    responses: {
      202: json(z.strictObject({}), 'Received; the same answer whatever the report held.'),
      400: json(schemas.Error, `A body that is not UTF-8 or not JSON, not an object with exactly \`tokens\`, or \`tokens\` not an array of 1–${MAX_REPORTED_TOKENS} strings; a query parameter.`),
    },
  },
};

function register(route: RouteDefinition): void {
  const operation = operations[route.name as RouteName];
  const isPublic = route.access === 'public';
  for (const path of resourcePaths(route)) {
    registry.registerPath({
      ...operation,
      request: { ...operation.request, ...queryOf(route) },
      operationId: path.endsWith('.json') ? `${route.name}Json` : route.name,
      method: route.method.toLowerCase() as RouteConfig['method'],
      path,
      // A public route takes no credentials: an empty list says so.
      security: isPublic ? [] : [{ [basicAuth.name]: [] }],
      // Any route answers 400 to an ambiguous query (a repeated parameter) and 413 to an oversized body.
      responses: {
        ...badRequest,
        ...tooLargeAbove(route.maxBodyBytes ?? MAX_BODY_BYTES),
        ...(route.method === 'POST' || route.method === 'PUT' ? unsupportedMediaType : {}),
        ...operation.responses,
        ...(isPublic ? publicErrors : commonErrors),
      },
    });
  }
}

routeList.forEach(register);

export function buildOpenApiDocument() {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'API token service',
      version: '1.0.0',
      description: 'Zendesk-style API tokens: management API, audit log and account settings. Every path also answers with a `.json` suffix.',
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'Local stack (`npm start`)' }],
  });
}
