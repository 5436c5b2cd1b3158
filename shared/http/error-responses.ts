// The one mapping of errors to HTTP responses: a table with an answer for every domain error code, so a
// new code cannot ship without one (the type checker says so) and a class rename changes no public code.
// Anything that is not a domain error becomes a 500 without details.
import { DomainError, type ErrorCode, ServiceUnavailableError, ValidationError } from '../domain/errors';
import { gatewayResponses } from './gateway-responses';

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' } as const;

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

const errorResponse = (statusCode: number, error: string, description: string, extra: object = {}, headers = {}) =>
  jsonResponse(statusCode, { error, description, ...extra }, headers);

const recordInvalid = (details: Record<string, { error: string; description: string }[]>) =>
  errorResponse(422, 'RecordInvalid', 'Record validation errors', { details });

/** The 401 every authentication failure gets, exactly as API Gateway's UNAUTHORIZED response. */
export function unauthorizedResponse(): HttpResponse {
  const { statusCode = 401, headers, body } = gatewayResponses.UNAUTHORIZED;
  return { statusCode, headers, body };
}

/** A 422 whose `details.base` names the rule, e.g. `TokenLimitReached`. */
const baseRule = (publicCode: string) => (error: DomainError) => recordInvalid({ base: [{ error: publicCode, description: error.message }] });
const forbidden = (error: DomainError) => errorResponse(403, 'Forbidden', error.message);
const serviceUnavailable = (error: DomainError) =>
  errorResponse(503, 'ServiceUnavailable', 'The service is temporarily unavailable; retry shortly.', {}, {
    'Retry-After': String(error instanceof ServiceUnavailableError ? error.retryAfterSeconds : 1),
  });

const RESPONSES: Record<ErrorCode, (error: DomainError) => HttpResponse> = {
  Unauthenticated: () => unauthorizedResponse(),
  NotFound: () => errorResponse(404, 'RecordNotFound', 'Not found'),
  Forbidden: forbidden,
  ApiTokenAccessDisabled: forbidden,
  AccountSuspended: forbidden,
  TokenLimitReached: baseRule('TokenLimitReached'),
  TokenActive: baseRule('TokenActive'),
  TokenAlreadyRotated: baseRule('TokenAlreadyRotated'),
  AlreadyExists: baseRule('AlreadyExists'),
  Validation: (error) =>
    recordInvalid(
      Object.fromEntries(
        Object.entries(error instanceof ValidationError ? error.fields : {}).map(([field, messages]) => [
          field,
          messages.map((description) => ({ error: 'InvalidValue', description })),
        ]),
      ),
    ),
  BadRequest: (error) => errorResponse(400, 'BadRequest', error.message),
  PayloadTooLarge: (error) => errorResponse(413, 'PayloadTooLarge', error.message),
  UnsupportedMediaType: (error) => errorResponse(415, 'UnsupportedMediaType', error.message),
  ServiceUnavailable: serviceUnavailable,
  // A race lost more often than the optimistic retry allows: the caller may simply try again.
  StaleWrite: serviceUnavailable,
};

/** Maps a domain error; returns undefined for errors that are not the caller's (a bug or an outage we did not expect). */
export function httpResponseForError(error: unknown): HttpResponse | undefined {
  return error instanceof DomainError ? RESPONSES[error.code](error) : undefined;
}

export function internalErrorResponse(): HttpResponse {
  return errorResponse(500, 'InternalError', 'Something went wrong; retry shortly.');
}
