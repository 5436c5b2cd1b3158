// What the authorizer answers, with DynamoDB mocked (aws-sdk-client-mock): a denial resolves with a Deny
// policy — never a rejection, so Lambda counts no function error — which API Gateway answers with the
// ACCESS_DENIED gateway response, the same 401 as a missing header; an internal failure still rejects, which
// API Gateway answers with AUTHORIZER_FAILURE, the 503.
import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/authorizer';
import { policyAllows } from '../../local/iam-policy';
import { generateToken } from '../../shared/domain/token-format';
import { gatewayResponses } from '../../shared/http/gateway-responses';
import { denialOf } from '../support/authorizer-answers';

process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:9';
process.env.TABLE_NAME = 'mocked';
const dynamodb = mockClient(DynamoDBClient);

const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/api/v2/users/me';
const { token } = generateToken('acme', 5);
const wellFormed = `Basic ${Buffer.from(`ada@acme.test/token:${token}`, 'utf8').toString('base64')}`;
const event = (authorization?: string) =>
  ({ type: 'REQUEST', methodArn, headers: authorization === undefined ? {} : { Authorization: authorization } }) as unknown as APIGatewayRequestAuthorizerEvent;

beforeEach(() => {
  dynamodb.reset();
});

afterAll(() => {
  dynamodb.restore();
});

test.each([
  ['no credentials (no DynamoDB call)', undefined],
  ['malformed credentials (no DynamoDB call)', 'Basic %%%'],
  ['a well-formed token of an account that does not exist', wellFormed],
])('%s: resolves with the Deny policy of the stage, naming nobody', async (_name, authorization) => {
  dynamodb.on(BatchGetItemCommand).resolves({ Responses: { mocked: [] } });
  const result = await handler(event(authorization));
  expect(result).toEqual(denialOf(methodArn));
  expect(JSON.stringify(result)).not.toMatch(/acme|ada|apit_/);
  // API Gateway allows nothing on it, so it answers ACCESS_DENIED: the 401 of a missing header.
  expect(policyAllows(result.policyDocument, methodArn)).toBe(false);
  expect(gatewayResponses.ACCESS_DENIED).toEqual(gatewayResponses.UNAUTHORIZED);
  expect(dynamodb.commandCalls(BatchGetItemCommand)).toHaveLength(authorization === wellFormed ? 1 : 0);
});

test('an internal failure still rejects, with an error API Gateway does not read as a denial', async () => {
  const unavailable = Object.assign(new Error('We currently do not have sufficient capacity'), {
    name: 'InternalServerError',
    $fault: 'server',
    $metadata: {},
  });
  dynamodb.on(BatchGetItemCommand).rejects(unavailable);
  const failure = await handler(event(wellFormed)).then(
    (result) => ({ resolved: result }),
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(Error);
  expect((failure as Error).message).not.toBe('Unauthorized');
});
