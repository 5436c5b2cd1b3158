// The handler wrapper shared by every route: it reads the request (shared/http/request.ts), enforces the
// route's access, runs the route's logic with its services under one deadline, and maps every error to
// the JSON error bodies of docs/architecture.md, "HTTP contract" — a handler itself only calls the domain
// and shapes the result.
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { OperationContext } from '../domain/audit-entries';
import { withDeadline } from '../domain/deadline';
import { ForbiddenError, UnauthenticatedError } from '../domain/errors';
import { httpResponseForError, internalErrorResponse, jsonResponse, unauthorizedResponse, type HttpResponse } from './error-responses';
import { appendCallerKeys, logger, startRequestLog } from '../platform/logger';
import { getServices, type Services } from '../runtime/services';
import { HANDLER_DEADLINE_MS } from '../platform/time-budget';
import type { CreatedToken } from '../domain/token-service';
import { callerFrom } from './caller';
import { presentToken } from './presenters';
import { publicRequestFrom, requestFrom, ROLES_WITH_ACCESS, type ApiRequest, type PublicRequest } from './request';
import type { RouteDefinition } from './routes';

export type ApiHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

export const ok = (body: unknown, headers?: Record<string, string>) => jsonResponse(200, body, headers);
export const created = (body: unknown, headers?: Record<string, string>) => jsonResponse(201, body, headers);
export const accepted = (body: unknown) => jsonResponse(202, body);
export const noContent = (): HttpResponse => ({ statusCode: 204, headers: {}, body: '' });

/** The 201 of a new token (a create, a rotation): the one answer that holds the full token, never cached. */
export function tokenCreated({ apiToken, token }: CreatedToken, baseUrl: string): HttpResponse {
  const json = { ...presentToken(apiToken, baseUrl), token };
  return created({ api_token: json }, { Location: json.url, 'Cache-Control': 'no-store' });
}

/** What a route does with a parsed, authorized request, given the services it works with. */
export type RouteLogic = (request: ApiRequest, services: Services) => Promise<HttpResponse>;

/** A route's Lambda handler, which can also be run with other services (a test's in-memory store). */
export interface RouteHandler extends ApiHandler {
  withServices(services: Services): ApiHandler;
}

/** What a public route does with a parsed request (no caller), given the services it works with. */
export type PublicRouteLogic = (request: PublicRequest, services: Services) => Promise<HttpResponse>;

/**
 * Wraps a route's logic: access check from the route list, error mapping, no stack traces out, one
 * deadline for the whole invocation (platform/time-budget.ts: a 503 instead of a Lambda timeout), and
 * log lines that carry the invocation, the route and the caller. In production the services are built
 * once per container (runtime/services.ts).
 */
export function apiHandler(route: RouteDefinition, logic: RouteLogic): RouteHandler {
  if (route.access === 'public') throw new Error(`${route.name} is public: serve it with publicHandler`);
  return routeHandler(route, async (event, servicesOf) => {
    const caller = callerFrom(event);
    if (!caller) return unauthorizedResponse();
    appendCallerKeys(caller);
    if (!ROLES_WITH_ACCESS[route.access].includes(caller.role)) throw new ForbiddenError();
    const services = servicesOf();
    return logic(requestFrom(event, caller, route, services.config.apiBaseUrl), services);
  });
}

/**
 * Wraps the logic of a route without an authorizer (`access: 'public'`) as apiHandler does, less the
 * caller: whatever the authorizer context or Authorization header an event carries, it is not read.
 */
export function publicHandler(route: RouteDefinition, logic: PublicRouteLogic): RouteHandler {
  if (route.access !== 'public') throw new Error(`${route.name} is not public: serve it with apiHandler`);
  return routeHandler(route, async (event, servicesOf) => {
    const services = servicesOf();
    return logic(publicRequestFrom(event, route, services.config.apiBaseUrl), services);
  });
}

/** What both wrappers share: the deadline, the request log, and the mapping of every error to an answer. */
function routeHandler(route: RouteDefinition, respond: (event: APIGatewayProxyEvent, servicesOf: () => Services) => Promise<HttpResponse>): RouteHandler {
  const handlerWith = (servicesOf: () => Services): ApiHandler => (event, context) =>
    withDeadline(HANDLER_DEADLINE_MS, async () => {
      startRequestLog(context, { route: route.name });
      try {
        return await respond(event, servicesOf);
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
