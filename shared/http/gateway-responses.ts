// API Gateway's own answers (authorizer denials and failures, unknown paths, oversized requests,
// throttling), defined once: the CDK stack deploys them as gateway responses and the local emulator sends
// them as they are.

export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'AUTHORIZER_FAILURE'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'REQUEST_TOO_LARGE'
  | 'THROTTLED'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

export interface GatewayResponseDefinition {
  /** Absent: API Gateway keeps the status code of the error it answers (DEFAULT_4XX / DEFAULT_5XX). */
  statusCode?: number;
  headers: Record<string, string>;
  /** The exact body, as sent. */
  body: string;
}

const JSON_CONTENT_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };
const errorBody = (error: string, description: string) => JSON.stringify({ error, description });

export const UNAUTHORIZED_BODY = '{"error":"Couldn\'t authenticate you"}';
export const WWW_AUTHENTICATE = 'Basic realm="Web Password"';

export const gatewayResponses: Record<GatewayResponseType, GatewayResponseDefinition> = {
  UNAUTHORIZED: {
    statusCode: 401,
    headers: { ...JSON_CONTENT_TYPE, 'WWW-Authenticate': WWW_AUTHENTICATE },
    body: UNAUTHORIZED_BODY,
  },
  ACCESS_DENIED: {
    statusCode: 403,
    headers: JSON_CONTENT_TYPE,
    body: errorBody('Forbidden', 'You do not have access to this resource.'),
  },
  MISSING_AUTHENTICATION_TOKEN: {
    statusCode: 404,
    headers: JSON_CONTENT_TYPE,
    body: errorBody('InvalidEndpoint', 'Not found'),
  },
  // The authorizer threw something other than `Unauthorized`: it fails closed when DynamoDB is
  // unavailable or does not answer within its deadline. The same 503 a handler answers in an outage.
  AUTHORIZER_FAILURE: {
    statusCode: 503,
    headers: { ...JSON_CONTENT_TYPE, 'Retry-After': '1' },
    body: errorBody('ServiceUnavailable', 'Authentication could not be completed; retry shortly.'),
  },
  // API Gateway could not use the authorizer: it timed out, or returned something that is not a policy.
  // For the caller the same as AUTHORIZER_FAILURE: authentication did not complete, a later try may.
  AUTHORIZER_CONFIGURATION_ERROR: {
    statusCode: 503,
    headers: { ...JSON_CONTENT_TYPE, 'Retry-After': '1' },
    body: errorBody('ServiceUnavailable', 'Authentication could not be completed; retry shortly.'),
  },
  // A request over API Gateway's own limit (10 MB; the emulator's is lower): the same error, in the same
  // body shape, as a body over the handlers' 16 KiB (shared/http/handler.ts), so clients see one 413 whatever the size.
  REQUEST_TOO_LARGE: {
    statusCode: 413,
    headers: JSON_CONTENT_TYPE,
    body: errorBody('PayloadTooLarge', 'The request is larger than the API accepts.'),
  },
  THROTTLED: {
    statusCode: 429,
    headers: { ...JSON_CONTENT_TYPE, 'Retry-After': '1' },
    body: errorBody('TooManyRequests', 'Rate limit exceeded; retry after the time in Retry-After.'),
  },
  DEFAULT_4XX: {
    headers: JSON_CONTENT_TYPE,
    body: errorBody('BadRequest', 'The request could not be processed.'),
  },
  DEFAULT_5XX: {
    headers: JSON_CONTENT_TYPE,
    body: errorBody('InternalError', 'Something went wrong; retry shortly.'),
  },
};
