// A route handler's log lines, as an operator follows a request: each names the Lambda invocation (request
// id, cold start), the route and the caller's account and token id; nothing carries over to the next
// invocation. The domain call fails on purpose, so that apiHandler logs; no DynamoDB call is made.
import { restoreRequestLogEnvironment } from '../support/request-log-environment';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { handler } from '../../functions/show-current-user';
import { lambdaContextOf } from '../../local/lambda-context';
import { getServices } from '../../shared/runtime/services';
import { captureLogs, lineWithMessage } from '../support/log-lines';

process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:9';
process.env.TABLE_NAME = 'mocked';

/** What API Gateway hands the handler once the authorizer let the caller in. */
const event = (accountId: string, tokenId: number) =>
  ({
    httpMethod: 'GET',
    path: '/api/v2/users/me.json',
    headers: { Host: '127.0.0.1:3000' },
    body: null,
    isBase64Encoded: false,
    requestContext: {
      authorizer: { accountId, userId: '7', email: `ada@${accountId}.test`, role: 'admin', tokenId: String(tokenId), authType: 'api_token' },
      identity: { sourceIp: '127.0.0.1', userAgent: 'jest' },
    },
  }) as unknown as APIGatewayProxyEvent;

beforeEach(() => {
  jest.spyOn(getServices().accounts, 'getUser').mockRejectedValue(new Error('simulated failure'));
});

afterAll(() => {
  jest.restoreAllMocks();
  restoreRequestLogEnvironment();
});

test('every line names the invocation, the route and the caller; the next invocation logs its own', async () => {
  const first = await captureLogs(() => handler(event('acme', 1), lambdaContextOf('showCurrentUser', 'first-request')));
  expect(first.outcome).toMatchObject({ status: 'fulfilled', value: { statusCode: 500 } });
  expect(lineWithMessage(first, 'Unhandled error')).toMatchObject({
    function_request_id: 'first-request',
    function_name: 'showCurrentUser',
    cold_start: true,
    route: 'showCurrentUser',
    account_id: 'acme',
    api_token_id: 1,
  });

  const second = await captureLogs(() => handler(event('other', 2), lambdaContextOf('showCurrentUser', 'second-request')));
  expect(lineWithMessage(second, 'Unhandled error')).toMatchObject({
    function_request_id: 'second-request',
    cold_start: false,
    route: 'showCurrentUser',
    account_id: 'other',
    api_token_id: 2,
  });
  expect(second.text).not.toContain('first-request');
  expect(second.text).not.toContain('acme');
});

test('a call without a Lambda context (tests, the benchmark) logs no request id rather than the previous one', async () => {
  await captureLogs(() => handler(event('acme', 1), lambdaContextOf('showCurrentUser', 'with-context')));
  const contextless = await captureLogs(() => handler(event('other', 2)));
  const line = lineWithMessage(contextless, 'Unhandled error');
  expect(line).not.toHaveProperty('function_request_id');
  expect(line).toMatchObject({ route: 'showCurrentUser', account_id: 'other', api_token_id: 2 });
});
