// API Gateway's own answers (authorizer denials, unknown paths, throttling), defined once:
// the CDK stack deploys them as gateway responses and the local emulator sends them as they are.

export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'AUTHORIZER_FAILURE'
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
  AUTHORIZER_FAILURE: {
    statusCode: 500,
    headers: JSON_CONTENT_TYPE,
    body: errorBody('InternalError', 'Authentication could not be completed; retry shortly.'),
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
