// Faults DynamoDB Local cannot produce on demand, seen from the HTTP handlers (SDK mocked with
// aws-sdk-client-mock): TransactionConflict and throttling are retried a bounded number of times, then the
// client gets 503 ServiceUnavailable with Retry-After — never a 500; the authorizer fails closed.
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { BatchGetItemCommand, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as authorizer } from '../../functions/authorizer';
import { handler as createApiToken } from '../../functions/create-api-token';
import { MAX_TRANSACTION_ATTEMPTS } from '../../shared/store/transactions';
import { generateToken } from '../../shared/domain/token-format';

process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:9';
process.env.TABLE_NAME = 'mocked';
const mock = mockClient(DynamoDBDocumentClient);
// The authorizer reads with the plain client.
const plainMock = mockClient(DynamoDBClient);

const admin = { userId: 7, name: 'Ada', email: 'ada@acme.test', role: 'admin', verified: true, suspended: false, accountId: 'acme', version: 1 };
const createEvent = {
  httpMethod: 'POST',
  path: '/api/v2/api_tokens.json',
  headers: { Host: '127.0.0.1:3000' },
  body: null,
  isBase64Encoded: false,
  requestContext: {
    authorizer: { accountId: 'acme', userId: '7', email: 'ada@acme.test', role: 'admin', tokenId: '1', authType: 'api_token' },
    identity: { sourceIp: '127.0.0.1', userAgent: 'jest' },
  },
} as unknown as APIGatewayProxyEvent;

const conflict = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }],
  });

beforeEach(() => {
  mock.reset();
  plainMock.reset();
  mock.on(GetCommand).resolves({ Item: admin });
});

test('a create that keeps conflicting is retried a bounded number of times, then answered 503 with Retry-After', async () => {
  mock.on(TransactWriteCommand).rejects(conflict());
  const response = await createApiToken(createEvent);
  expect(response.statusCode).toBe(503);
  expect(JSON.parse(response.body)).toMatchObject({ error: 'ServiceUnavailable' });
  expect(response.headers?.['Retry-After']).toBe('1');
  expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(MAX_TRANSACTION_ATTEMPTS);
});

test('throttling that clears within the retries is invisible to the client', async () => {
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: {} });
  mock.on(TransactWriteCommand).rejectsOnce(throttled).rejectsOnce(conflict()).resolves({});
  const response = await createApiToken(createEvent);
  expect(response.statusCode).toBe(201);
  expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
});

test('throttled reads answer 503, not 500', async () => {
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException', $fault: 'client', $metadata: {} });
  mock.on(GetCommand).rejects(throttled);
  const response = await createApiToken(createEvent);
  expect(response.statusCode).toBe(503);
});

test('the authorizer fails closed when its read is throttled: an error, never a policy (Allow, or the Deny of a 401)', async () => {
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: {} });
  plainMock.on(BatchGetItemCommand).rejects(throttled);
  const event = {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:us-east-1:1:api/prod/GET/api/v2/users/me',
    headers: { Authorization: `Basic ${Buffer.from(`ada@acme.test/token:${generateToken('acme', 1).token}`).toString('base64')}` },
  } as unknown as APIGatewayRequestAuthorizerEvent;
  const failure = await authorizer(event).then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  expect(failure).toBeInstanceOf(Error);
  expect(failure?.message).not.toBe('Unauthorized');
});
