// HTTP plumbing shared by every route handler: reads the caller the authorizer put in the request,
// enforces the route's access, parses query, path id and JSON body strictly, and maps every error
// to the JSON error bodies of docs/architecture.md, "HTTP contract" — a handler itself only calls the domain and shapes the result.
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { OperationContext } from '../domain/audit-entries';
import { withDeadline } from '../domain/deadline';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
} from '../domain/errors';
import { httpResponseForError, internalErrorResponse, jsonResponse, unauthorizedResponse, type HttpResponse } from './error-responses';
import { parseId } from '../domain/ids';
import { appendCallerKeys, logger, startRequestLog } from '../platform/logger';
import { type Authority, ROLES, type RequestMeta, type Role } from '../domain/model';
import { getServices, type Services } from '../runtime/services';
import { HANDLER_DEADLINE_MS } from '../platform/time-budget';
import type { Access, RouteDefinition } from './routes';

export const MAX_BODY_BYTES = 16 * 1024;
const JSON_SUFFIX = '.json';

/** Who is calling, as the authorizer established it. */
export interface Caller {
  accountId: string;
  userId: number;
  email: string;
  role: Role;
  tokenId: number;
}

export interface ApiRequest {
  caller: Caller;
  /** What the caller's changes rest on; the store re-checks it when a change commits. */
  authority: Authority;
  /** Single-valued query parameters. */
  query: Record<string, string | undefined>;
  /** All values of each query parameter, for repeatable filters. */
  multiQuery: Record<string, string[]>;
  /** Raw `{id}` path segment (may end in `.json`). */
  pathId: string | undefined;
  body: string | null;
  /** Absolute base for `url` fields, e.g. `https://api.example.com` or `https://x.execute-api…/prod`. */
  baseUrl: string;
  meta: RequestMeta;
}

export type ApiHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

export const ok = (body: unknown, headers?: Record<string, string>) => jsonResponse(200, body, headers);
export const created = (body: unknown, headers?: Record<string, string>) => jsonResponse(201, body, headers);
export const noContent = (): HttpResponse => ({ statusCode: 204, headers: {}, body: '' });

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === wanted);
  return found?.[1] ?? undefined;
}

/** The authorizer's flat string context; anything missing or malformed means the request is not authenticated. */
function callerFrom(event: APIGatewayProxyEvent): Caller | undefined {
  const context = (event.requestContext?.authorizer ?? {}) as Record<string, unknown>;
  const { accountId, userId, email, role, tokenId } = context;
  if (typeof accountId !== 'string' || typeof email !== 'string' || typeof role !== 'string') return undefined;
  const user = parseId(String(userId));
  const token = parseId(String(tokenId));
  if (user === undefined || token === undefined || !(ROLES as readonly string[]).includes(role)) return undefined;
  return { accountId, userId: user, email, role: role as Role, tokenId: token };
}

function baseUrlFrom(event: APIGatewayProxyEvent, configured: string): string {
  const host = header(event, 'host') ?? event.requestContext?.domainName;
  if (!host) return configured;
  const protocol = header(event, 'x-forwarded-proto') ?? (host.startsWith('127.0.0.1') || host.startsWith('localhost') ? 'http' : 'https');
  // The default execute-api endpoint carries the stage in the path; a custom domain does not.
  const stage = host.includes('.execute-api.') && event.requestContext?.stage ? `/${event.requestContext.stage}` : '';
  return `${protocol}://${host}${stage}`;
}

/** The roles a route lets in. */
const ROLES_WITH_ACCESS: Record<Access, readonly Role[]> = { admin: ['admin'], authenticated: ROLES };

/** Every value of a header, whatever the spelling of its name, from both of API Gateway's header maps. */
function headerValues(event: APIGatewayProxyEvent, name: string): string[] {
  const wanted = name.toLowerCase();
  const matching = <T>(map: Record<string, T> | null | undefined) =>
    Object.entries(map ?? {}).filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
  const multi = matching(event.multiValueHeaders).flatMap((values) => values ?? []);
  if (multi.length > 0) return multi;
  return matching(event.headers).filter((value): value is string => value !== undefined);
}

/**
 * A body must say it is JSON: one `Content-Type` whose media type is `application/json` (parameters such as
 * `charset=utf-8` allowed). Without this, a cross-site HTML form (`text/plain`, form-encoded, multipart)
 * could make changes from a browser that holds cached Basic credentials.
 */
function requireJsonBody(event: APIGatewayProxyEvent): void {
  if (event.body === null || event.body === undefined || event.body === '') return;
  const types = headerValues(event, 'content-type');
  const mediaType = types.length === 1 ? types[0]!.split(';')[0]!.trim().toLowerCase() : undefined;
  if (mediaType !== 'application/json') {
    throw new UnsupportedMediaTypeError('Request bodies must be JSON, sent with Content-Type: application/json');
  }
}

// Fatal: bytes that are not UTF-8 are an error, not U+FFFD. ignoreBOM keeps a leading BOM in the text, so
// that JSON.parse refuses it as before rather than the decoder dropping it silently.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// The body as text. The API's binary media types are */* (cdk/api-token-service.ts), so API Gateway passes
// the bytes as sent, base64-encoded, and they are decoded here, strictly; a text body (a direct invocation)
// is taken as it is. The size limit counts bytes.
function bodyFrom(event: APIGatewayProxyEvent): string | null {
  if (event.body === null || event.body === undefined || event.body === '') return null;
  if (!event.isBase64Encoded) {
    if (Buffer.byteLength(event.body, 'utf8') > MAX_BODY_BYTES) throw new PayloadTooLargeError(`Request body is larger than ${MAX_BODY_BYTES / 1024} KiB`);
    return event.body;
  }
  const bytes = Buffer.from(event.body, 'base64');
  if (bytes.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(`Request body is larger than ${MAX_BODY_BYTES / 1024} KiB`);
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new BadRequestError('Request body is not valid UTF-8');
  }
}

/**
 * Refuses every query parameter the route does not read (its list in shared/http/routes.ts), on every route
 * alike: a misspelt filter must not silently list everything. Names are read from the event's own keys,
 * before they become properties anywhere, so that `__proto__` is a name like any other.
 */
function checkQueryNames(event: APIGatewayProxyEvent, known: readonly string[]): void {
  const names = [...Object.keys(event.multiValueQueryStringParameters ?? {}), ...Object.keys(event.queryStringParameters ?? {})];
  const unknown = names.find((name) => !known.includes(name));
  if (unknown !== undefined) throw new BadRequestError(`Unknown query parameter ${unknown}`);
}

function requestFrom(event: APIGatewayProxyEvent, caller: Caller, route: RouteDefinition, services: Services): ApiRequest {
  checkQueryNames(event, route.query);
  const multiQuery: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) multiQuery[key] = values ?? [];
  for (const [key, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && !multiQuery[key]) multiQuery[key] = [value];
  }
  const query: Record<string, string | undefined> = {};
  for (const [key, values] of Object.entries(multiQuery)) {
    if (values.length > 1 && !key.endsWith('[]')) throw new BadRequestError(`Query parameter ${key} is given more than once`);
    query[key] = values[values.length - 1];
  }
  return {
    caller,
    authority: {
      accountId: caller.accountId,
      userId: caller.userId,
      email: caller.email,
      apiTokenId: caller.tokenId,
      roles: ROLES_WITH_ACCESS[route.access],
    },
    query,
    multiQuery,
    pathId: event.pathParameters?.id,
    body: bodyFrom(event),
    baseUrl: baseUrlFrom(event, services.config.apiBaseUrl),
    meta: {
      ipAddress: event.requestContext?.identity?.sourceIp ?? null,
      userAgent: event.requestContext?.identity?.userAgent ?? header(event, 'user-agent') ?? null,
    },
  };
}

/** What a route does with a parsed, authorized request, given the services it works with. */
export type RouteLogic = (request: ApiRequest, services: Services) => Promise<HttpResponse>;

/** A route's Lambda handler, which can also be run with other services (a test's in-memory store). */
export interface RouteHandler extends ApiHandler {
  withServices(services: Services): ApiHandler;
}

/**
 * Wraps a route's logic: access check from the route list, error mapping, no stack traces out, one
 * deadline for the whole invocation (platform/time-budget.ts: a 503 instead of a Lambda timeout), and
 * log lines that carry the invocation, the route and the caller. In production the services are built
 * once per container (runtime/services.ts).
 */
export function apiHandler(route: RouteDefinition, logic: RouteLogic): RouteHandler {
  const handlerWith = (servicesOf: () => Services): ApiHandler => (event, context) =>
    withDeadline(HANDLER_DEADLINE_MS, async () => {
      startRequestLog(context, { route: route.name });
      try {
        const caller = callerFrom(event);
        if (!caller) return unauthorizedResponse();
        appendCallerKeys(caller);
        if (!ROLES_WITH_ACCESS[route.access].includes(caller.role)) throw new ForbiddenError();
        if (route.method === 'POST' || route.method === 'PUT') requireJsonBody(event);
        const services = servicesOf();
        return await logic(requestFrom(event, caller, route, services), services);
      } catch (error) {
        const response = httpResponseForError(error);
        if (response?.statusCode === 503) logger.warn('Service unavailable', { route: route.name, reason: error instanceof Error ? error.message : String(error) });
        if (response) return response;
        logger.error('Unhandled error', { route: route.name, error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) });
        return internalErrorResponse();
      }
    });
  return Object.assign(handlerWith(getServices), { withServices: (services: Services) => handlerWith(() => services) });
}

/** The `{id}` path segment as an id: the `.json` suffix is stripped; anything not an id is a 404. */
export function pathIdOf(request: ApiRequest): number {
  const raw = request.pathId?.endsWith(JSON_SUFFIX) ? request.pathId.slice(0, -JSON_SUFFIX.length) : request.pathId;
  const id = raw === undefined ? undefined : parseId(raw);
  if (id === undefined) throw new NotFoundError();
  return id;
}

/** Parses the JSON body against a schema: malformed JSON or a wrong structure is a 400 that says what is wrong. */
export function parseBody<Schema extends z.ZodMiniType>(request: ApiRequest, schema: Schema): z.infer<Schema> | undefined {
  if (request.body === null || request.body.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(request.body);
  } catch {
    throw new BadRequestError('Request body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`);
    throw new BadRequestError(`Invalid request body: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * The context of a change made by the caller: the actor's name comes from their user record, and the
 * change commits only while the caller's authority holds.
 */
export async function changeContextOf(request: ApiRequest, { store }: Services): Promise<OperationContext> {
  const user = await store.getUser(request.caller.accountId, request.caller.email);
  // Removed (or removed and added again) since the authorizer let the request in.
  if (!user || user.userId !== request.caller.userId) throw new UnauthenticatedError();
  return {
    accountId: request.caller.accountId,
    actor: { kind: 'user', userId: user.userId, name: user.name, email: user.email, role: user.role, apiTokenId: request.caller.tokenId },
    request: request.meta,
    authority: request.authority,
  };
}
