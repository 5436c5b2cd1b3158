// The time budget and the invocation deadline: the numbers nest (each bound ends before the one around it),
// a deadline aborts a DynamoDB call in flight, the SDK's own backoff and a wait for a free slot, a client
// keeps a bounded number of attempts in flight, and the optimistic retry stops at the deadline (the
// transaction loop: test/unit/dynamo-store-retry.test.ts). DynamoDB Local can neither stall, throttle nor
// answer slowly on demand, so a small HTTP server stands in for it.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDynamoDbClient } from '../../shared/store/dynamodb-client';
import { deadlineSignal, DeadlineExceededError, timeLeftMs, withDeadline } from '../../shared/domain/deadline';
import { asServiceUnavailable, guard } from '../../shared/store/dynamo-errors';
import { ServiceUnavailableError, StaleWriteError } from '../../shared/domain/errors';
import { withOptimisticRetry } from '../../shared/domain/optimistic-retry';
import {
  AUTHORIZER_DEADLINE_MS,
  AUTHORIZER_TIMEOUT_SECONDS,
  DYNAMODB_CONNECTION_TIMEOUT_MS,
  DYNAMODB_MAX_ATTEMPTS,
  DYNAMODB_MAX_ATTEMPTS_IN_FLIGHT,
  DYNAMODB_REQUEST_TIMEOUT_MS,
  HANDLER_DEADLINE_MS,
  HANDLER_TIMEOUT_SECONDS,
  SWEEP_ACTION_RESERVE_MS,
  SWEEP_DEADLINE_MS,
  SWEEP_TIMEOUT_SECONDS,
} from '../../shared/platform/time-budget';

/** A deadline short enough for unit tests; bounds below are multiples of it. */
const SHORT_DEADLINE_MS = 100;
/** The backoff the throttling stand-in asks for: far past the deadline. */
const RETRY_AFTER_MS = 10 * SHORT_DEADLINE_MS;

describe('the budget nests', () => {
  test('connection timeout ≤ attempt timeout < deadline < Lambda timeout, for the authorizer and the handlers', () => {
    expect(DYNAMODB_CONNECTION_TIMEOUT_MS).toBeLessThanOrEqual(DYNAMODB_REQUEST_TIMEOUT_MS);
    expect(DYNAMODB_REQUEST_TIMEOUT_MS).toBeLessThan(AUTHORIZER_DEADLINE_MS);
    expect(AUTHORIZER_DEADLINE_MS).toBeLessThan(AUTHORIZER_TIMEOUT_SECONDS * 1000);
    expect(HANDLER_DEADLINE_MS).toBeLessThan(HANDLER_TIMEOUT_SECONDS * 1000);
    // The authorizer's deadline leaves room for a second attempt after a stalled first one.
    expect(AUTHORIZER_DEADLINE_MS).toBeGreaterThanOrEqual(2 * DYNAMODB_REQUEST_TIMEOUT_MS);
    expect(DYNAMODB_MAX_ATTEMPTS).toBeGreaterThanOrEqual(2);
  });

  test("the sweep's reserve for one action < its deadline < its Lambda timeout", () => {
    expect(SWEEP_ACTION_RESERVE_MS).toBeLessThan(SWEEP_DEADLINE_MS);
    expect(SWEEP_DEADLINE_MS).toBeLessThan(SWEEP_TIMEOUT_SECONDS * 1000);
  });
});

describe('withDeadline', () => {
  test('outside a deadline there is none; inside, the time left shrinks and the signal fires when it passes', async () => {
    expect(timeLeftMs()).toBe(Infinity);
    expect(deadlineSignal()).toBeUndefined();
    await withDeadline(SHORT_DEADLINE_MS, async () => {
      expect(timeLeftMs()).toBeLessThanOrEqual(SHORT_DEADLINE_MS);
      const signal = deadlineSignal()!;
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      expect(signal.reason).toBeInstanceOf(DeadlineExceededError);
      expect(timeLeftMs()).toBe(0);
    });
  });

  test('a nested deadline cannot extend the outer one', async () => {
    await withDeadline(SHORT_DEADLINE_MS, async () => {
      const outer = deadlineSignal();
      await withDeadline(SHORT_DEADLINE_MS * 100, async () => {
        expect(deadlineSignal()).toBe(outer);
        expect(timeLeftMs()).toBeLessThanOrEqual(SHORT_DEADLINE_MS);
      });
    });
  });

  test('concurrent invocations keep their own deadlines', async () => {
    const seen = await Promise.all([
      withDeadline(SHORT_DEADLINE_MS, async () => deadlineSignal()),
      withDeadline(SHORT_DEADLINE_MS * 10, async () => deadlineSignal()),
    ]);
    expect(seen[0]).not.toBe(seen[1]);
  });
});

describe('the DynamoDB client within a deadline', () => {
  let server: Server;
  let endpoint: string;
  let requests = 0;
  /** What the stand-in server does with each request. */
  let behaviour: 'stall' | 'throttle' | 'slow' = 'stall';
  let inFlight = 0;
  let maxInFlight = 0;
  /** How long the slow stand-in takes to answer. */
  let slowMs = 0;

  const getItem = (client: ReturnType<typeof createDynamoDbClient>) =>
    client.send(new GetItemCommand({ TableName: 'tokens', Key: { PK: { S: 'a' }, SK: { S: 'b' } } }));

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests += 1;
      request.resume();
      // Stalled: the request is read and never answered.
      if (behaviour === 'stall') return;
      if (behaviour === 'slow') {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => {
          inFlight -= 1;
          response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
          response.end('{}');
        }, slowMs);
        return;
      }
      // The SDK waits at least what x-amz-retry-after asks before its next attempt: a known, long wait.
      response.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amz-retry-after': String(RETRY_AFTER_MS) });
      response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate exceeded' }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The first call loads what the SDK requires lazily (HTTP agent, credentials, endpoint rules): keep
    // that out of the measured calls.
    const warmUp = createDynamoDbClient({ dynamodbEndpoint: endpoint, region: 'us-east-1' });
    await withDeadline(SHORT_DEADLINE_MS, () => getItem(warmUp)).catch(() => undefined);
    warmUp.destroy();
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  beforeEach(() => {
    requests = 0;
  });

  async function elapsedUntilSettled(run: () => Promise<unknown>): Promise<{ elapsedMs: number; error: unknown }> {
    const started = Date.now();
    const error = await run().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    return { elapsedMs: Date.now() - started, error };
  }

  test('a call DynamoDB never answers is aborted at the deadline, well before its attempt timeout, and is a 503', async () => {
    behaviour = 'stall';
    const client = createDynamoDbClient({ dynamodbEndpoint: endpoint, region: 'us-east-1' });
    const { elapsedMs, error } = await elapsedUntilSettled(() => withDeadline(SHORT_DEADLINE_MS, () => guard(getItem(client))));
    client.destroy();
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(elapsedMs).toBeLessThan(Math.min(DYNAMODB_REQUEST_TIMEOUT_MS, 3 * SHORT_DEADLINE_MS));
    expect(requests).toBe(1);
  });

  test("the SDK's backoff after throttling ends at the deadline, and no attempt starts after it", async () => {
    behaviour = 'throttle';
    const client = createDynamoDbClient({ dynamodbEndpoint: endpoint, region: 'us-east-1' });
    const { elapsedMs, error } = await elapsedUntilSettled(() => withDeadline(SHORT_DEADLINE_MS, () => getItem(client)));
    const requestsAtDeadline = requests;
    // Past the backoff the SDK would still be sleeping in without the deadline.
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS + SHORT_DEADLINE_MS));
    client.destroy();
    expect(asServiceUnavailable(error)).toBeInstanceOf(DeadlineExceededError);
    expect(elapsedMs).toBeLessThan(3 * SHORT_DEADLINE_MS);
    expect(requests).toBe(requestsAtDeadline);
    expect(requests).toBeLessThan(DYNAMODB_MAX_ATTEMPTS);
  });

  test('a client keeps at most its cap of attempts in flight; the others wait their turn, untimed, and all complete', async () => {
    behaviour = 'slow';
    maxInFlight = 0;
    // Three rounds of answers: the last round waits two, longer than the connection and request timeouts
    // allow, which it may since waiting for a slot is not part of an attempt.
    slowMs = 0.6 * DYNAMODB_REQUEST_TIMEOUT_MS;
    expect(2 * slowMs).toBeGreaterThan(DYNAMODB_CONNECTION_TIMEOUT_MS);
    expect(3 * slowMs).toBeGreaterThan(DYNAMODB_REQUEST_TIMEOUT_MS);
    const client = createDynamoDbClient({ dynamodbEndpoint: endpoint, region: 'us-east-1' });
    const calls = 3 * DYNAMODB_MAX_ATTEMPTS_IN_FLIGHT;
    const results = await Promise.allSettled(Array.from({ length: calls }, () => getItem(client)));
    client.destroy();
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(calls);
    expect(maxInFlight).toBe(DYNAMODB_MAX_ATTEMPTS_IN_FLIGHT);
    expect(requests).toBe(calls);
  });

  test('a call waiting for a free slot gives up at its deadline', async () => {
    behaviour = 'stall';
    // Long enough for every slot's request to reach the server on a loaded machine (ten connections, each
    // signed), and still shorter than an attempt's connection timeout, so that the deadline ends every call.
    const deadlineMs = 5 * SHORT_DEADLINE_MS;
    expect(deadlineMs).toBeLessThan(DYNAMODB_CONNECTION_TIMEOUT_MS);
    const client = createDynamoDbClient({ dynamodbEndpoint: endpoint, region: 'us-east-1' });
    const calls = DYNAMODB_MAX_ATTEMPTS_IN_FLIGHT + 5;
    const started = Date.now();
    const results = await withDeadline(deadlineMs, () => Promise.allSettled(Array.from({ length: calls }, () => guard(getItem(client)))));
    const elapsedMs = Date.now() - started;
    client.destroy();
    for (const result of results) expect(result.status === 'rejected' && result.reason instanceof DeadlineExceededError).toBe(true);
    expect(elapsedMs).toBeLessThan(3 * deadlineMs);
    expect(requests).toBe(DYNAMODB_MAX_ATTEMPTS_IN_FLIGHT);
  });
});

describe('the optimistic retry within a deadline', () => {
  test('optimistic re-reads stop at the deadline instead of running all their rounds', async () => {
    let rounds = 0;
    const failure = await withDeadline(SHORT_DEADLINE_MS, () =>
      withOptimisticRetry(async () => {
        rounds += 1;
        await new Promise((resolve) => setTimeout(resolve, SHORT_DEADLINE_MS / 2));
        throw new StaleWriteError('record changed');
      }),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DeadlineExceededError);
    expect(rounds).toBeLessThanOrEqual(3);
  });
});
