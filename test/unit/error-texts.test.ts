// What callers read never names operator tooling: no error the API can answer with, nor the published API
// reference, tells a customer to run `tokenctl` (they cannot; operators can). The API test helper checks
// every error body the API tests receive the same way (test/support/api-stack.ts).
import { readFileSync } from 'node:fs';
import * as errors from '../../shared/domain/errors';
import { httpResponseForError, internalErrorResponse } from '../../shared/http/error-responses';
import { gatewayResponses } from '../../shared/http/gateway-responses';
import { OPENAPI_FILE } from '../support/openapi-validator';

const OPERATOR_TOOLING = /tokenctl|--api-token-access|operator cli/i;

/** One instance of every error class, built with the arguments its constructor needs. */
function everyError(): Error[] {
  const classes = (Object.values(errors) as unknown[]).filter(
    (value): value is new (...args: never[]) => Error => typeof value === 'function' && value.prototype instanceof errors.DomainError,
  );
  expect(classes.length).toBeGreaterThanOrEqual(10);
  return classes.map((ErrorClass) => {
    if (ErrorClass === errors.TokenLimitReachedError) return new errors.TokenLimitReachedError(256);
    if (ErrorClass === errors.ValidationError) return new errors.ValidationError({ description: ['Description is too long'] });
    return new (ErrorClass as new () => Error)();
  });
}

test('no error message and no HTTP error body names operator tooling', () => {
  const bodies = everyError().flatMap((error) => [error.message, httpResponseForError(error)?.body ?? '']);
  bodies.push(internalErrorResponse().body, ...Object.values(gatewayResponses).map((response) => response.body));
  expect(bodies.filter((text) => OPERATOR_TOOLING.test(text))).toEqual([]);
});

test('the 403 for API token access turned off says what is wrong, and only that', () => {
  const response = httpResponseForError(new errors.ApiTokenAccessDisabledError());
  expect(response?.statusCode).toBe(403);
  expect(JSON.parse(response!.body)).toEqual({ error: 'Forbidden', description: 'API token access is turned off for this account.' });
});

test('the published API reference does not name operator tooling', () => {
  const document = readFileSync(OPENAPI_FILE, 'utf8');
  expect(document.match(new RegExp(OPERATOR_TOOLING.source, 'gi')) ?? []).toEqual([]);
});

test('control: the check finds the words it looks for', () => {
  expect(OPERATOR_TOOLING.test('run `tokenctl accounts update acme --api-token-access on`')).toBe(true);
});
