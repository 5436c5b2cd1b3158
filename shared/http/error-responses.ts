// The one mapping of errors to HTTP responses (DESIGN §5). Unknown errors become a 500 without details.
import {
  AlreadyExistsError,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  StaleWriteError,
  TokenActiveError,
  TokenLimitReachedError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors';
import { gatewayResponses } from './gateway-responses';

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' } as const;

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

/** Maps a domain error; returns undefined for errors that are not the caller's (a bug or an outage we did not expect). */
export function httpResponseForError(error: unknown): HttpResponse | undefined {
  if (error instanceof UnauthenticatedError) return unauthorizedResponse();
  if (error instanceof NotFoundError) return errorResponse(404, 'RecordNotFound', 'Not found');
  if (error instanceof ForbiddenError) return errorResponse(403, 'Forbidden', error.message);
  if (error instanceof TokenLimitReachedError || error instanceof TokenActiveError || error instanceof AlreadyExistsError) {
    const code = error.name.replace(/Error$/, '');
    return recordInvalid({ base: [{ error: code, description: error.message }] });
  }
  if (error instanceof ValidationError) {
    return recordInvalid(
      Object.fromEntries(
        Object.entries(error.fields).map(([field, messages]) => [
          field,
          messages.map((description) => ({ error: 'InvalidValue', description })),
        ]),
      ),
    );
  }
  if (error instanceof BadRequestError) return errorResponse(400, 'BadRequest', error.message);
  if (error instanceof PayloadTooLargeError) return errorResponse(413, 'PayloadTooLarge', error.message);
  if (error instanceof UnsupportedMediaTypeError) return errorResponse(415, 'UnsupportedMediaType', error.message);
  if (error instanceof ServiceUnavailableError || error instanceof StaleWriteError) {
    const retryAfter = error instanceof ServiceUnavailableError ? error.retryAfterSeconds : 1;
    return errorResponse(503, 'ServiceUnavailable', 'The service is temporarily unavailable; retry shortly.', {}, {
      'Retry-After': String(retryAfter),
    });
  }
  return undefined;
}

export function internalErrorResponse(): HttpResponse {
  return errorResponse(500, 'InternalError', 'Something went wrong; retry shortly.');
}
