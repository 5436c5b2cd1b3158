// Retry behaviour of the DynamoDB store for what DynamoDB Local cannot produce on demand:
// TransactionConflict and throttling are retried with bounded backoff, then surface as 503;
// condition failures are never retried; every retry reuses the same client request token; the loop stops
// at the invocation's deadline; the authorizer's read fails closed when keys stay unprocessed.
import { BatchGetItemCommand, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoAuthorizationStore } from '../../shared/store/authorization-store';
import { createDocumentClient } from '../../shared/store/document-client';
import { createDynamoDbClient } from '../../shared/store/dynamodb-client';
import { DeadlineExceededError, withDeadline } from '../../shared/domain/deadline';
import { DynamoTokenStore } from '../../shared/store/dynamo-store';
import { MAX_TRANSACTION_ATTEMPTS } from '../../shared/store/transactions';
import { ServiceUnavailableError, TokenLimitReachedError } from '../../shared/domain/errors';
import type { ApiToken, AuditEntry } from '../../shared/domain/model';

const documentClient = createDocumentClient({ dynamodbEndpoint: 'http://127.0.0.1:9', region: 'us-east-1' });
const mock = mockClient(DynamoDBDocumentClient);
const store = new DynamoTokenStore(documentClient, 'tokens');

const token: ApiToken = {
  accountId: 'acme', tokenId: 1, description: null, active: true, secretHash: 'h', visibleToken: 'v',
  createdBy: -1, createdAt: '2026-11-28T00:00:00.000Z', updatedAt: '2026-11-28T00:00:00.000Z', lastUsedAt: null, version: 1,
};
const audit: AuditEntry = {
  accountId: 'acme', auditId: 2, action: 'create', event: 'api_token.created', actorId: -1, actorName: 'Operator', actorApiTokenId: null,
  sourceType: 'api_token', sourceId: '1', sourceLabel: 'v', changeDescription: 'Created', ipAddress: null, userAgent: null,
  createdAt: '2026-11-28T00:00:00.000Z',
};

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code, ...(Code === 'ConditionalCheckFailed' ? { Item: { tokenLimit: { N: '256' }, status: { S: 'active' }, apiTokenAccess: { BOOL: true } } } : {}) })),
  });

beforeEach(() => mock.reset());

test('TransactionConflict is retried with the same client request token until it succeeds', async () => {
  mock.on(TransactWriteCommand)
    .rejectsOnce(cancelled('TransactionConflict', 'None', 'None'))
    .rejectsOnce(cancelled('None', 'ThrottlingError', 'None'))
    .resolves({});
  await store.insertToken(token, audit);
  const calls = mock.commandCalls(TransactWriteCommand);
  expect(calls).toHaveLength(3);
  const requestTokens = new Set(calls.map((call) => call.args[0].input.ClientRequestToken));
  expect(requestTokens.size).toBe(1);
});

test('conflicts that never clear end in ServiceUnavailable after a bounded number of attempts', async () => {
  mock.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None', 'None'));
  await expect(store.insertToken(token, audit)).rejects.toBeInstanceOf(ServiceUnavailableError);
  expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(MAX_TRANSACTION_ATTEMPTS);
});

test('throttling of the whole request is retried, then surfaces as ServiceUnavailable', async () => {
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });
  mock.on(TransactWriteCommand).rejects(throttled);
  await expect(store.insertToken(token, audit)).rejects.toBeInstanceOf(ServiceUnavailableError);
  expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(MAX_TRANSACTION_ATTEMPTS);
});

test('conflicts end at the invocation deadline, not after all attempts; every attempt keeps the client request token', async () => {
  const deadlineMs = 100;
  // Each attempt costs a little time, as a round trip would.
  mock.on(TransactWriteCommand).callsFake(
    () => new Promise((_, reject) => setTimeout(() => reject(cancelled('TransactionConflict', 'None', 'None')), deadlineMs / 10)),
  );
  const started = Date.now();
  await expect(withDeadline(deadlineMs, () => store.insertToken(token, audit))).rejects.toBeInstanceOf(DeadlineExceededError);
  expect(Date.now() - started).toBeLessThan(3 * deadlineMs);
  const calls = mock.commandCalls(TransactWriteCommand);
  expect(calls.length).toBeLessThan(MAX_TRANSACTION_ATTEMPTS);
  // A write whose outcome is unknown (a lost answer) is never applied twice: the same token throughout.
  expect(new Set(calls.map((call) => call.args[0].input.ClientRequestToken)).size).toBe(1);
});

test('a condition failure is mapped to its domain error and never retried', async () => {
  mock.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));
  await expect(store.insertToken(token, audit)).rejects.toBeInstanceOf(TokenLimitReachedError);
  expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
});

test('the authorizer read fails closed when keys stay unprocessed', async () => {
  const plainMock = mockClient(DynamoDBClient);
  plainMock.on(BatchGetItemCommand).resolves({ Responses: { tokens: [] }, UnprocessedKeys: { tokens: { Keys: [{ PK: { S: 'x' }, SK: { S: 'y' } }] } } });
  const authorizationStore = new DynamoAuthorizationStore(createDynamoDbClient({ dynamodbEndpoint: 'http://127.0.0.1:9', region: 'us-east-1' }), 'tokens');
  await expect(authorizationStore.getAuthorizationItems('acme', 'a@b.co', 1)).rejects.toBeInstanceOf(ServiceUnavailableError);
  expect(plainMock.commandCalls(BatchGetItemCommand)).toHaveLength(4);
  plainMock.restore();
});
