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

/** The one 401 of the API, whichever gateway response carries it. */
const NOT_AUTHENTICATED: GatewayResponseDefinition = {
  statusCode: 401,
  headers: { ...JSON_CONTENT_TYPE, 'WWW-Authenticate': WWW_AUTHENTICATE },
  body: UNAUTHORIZED_BODY,
};

export const gatewayResponses: Record<GatewayResponseType, GatewayResponseDefinition> = {
  // No Authorization header: API Gateway answers without invoking the authorizer.
  UNAUTHORIZED: NOT_AUTHENTICATED,
  // The authorizer's Deny policy. On this service only the authorizer denies (no resource policy, no IAM
  // auth), and it denies exactly the requests it could not authenticate, so a Deny is the same 401 as a
  // missing header: clients see one answer for every failed authentication. (A denial is a Deny policy
  // rather than a thrown `Unauthorized` so that it is not a Lambda function error.) A lost role is the
  // handlers' 403, never this.
  ACCESS_DENIED: NOT_AUTHENTICATED,
  MISSING_AUTHENTICATION_TOKEN: {
    statusCode: 404,
    headers: JSON_CONTENT_TYPE,
    body: errorBody('InvalidEndpoint', 'Not found'),
  },
  // The authorizer threw (anything but `Unauthorized`, which API Gateway would answer as UNAUTHORIZED and
  // the authorizer never throws): it fails closed when DynamoDB is unavailable or does not answer within
  // its deadline. The same 503 a handler answers in an outage.
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
