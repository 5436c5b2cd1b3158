// The helper other teams' Lambda handlers use behind TokenAuthorizer (library/identity.ts): it reads the
// authorizer's context from REST API proxy events — as API Gateway documents them, and as the local
// emulator builds them from the real authorizer's result — and refuses events that carry none.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { authorizerIdentity, findAuthorizerIdentity, MissingIdentityError } from '../../library/identity';
import { proxyAuthorizerContextOf, proxyEventOf, type IncomingRequest } from '../../local/gateway-events';
import type { RouteMatch } from '../../local/route-table';
import { routes } from '../../shared/http/routes';

/**
 * A REST API proxy event as API Gateway delivers it to a Lambda integration behind a REQUEST authorizer:
 * the authorizer's context flattened to strings, with principalId and integrationLatency beside it.
 */
function documentedEvent(authorizer: unknown): APIGatewayProxyEvent {
  return {
    resource: '/orders/{id}',
    path: '/orders/17',
    httpMethod: 'GET',
    headers: { Host: 'abc123.execute-api.eu-west-1.amazonaws.com', 'User-Agent': 'curl/8.5.0' },
    multiValueHeaders: { Host: ['abc123.execute-api.eu-west-1.amazonaws.com'], 'User-Agent': ['curl/8.5.0'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { id: '17' },
    stageVariables: null,
    requestContext: {
      resourceId: 'x1y2z3',
      resourcePath: '/orders/{id}',
      httpMethod: 'GET',
      extendedRequestId: 'Ab1CdEfGhIjKlM=',
      requestTime: '02/Dec/2026:04:10:00 +0000',
      path: '/prod/orders/17',
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      stage: 'prod',
      domainPrefix: 'abc123',
      requestTimeEpoch: 1796184600000,
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      identity: {
        accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null, clientCert: null,
        cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: '203.0.113.9', user: null,
        userAgent: 'curl/8.5.0', userArn: null,
      },
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      apiId: 'abc123',
      authorizer: authorizer as APIGatewayProxyEvent['requestContext']['authorizer'],
    },
    body: null,
    isBase64Encoded: false,
  };
}

const CONTEXT = {
  accountId: 'acme',
  userId: '1796184000123456',
  email: 'admin@acme.test',
  role: 'admin',
  tokenId: '1796184000654321',
  authType: 'api_token',
  principalId: 'acme:1796184000123456',
  integrationLatency: 41,
};

test('reads the identity from a REST proxy event behind the authorizer, numbers as numbers', () => {
  expect(authorizerIdentity(documentedEvent(CONTEXT))).toEqual({
    accountId: 'acme',
    userId: 1796184000123456,
    email: 'admin@acme.test',
    role: 'admin',
    tokenId: 1796184000654321,
  });
});

test('reads the event the local emulator builds from the authorizer result, as API Gateway converts it', () => {
  const request: IncomingRequest = {
    requestId: 'r-1',
    receivedAt: new Date('2026-12-02T04:10:00Z'),
    method: 'GET',
    path: '/api/v2/users/me',
    rawQuery: '',
    headerPairs: [['Authorization', 'Basic ...']],
    body: null,
    sourceIp: '127.0.0.1',
    origin: 'http://127.0.0.1:3000',
  };
  const match: RouteMatch = { route: routes.showCurrentUser, resourcePath: '/api/v2/users/me', pathParameters: null };
  const authorizerResult = { accountId: 'acme', userId: 42, email: 'agent@acme.test', role: 'agent', tokenId: 7, authType: 'api_token' };
  const event = proxyEventOf(request, match, proxyAuthorizerContextOf(authorizerResult, 'acme:42', 3));
  expect(authorizerIdentity(event)).toEqual({ accountId: 'acme', userId: 42, email: 'agent@acme.test', role: 'agent', tokenId: 7 });
});

test.each<[string, unknown]>([
  ['a method without an authorizer (no authorizer key)', undefined],
  ['a method without an authorizer (null)', null],
  ['an IAM-authorized method (principalId only)', { principalId: 'AIDAEXAMPLE' }],
  ['a Cognito authorizer (claims)', { claims: { sub: 'a1b2', email: 'admin@acme.test' } }],
  ['a role the service does not have', { ...CONTEXT, role: 'owner' }],
  ['a user id that is not an id', { ...CONTEXT, userId: '0' }],
  ['a token id that is not an id', { ...CONTEXT, tokenId: '12abc' }],
  ['no email', { ...CONTEXT, email: undefined }],
  ['a context that is not an object', 'acme'],
])('refuses %s', (_, authorizer) => {
  const event = documentedEvent(authorizer);
  expect(() => authorizerIdentity(event)).toThrow(MissingIdentityError);
  expect(() => authorizerIdentity(event)).toThrow(/no API token identity/);
  expect(findAuthorizerIdentity(event)).toBeUndefined();
});

test('refuses an event without a request context at all', () => {
  expect(() => authorizerIdentity({})).toThrow(MissingIdentityError);
  expect(findAuthorizerIdentity({ requestContext: null })).toBeUndefined();
});
