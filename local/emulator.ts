// A small API Gateway (REST API) emulator for the local stack and the API tests: serves the routes of
// shared/http/routes.ts on 127.0.0.1, runs the REQUEST authorizer and the route handlers in this process
// with the events API Gateway would send, and answers its own errors with the gateway responses CDK
// deploys (shared/http/gateway-responses.ts), so that clients see locally what they will see in AWS. Each
// function gets a Lambda-like context with its event (local/lambda-context.ts), so its logs carry the
// fields they carry in AWS; the emulator's own lines name the request id too.
// Not emulated: throttling, CORS, authorizer result caching (the deployed TTL is 0 anyway), greedy
// `{proxy+}` resources and the 29 s integration timeout — the routes and the stack use none of them.
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse, validateHeaderName, validateHeaderValue } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { routeList, type RouteDefinition } from '../shared/http/routes';
import { gatewayResponses, type GatewayResponseType } from '../shared/http/gateway-responses';
import { redactTokens } from '../shared/domain/token-format';
import {
  authorizerEventOf,
  headerPairsOf,
  headerValue,
  type IncomingRequest,
  methodArnOf,
  type ProxyAuthorizerContext,
  proxyAuthorizerContextOf,
  proxyEventOf,
} from './gateway-events';
import { policyAllows } from './iam-policy';
import { AUTHORIZER_FUNCTION_NAME, lambdaContextOf } from './lambda-context';
import { type RouteMatch, RouteTable } from './route-table';

export type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEvent, context: Context) => Promise<APIGatewayAuthorizerResult>;
export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface EmulatorOptions {
  /** Routes to serve; the route list by default. */
  routes?: readonly RouteDefinition[];
  /** The REQUEST authorizer; functions/authorizer.ts by default, loaded by `preload` or on first use. */
  authorizer?: AuthorizerHandler;
  /** Returns a route's handler; by default `require(route.entry).handler`, loaded by `preload` or on first use. */
  loadHandler?: (route: RouteDefinition) => ProxyHandler;
  /**
   * Receives one line per request and per failure, each ending with the request id; never headers, bodies
   * or tokens. Silent by default.
   */
  log?: (line: string) => void;
  /** Larger bodies get the REQUEST_TOO_LARGE 413 without reaching the authorizer or the handler. */
  maxBodyBytes?: number;
  /**
   * The API's public origin (scheme, host, port), as API Gateway's domain: what the events carry as
   * `Host` and so what `url` fields are built on, whatever Host a client sends. Default: the URL `listen`
   * binds, e.g. `http://127.0.0.1:3000`.
   */
  baseUrl?: string;
  /** Answers the requests that are not the API's (the admin console, local/admin-console.ts) before routing. */
  site?: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
}

export interface Emulator {
  /**
   * Loads the authorizer and every handler now rather than on first request, so that a broken module
   * fails the start and no request waits for TypeScript to be compiled.
   */
  preload(): void;
  /** Binds 127.0.0.1 (port 0: a free port) and resolves with the base URL. */
  listen(port?: number): Promise<string>;
  /** The base URL, e.g. `http://127.0.0.1:3000`; throws before `listen`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * API Gateway accepts up to 10 MB; the handlers answer 413 themselves above 16 KiB. The emulator only
 * needs a bound on what it holds in memory, well above what the handlers accept.
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const HOST = '127.0.0.1';
/** How long an idle keep-alive connection stays open. */
const IDLE_CONNECTION_TIMEOUT_MS = 120_000;
const REPO_ROOT = resolve(__dirname, '..');
const AUTHORIZER_ENTRY = 'functions/authorizer.ts';

/** What a handler's result becomes on the wire, once it has been checked. */
interface WireResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

type AuthorizerOutcome =
  | { allowed: true; context: ProxyAuthorizerContext }
  | { allowed: false; response: GatewayResponseType };

// ---- loading the functions --------------------------------------------------------------------

/**
 * Loads a function module's `handler` with `require`, so the same code runs under tsx (`npm start`)
 * and under jest (whose module registry transpiles TypeScript).
 */
function requireHandler<T>(entry: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- tsx and jest both hook require() to load .ts
  const loaded: unknown = require(join(REPO_ROOT, entry));
  const handler = (loaded as { handler?: unknown } | null)?.handler;
  if (typeof handler !== 'function') throw new Error(`${entry} does not export a handler function`);
  return handler as T;
}

const defaultLoadHandler = (route: RouteDefinition) => requireHandler<ProxyHandler>(route.entry);
const defaultLoadAuthorizer = () => requireHandler<AuthorizerHandler>(AUTHORIZER_ENTRY);

// ---- reading the request ----------------------------------------------------------------------

/**
 * Reads the whole body but keeps at most `maxBytes`: the rest is drained, not stored, so that the
 * answer (413) reaches the client instead of a reset connection.
 */
function readBody(request: IncomingMessage, maxBytes: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on('end', () => done({ body: Buffer.concat(chunks), tooLarge: size > maxBytes }));
    request.on('error', fail);
    // A client that hangs up mid-body gets no answer; 'close' without 'end' ends the wait.
    request.on('close', () => {
      if (!request.complete) fail(new Error('request aborted by the client'));
    });
  });
}

/** The origin of a configured base URL; anything the events cannot carry (a path, credentials) is refused. */
function originOf(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`baseUrl must be a URL, got "${baseUrl}"`);
  }
  const originOnly = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if (!['http:', 'https:'].includes(url.protocol) || !originOnly) {
    throw new Error(`baseUrl must be an http(s) origin with no path, query or credentials, got "${baseUrl}"`);
  }
  return url.origin;
}

function incomingRequestOf(request: IncomingMessage, body: Buffer, origin: string): IncomingRequest {
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const remote = request.socket.remoteAddress ?? HOST;
  return {
    requestId: randomUUID(),
    receivedAt: new Date(),
    method: request.method ?? 'GET',
    path: queryStart === -1 ? target : target.slice(0, queryStart),
    rawQuery: queryStart === -1 ? '' : target.slice(queryStart + 1),
    headerPairs: headerPairsOf(request.rawHeaders),
    body: body.length === 0 ? null : body,
    sourceIp: remote.replace(/^::ffff:/, ''),
    origin,
  };
}

// ---- answering --------------------------------------------------------------------------------

/** A gateway response exactly as defined; DEFAULT_4XX / DEFAULT_5XX keep the status of the error they answer. */
function gatewayWireResponse(type: GatewayResponseType, statusCode?: number): WireResponse {
  const definition = gatewayResponses[type];
  const status = definition.statusCode ?? statusCode;
  if (status === undefined) throw new Error(`Gateway response ${type} needs a status code`);
  return { statusCode: status, headers: { ...definition.headers }, body: Buffer.from(definition.body, 'utf8') };
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a handler's result as API Gateway does ("Malformed Lambda proxy response" → 502) and turns it
 * into a wire response; `multiValueHeaders` win over `headers` for the same name, as documented.
 */
function wireResponseOf(result: unknown): WireResponse | undefined {
  if (!isRecord(result)) return undefined;
  const { statusCode, headers = {}, multiValueHeaders = {}, body, isBase64Encoded = false } = result;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  if (typeof isBase64Encoded !== 'boolean' || !isRecord(headers) || !isRecord(multiValueHeaders)) return undefined;
  const merged: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isScalar(value)) return undefined;
    merged[name] = String(value);
  }
  for (const [name, values] of Object.entries(multiValueHeaders)) {
    if (!Array.isArray(values) || !values.every(isScalar)) return undefined;
    merged[name] = values.map(String);
  }
  try {
    for (const [name, value] of Object.entries(merged)) {
      validateHeaderName(name);
      for (const single of [value].flat()) validateHeaderValue(name, single);
    }
  } catch {
    return undefined;
  }
  const text = body ?? '';
  return { statusCode, headers: merged, body: Buffer.from(text, isBase64Encoded ? 'base64' : 'utf8') };
}

/** Headers about the connection and the framing are the gateway's own, not the integration's. */
const GATEWAY_OWNED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'x-amzn-requestid']);

function send(response: ServerResponse, wire: WireResponse, requestId: string): void {
  // 204 and 304 carry no body, whatever the handler returned.
  const body = wire.statusCode === 204 || wire.statusCode === 304 ? Buffer.alloc(0) : wire.body;
  const headers = Object.entries(wire.headers).filter(([name]) => !GATEWAY_OWNED_HEADERS.has(name.toLowerCase()));
  response.writeHead(wire.statusCode, {
    ...Object.fromEntries(headers),
    'x-amzn-RequestId': requestId,
    'Content-Length': String(body.length),
  });
  response.end(body);
}

// ---- the emulator -----------------------------------------------------------------------------

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const routes = options.routes ?? routeList;
  const table = new RouteTable(routes);
  let authorizer = options.authorizer;
  const loadHandler = options.loadHandler ?? defaultLoadHandler;
  const log = options.log ?? (() => undefined);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const configuredOrigin = options.baseUrl === undefined ? undefined : originOf(options.baseUrl);
  const handlers = new Map<string, ProxyHandler>();

  function authorizerOf(): AuthorizerHandler {
    authorizer ??= defaultLoadAuthorizer();
    return authorizer;
  }

  const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  // The id the client receives as x-amzn-RequestId and the functions as their awsRequestId.
  const idOf = (request: IncomingRequest) => `requestId=${request.requestId}`;

  function handlerOf(route: RouteDefinition): ProxyHandler {
    let handler = handlers.get(route.name);
    if (!handler) {
      handler = loadHandler(route);
      handlers.set(route.name, handler);
    }
    return handler;
  }

  /**
   * Runs the authorizer and judges its answer as API Gateway does: a thrown `Unauthorized` → UNAUTHORIZED,
   * a policy that does not allow the method (the authorizer's Deny) → ACCESS_DENIED, any other error →
   * AUTHORIZER_FAILURE, a result that is not a valid policy → AUTHORIZER_CONFIGURATION_ERROR. What each
   * answers (401, 401, 503, 503) is the shared gateway responses' business.
   */
  async function authorize(request: IncomingRequest, match: RouteMatch): Promise<AuthorizerOutcome> {
    const started = Date.now();
    let result: APIGatewayAuthorizerResult;
    try {
      result = await authorizerOf()(authorizerEventOf(request, match), lambdaContextOf(AUTHORIZER_FUNCTION_NAME, request.requestId));
    } catch (error) {
      if (error instanceof Error && error.message === 'Unauthorized') return { allowed: false, response: 'UNAUTHORIZED' };
      log(`authorizer failed: ${describe(error)} ${idOf(request)}`);
      return { allowed: false, response: 'AUTHORIZER_FAILURE' };
    }
    if (!isValidAuthorizerResult(result)) {
      log(`authorizer returned a malformed result (needs principalId, policyDocument.Statement and a flat context) ${idOf(request)}`);
      return { allowed: false, response: 'AUTHORIZER_CONFIGURATION_ERROR' };
    }
    if (!policyAllows(result.policyDocument, methodArnOf(request.method, request.path))) {
      return { allowed: false, response: 'ACCESS_DENIED' };
    }
    return { allowed: true, context: proxyAuthorizerContextOf(result.context, result.principalId, Date.now() - started) };
  }

  async function invoke(request: IncomingRequest, match: RouteMatch, context: ProxyAuthorizerContext | undefined): Promise<WireResponse> {
    try {
      const result: unknown = await handlerOf(match.route)(proxyEventOf(request, match, context), lambdaContextOf(match.route.name, request.requestId));
      const wire = wireResponseOf(result);
      if (wire) return wire;
      log(`handler ${match.route.name} returned a malformed proxy response ${idOf(request)}`);
    } catch (error) {
      log(`handler ${match.route.name} failed: ${describe(error)} ${idOf(request)}`);
    }
    return gatewayWireResponse('DEFAULT_5XX', 502);
  }

  /** API Gateway's order: size, resource and method, identity source, authorizer, policy, integration (the public routes skip the authorizer's three). */
  async function respond(request: IncomingRequest, tooLarge: boolean): Promise<WireResponse> {
    if (tooLarge) return gatewayWireResponse('REQUEST_TOO_LARGE');
    const lookup = table.lookup(request.method, request.path);
    if (!lookup.found) return gatewayWireResponse('MISSING_AUTHENTICATION_TOKEN');
    // A public route's method has no authorizer (AuthorizationType NONE): any Authorization header passes through unread.
    if (lookup.match.route.access === 'public') return invoke(request, lookup.match, undefined);
    if ((headerValue(request, 'authorization') ?? '').trim() === '') return gatewayWireResponse('UNAUTHORIZED');
    const outcome = await authorize(request, lookup.match);
    if (!outcome.allowed) return gatewayWireResponse(outcome.response);
    return invoke(request, lookup.match, outcome.context);
  }

  async function serve(message: IncomingMessage, response: ServerResponse): Promise<void> {
    if (options.site && (await options.site(message, response))) return;
    const { body, tooLarge } = await readBody(message, maxBodyBytes);
    // Requests arrive only once listening, so the listen URL is known.
    const request = incomingRequestOf(message, body, configuredOrigin ?? url ?? `http://${HOST}:${message.socket.localPort}`);
    const wire = await respond(request, tooLarge).catch((error: unknown) => {
      log(`emulator failed: ${describe(error)} ${idOf(request)}`);
      return gatewayWireResponse('DEFAULT_5XX', 500);
    });
    send(response, wire, request.requestId);
    // The query string is left out: it is the caller's data, and the path is enough to follow along.
    // A token pasted into the path is cut to its visible form.
    log(`${request.method} ${redactTokens(request.path)} ${wire.statusCode} ${Date.now() - request.receivedAt.getTime()}ms ${idOf(request)}`);
  }

  const server: Server = createServer((message, response) => {
    serve(message, response).catch((error: unknown) => {
      log(`emulator failed: ${describe(error)}`);
      if (!response.headersSent) send(response, gatewayWireResponse('DEFAULT_5XX', 500), randomUUID());
      else response.destroy();
    });
  });
  // Node closes an idle keep-alive connection after 5 s, while a client may be sending its next request on
  // it: that request fails with ECONNRESET, the more often the busier the machine. API Gateway keeps idle
  // connections far longer; so does the emulator, and close() ends them all anyway.
  server.keepAliveTimeout = IDLE_CONNECTION_TIMEOUT_MS;
  server.headersTimeout = IDLE_CONNECTION_TIMEOUT_MS + 1_000;

  let url: string | undefined;

  return {
    preload() {
      authorizerOf();
      for (const route of routes) handlerOf(route);
    },
    get url() {
      if (!url) throw new Error('The emulator is not listening yet');
      return url;
    },
    listen(port = 0) {
      return new Promise((done, fail) => {
        const onError = (error: NodeJS.ErrnoException) =>
          fail(error.code === 'EADDRINUSE' ? new Error(`Port ${port} on ${HOST} is already in use; set PORT to a free port`) : error);
        server.once('error', onError);
        server.listen(port, HOST, () => {
          server.removeListener('error', onError);
          url = `http://${HOST}:${(server.address() as AddressInfo).port}`;
          done(url);
        });
      });
    },
    close() {
      return new Promise((done, fail) => {
        if (!server.listening) return done();
        server.close((error) => (error ? fail(error) : done()));
        // Keep-alive connections would hold close() open until the clients hang up.
        server.closeAllConnections();
      });
    },
  };
}

/** API Gateway rejects authorizer results without a principal or policy, or with a nested context. */
function isValidAuthorizerResult(result: unknown): result is APIGatewayAuthorizerResult {
  if (!isRecord(result) || typeof result.principalId !== 'string' || !isRecord(result.policyDocument)) return false;
  if (!Array.isArray(result.policyDocument.Statement)) return false;
  if (result.context === undefined || result.context === null) return true;
  return isRecord(result.context) && Object.values(result.context).every((value) => value === null || value === undefined || isScalar(value));
}
