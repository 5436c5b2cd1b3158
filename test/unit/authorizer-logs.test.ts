// The authorizer's log lines, as an operator follows a request: each names the Lambda invocation (request
// id, cold start), the route (`authorizer`) and, once the credentials parse, their account and token id,
// never the secret; nothing carries over to the next invocation. DynamoDB is mocked (aws-sdk-client-mock).
import { restoreRequestLogEnvironment } from '../support/request-log-environment';
import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/authorizer';
import { lambdaContextOf } from '../../local/lambda-context';
import { generateToken } from '../../shared/domain/token-format';
import { secretsIn } from '../setup/api-log-guard';
import { denialOf } from '../support/authorizer-answers';
import { captureLogs, lineWithMessage } from '../support/log-lines';

process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:9';
process.env.TABLE_NAME = 'mocked';
const dynamodb = mockClient(DynamoDBClient);

const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/api/v2/users/me';
const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}/token:${token}`, 'utf8').toString('base64')}`;
const event = (authorization?: string) =>
  ({ type: 'REQUEST', methodArn, headers: authorization === undefined ? {} : { Authorization: authorization } }) as unknown as APIGatewayRequestAuthorizerEvent;

afterAll(() => {
  dynamodb.restore();
  restoreRequestLogEnvironment();
});

test('a denial names the invocation, the route and the parsed account and token; the next invocation carries none of them', async () => {
  // A token of the right shape for an account that does not exist: denied after one read.
  dynamodb.on(BatchGetItemCommand).resolves({ Responses: { mocked: [] } });
  const { token } = generateToken('acme', 5);
  const authorization = basic('ada@acme.test', token);

  const first = await captureLogs(() => handler(event(authorization), lambdaContextOf('authorizer', 'first-request')));
  expect(first.outcome).toEqual({ status: 'fulfilled', value: denialOf(methodArn) });
  // A denial is an answer: logged at INFO, with no error line (nor a stack trace) beside it.
  expect(first.lines.filter((line) => line.level !== 'INFO')).toEqual([]);
  expect(lineWithMessage(first, 'Authentication denied')).toMatchObject({
    level: 'INFO',
    function_request_id: 'first-request',
    function_name: 'authorizer',
    cold_start: true,
    route: 'authorizer',
    account_id: 'acme',
    api_token_id: 5,
    reason: 'unknown_account',
  });
  expect(secretsIn(first.text)).toEqual([]);
  expect(first.text).not.toContain(token);
  expect(first.text).not.toContain(token.split('_')[3]!.slice(0, 30));

  // No credentials to parse: no account or token id, and not the previous invocation's either.
  const second = await captureLogs(() => handler(event(undefined), lambdaContextOf('authorizer', 'second-request')));
  expect(second.outcome).toEqual({ status: 'fulfilled', value: denialOf(methodArn) });
  const denied = lineWithMessage(second, 'Authentication denied');
  expect(denied).toMatchObject({ function_request_id: 'second-request', cold_start: false, route: 'authorizer', reason: 'malformed_credentials' });
  expect(denied).not.toHaveProperty('account_id');
  expect(denied).not.toHaveProperty('api_token_id');
  expect(second.text).not.toContain('first-request');
});
