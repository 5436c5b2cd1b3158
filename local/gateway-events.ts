// Builds the events API Gateway (REST API, Lambda proxy integration, payload v1) sends to a REQUEST
// authorizer and to a route's handler, from one incoming HTTP request, so that local handlers see what
// they will see in AWS: headers and query in single- and multi-value form, decoded path parameters,
// the body's bytes base64-encoded (or null), and a request context with the caller's IP and the authorizer's context.
import type {
  APIGatewayAuthorizerResultContext,
  APIGatewayEventRequestContextWithAuthorizer,
  APIGatewayProxyEvent,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import { createHash } from 'node:crypto';
import type { RouteMatch } from './route-table';

/** The identity of the emulated API: fixed, realistic-looking values for ARNs and request contexts. */
export const LOCAL_API = {
  region: 'us-east-1',
  accountId: '123456789012',
  apiId: 'local',
  stage: 'local',
} as const;

/** What the emulator knows about one request once it has been read. */
export interface IncomingRequest {
  requestId: string;
  receivedAt: Date;
  method: string;
  /** The path as sent, still percent-encoded, without the query string. */
  path: string;
  /** The query string as sent, without `?`. */
  rawQuery: string;
  /** Header name/value pairs in the order received, names as the client spelled them. */
  headerPairs: [string, string][];
  /** The body's bytes as received; null when there is none. */
  body: Buffer | null;
  sourceIp: string;
  /**
   * The API's own origin, e.g. `http://127.0.0.1:3000`: API Gateway answers on its own domain, so the
   * events carry that host (the `Host` header, `requestContext.domainName`) and its scheme and port in
   * the forwarding headers, never the `Host` the client sent.
   */
  origin: string;
}

type HeaderMaps = Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>;
type QueryMaps = Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'>;
type RequestContext = APIGatewayEventRequestContextWithAuthorizer<undefined>;
export type ProxyAuthorizerContext = Record<string, string | number | null>;

/** Pairs `[name, value]` from Node's flat `rawHeaders` list. */
export function headerPairsOf(rawHeaders: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) pairs.push([rawHeaders[index]!, rawHeaders[index + 1]!]);
  return pairs;
}

/** The last value of a header, matched case-insensitively (as `headers` in the event holds it). */
export function headerValue(request: IncomingRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return request.headerPairs.filter(([key]) => key.toLowerCase() === wanted).pop()?.[1];
}

/**
 * API Gateway sets `Host` to the API's own domain and adds the forwarding headers of the hop it makes
 * (X-Forwarded-For gets the caller's IP appended), keeping the first spelling it saw for each header name.
 */
function forwardedHeaderPairs(request: IncomingRequest): [string, string][] {
  const forwardedFor = headerValue(request, 'x-forwarded-for');
  const origin = new URL(request.origin);
  const protocol = origin.protocol.replace(/:$/, '');
  const added: [string, string][] = [
    ['Host', origin.host],
    ['X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp],
    ['X-Forwarded-Port', origin.port || (protocol === 'https' ? '443' : '80')],
    ['X-Forwarded-Proto', protocol],
  ];
  const replaced = new Set(added.map(([name]) => name.toLowerCase()));
  return [...request.headerPairs.filter(([name]) => !replaced.has(name.toLowerCase())), ...added];
}

function headerMaps(request: IncomingRequest): HeaderMaps {
  // Prototype-free maps: a header named `constructor` or `__proto__` is data, not a property of Object.
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  const multiValueHeaders: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const spelling = new Map<string, string>();
  for (const [name, value] of forwardedHeaderPairs(request)) {
    const key = spelling.get(name.toLowerCase()) ?? name;
    spelling.set(name.toLowerCase(), key);
    headers[key] = value;
    (multiValueHeaders[key] ??= []).push(value);
  }
  return { headers, multiValueHeaders };
}

/** Query maps as API Gateway fills them: decoded (`+` is a space), last value wins, null when empty. */
function queryMaps(rawQuery: string): QueryMaps {
  const single: Record<string, string> = Object.create(null) as Record<string, string>;
  const multi: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  const empty = Object.keys(single).length === 0;
  return { queryStringParameters: empty ? null : single, multiValueQueryStringParameters: empty ? null : multi };
}

/** `arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path without leading slash}`. */
export function methodArnOf(method: string, path: string): string {
  const { region, accountId, apiId, stage } = LOCAL_API;
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${method}/${path.replace(/^\//, '')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `09/Apr/2015:12:34:56 +0000`, the format of `requestContext.requestTime`. */
function requestTimeOf(date: Date): string {
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${day}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${date.toISOString().slice(11, 19)} +0000`;
}

/** A stable short id per resource path, like API Gateway's resource ids. */
function resourceIdOf(resourcePath: string): string {
  return createHash('sha256').update(resourcePath).digest('hex').slice(0, 6);
}

function requestContextOf(request: IncomingRequest, match: RouteMatch): RequestContext {
  const { host } = new URL(request.origin);
  return {
    accountId: LOCAL_API.accountId,
    apiId: LOCAL_API.apiId,
    authorizer: undefined,
    domainName: host,
    domainPrefix: host.split('.')[0],
    // One per request, shared by the authorizer's and the handler's event, as in API Gateway.
    extendedRequestId: request.requestId.replace(/-/g, '').slice(0, 16),
    httpMethod: request.method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: request.sourceIp,
      user: null,
      userAgent: headerValue(request, 'user-agent') ?? null,
      userArn: null,
    },
    // Served at the root like a custom domain, so the path carries no stage prefix.
    path: request.path,
    protocol: 'HTTP/1.1',
    requestId: request.requestId,
    requestTime: requestTimeOf(request.receivedAt),
    requestTimeEpoch: request.receivedAt.getTime(),
    resourceId: resourceIdOf(match.resourcePath),
    resourcePath: match.resourcePath,
    stage: LOCAL_API.stage,
  };
}

/** What the REQUEST authorizer's event and the integration's event both carry. */
function requestFieldsOf(request: IncomingRequest, match: RouteMatch) {
  return {
    resource: match.resourcePath,
    path: request.path,
    httpMethod: request.method,
    ...headerMaps(request),
    ...queryMaps(request.rawQuery),
    pathParameters: match.pathParameters,
    stageVariables: null,
  };
}

export function authorizerEventOf(request: IncomingRequest, match: RouteMatch): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: methodArnOf(request.method, request.path),
    ...requestFieldsOf(request, match),
    requestContext: requestContextOf(request, match),
  };
}

/**
 * What the integration receives as `requestContext.authorizer`: the authorizer's context with numbers
 * and booleans turned into strings (API Gateway does that), plus `principalId` and `integrationLatency`.
 */
export function proxyAuthorizerContextOf(
  context: APIGatewayAuthorizerResultContext | null | undefined,
  principalId: string,
  latencyMs: number,
): ProxyAuthorizerContext {
  const converted: ProxyAuthorizerContext = {};
  for (const [key, value] of Object.entries(context ?? {})) {
    if (value !== undefined) converted[key] = value === null ? null : String(value);
  }
  return { ...converted, principalId, integrationLatency: latencyMs };
}

/** The integration's event; `authorizer` is undefined for a method without one, whose events carry no authorizer context. */
export function proxyEventOf(request: IncomingRequest, match: RouteMatch, authorizer: ProxyAuthorizerContext | undefined): APIGatewayProxyEvent {
  return {
    ...requestFieldsOf(request, match),
    requestContext: { ...requestContextOf(request, match), authorizer },
    // The stack's binary media types are */* (cdk/api-token-service.ts): every Content-Type matches, so API
    // Gateway passes every body as base64 of the bytes sent, not as text it decoded (and repaired) itself.
    body: request.body === null ? null : request.body.toString('base64'),
    isBase64Encoded: request.body !== null,
  };
}
