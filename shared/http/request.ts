// Reading an API Gateway event as a request (its caller, from ./caller.ts), the route's access,
// query parameters (only the route's own), the path id, and a body that must be JSON, UTF-8 and small.
// Everything here is a pure function of the event; shared/http/handler.ts runs it inside the wrapper.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from 'zod/mini';
import { BadRequestError, NotFoundError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../domain/errors';
import { parseId } from '../domain/ids';
import { type Authority, ROLES, type RequestMeta, type Role } from '../domain/model';
import type { Caller } from './caller';
import type { Access, RouteDefinition } from './routes';

export const MAX_BODY_BYTES = 16 * 1024;
const JSON_SUFFIX = '.json';

/** A request as a route without an authorizer sees it: no caller, no authority. */
export type PublicRequest = Omit<ApiRequest, 'caller' | 'authority'>;

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

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === wanted);
  return found?.[1] ?? undefined;
}

function baseUrlFrom(event: APIGatewayProxyEvent, configured: string): string {
  const host = header(event, 'host') ?? event.requestContext?.domainName;
  if (!host) return configured;
  const protocol = header(event, 'x-forwarded-proto') ?? (host.startsWith('127.0.0.1') || host.startsWith('localhost') ? 'http' : 'https');
  // The default execute-api endpoint carries the stage in the path; a custom domain does not.
  const stage = host.includes('.execute-api.') && event.requestContext?.stage ? `/${event.requestContext.stage}` : '';
  return `${protocol}://${host}${stage}`;
}

/** The roles a route lets in; a public route has no caller, so none (shared/http/handler.ts serves it without one). */
export const ROLES_WITH_ACCESS: Record<Access, readonly Role[]> = { admin: ['admin'], authenticated: ROLES, public: [] };

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
function bodyFrom(event: APIGatewayProxyEvent, maxBytes: number): string | null {
  if (event.body === null || event.body === undefined || event.body === '') return null;
  const tooLarge = () => new PayloadTooLargeError(`Request body is larger than ${maxBytes / 1024} KiB`);
  if (!event.isBase64Encoded) {
    if (Buffer.byteLength(event.body, 'utf8') > maxBytes) throw tooLarge();
    return event.body;
  }
  const bytes = Buffer.from(event.body, 'base64');
  if (bytes.length > maxBytes) throw tooLarge();
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

export function requestFrom(event: APIGatewayProxyEvent, caller: Caller, route: RouteDefinition, apiBaseUrl: string): ApiRequest {
  const request = publicRequestFrom(event, route, apiBaseUrl);
  return {
    caller,
    authority: {
      accountId: caller.accountId,
      userId: caller.userId,
      email: caller.email,
      apiTokenId: caller.tokenId,
      roles: ROLES_WITH_ACCESS[route.access],
      ...(caller.allowedIps === undefined ? {} : { allowedIps: caller.allowedIps }),
    },
    ...request,
  };
}

/** The request without its caller: everything a route reads from the event itself. */
export function publicRequestFrom(event: APIGatewayProxyEvent, route: RouteDefinition, apiBaseUrl: string): PublicRequest {
  if (route.method === 'POST' || route.method === 'PUT') requireJsonBody(event);
  checkQueryNames(event, route.query);
  const multiQuery: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) multiQuery[key] = values ?? [];
  for (const [key, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && !multiQuery[key]) multiQuery[key] = [value];
  }
  const query: Record<string, string | undefined> = {};
  for (const [key, values] of Object.entries(multiQuery)) {
    if (values.length > 1 && !key.endsWith('[]') && !route.repeatableQuery.includes(key)) throw new BadRequestError(`Query parameter ${key} is given more than once`);
    query[key] = values[values.length - 1];
  }
  return {
    query,
    multiQuery,
    pathId: event.pathParameters?.id,
    body: bodyFrom(event, route.maxBodyBytes ?? MAX_BODY_BYTES),
    baseUrl: baseUrlFrom(event, apiBaseUrl),
    meta: {
      ipAddress: event.requestContext?.identity?.sourceIp ?? null,
      userAgent: event.requestContext?.identity?.userAgent ?? header(event, 'user-agent') ?? null,
    },
  };
}

/** The `{id}` path segment as an id: the `.json` suffix is stripped; anything not an id is a 404. */
export function pathIdOf(request: ApiRequest): number {
  const raw = request.pathId?.endsWith(JSON_SUFFIX) ? request.pathId.slice(0, -JSON_SUFFIX.length) : request.pathId;
  const id = raw === undefined ? undefined : parseId(raw);
  if (id === undefined) throw new NotFoundError();
  return id;
}

/** Parses the JSON body against a schema: malformed JSON or a wrong structure is a 400 that says what is wrong. */
export function parseBody<Schema extends z.ZodMiniType>(request: Pick<ApiRequest, 'body'>, schema: Schema): z.infer<Schema> | undefined {
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
