// The plain DynamoDB client, configured from the validated configuration: the authorizer uses it as it is,
// the store through the document client (document-client.ts, which shares this client's HTTP handler and
// middleware), kept apart so the authorizer never loads it. Every call is bounded in time (time-budget.ts):
// a connection and a per-attempt timeout, a fixed number of SDK attempts, and the invocation's deadline
// (deadline.ts), applied here once so that no call site has to pass a signal.
import { DynamoDBClient, type DynamoDBExtensionConfiguration, type RuntimeExtension } from '@aws-sdk/client-dynamodb';
import { Readable } from 'node:stream';
import type { Config } from '../platform/config';
import { deadlineSignal } from '../domain/deadline';
import {
  DYNAMODB_CONNECTION_TIMEOUT_MS,
  DYNAMODB_MAX_ATTEMPTS,
  DYNAMODB_MAX_ATTEMPTS_IN_FLIGHT,
  DYNAMODB_REQUEST_TIMEOUT_MS,
} from '../platform/time-budget';

type HttpHandler = ReturnType<DynamoDBExtensionConfiguration['httpHandler']>;
type HandlerOptions = NonNullable<Parameters<HttpHandler['handle']>[1]>;

/** The caller's own signal (none in this code base) and the deadline's, whichever fires first. */
function combined(own: HandlerOptions['abortSignal'], deadline: AbortSignal): AbortSignal {
  return own instanceof AbortSignal ? AbortSignal.any([own, deadline]) : deadline;
}

const abortError = (signal: AbortSignal) => Object.assign(new Error('Request aborted'), { name: 'AbortError', cause: signal.reason as unknown });

/** A counting semaphore whose waiters give up when their signal fires. */
class AttemptSlots {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.inFlight < this.limit) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', giveUp);
        resolve();
      };
      const giveUp = () => {
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        reject(abortError(signal!));
      };
      this.waiting.push(grant);
      signal?.addEventListener('abort', giveUp, { once: true });
    });
  }

  /** Hands the slot to the next waiter, if any. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight -= 1;
  }
}

/**
 * The SDK's HTTP handler, with the invocation's deadline as the abort signal of every attempt: a request
 * in flight is cut when the deadline passes, and an attempt that would start after it fails at once.
 * The SDK reports either as an `AbortError`, which it does not retry. An attempt holds its slot until its
 * response has been read, when its socket is free again.
 */
function deadlineBoundHandler(inner: HttpHandler): HttpHandler {
  const slots = new AttemptSlots(DYNAMODB_MAX_ATTEMPTS_IN_FLIGHT);
  return {
    async handle(request, options = {}) {
      const deadline = deadlineSignal();
      const signal = deadline ? combined(options.abortSignal, deadline) : options.abortSignal instanceof AbortSignal ? options.abortSignal : undefined;
      await slots.acquire(signal);
      let released = false;
      const release = () => {
        if (!released) slots.release();
        released = true;
      };
      try {
        const result = await inner.handle(request, signal ? { ...options, abortSignal: signal } : options);
        const body: unknown = result.response.body;
        if (body instanceof Readable && !body.destroyed) body.once('close', release);
        else release();
        return result;
      } catch (error) {
        release();
        throw error;
      }
    },
    updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs(),
    destroy: () => inner.destroy?.(),
  };
}

/** Wraps the HTTP handler the SDK builds from `requestHandler` below (the SDK's public extension hook). */
const deadlineExtension: RuntimeExtension = {
  configure(configuration) {
    configuration.setHttpHandler(deadlineBoundHandler(configuration.httpHandler()));
  },
};

export function createDynamoDbClient(config: Pick<Config, 'dynamodbEndpoint' | 'region'>): DynamoDBClient {
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: DYNAMODB_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: DYNAMODB_CONNECTION_TIMEOUT_MS,
      requestTimeout: DYNAMODB_REQUEST_TIMEOUT_MS,
      // Without it the SDK only logs a warning when the request timeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
      httpAgent: { maxSockets: DYNAMODB_MAX_ATTEMPTS_IN_FLIGHT },
    },
    extensions: [deadlineExtension],
    ...(config.dynamodbEndpoint
      ? {
          endpoint: config.dynamodbEndpoint,
          // DynamoDB Local accepts any credentials; none need to be configured to use it.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });
  // The SDK waits between its attempts (up to seconds when throttled) outside the HTTP handler; it
  // cuts that wait short on the abort signal of the call's context, where `send(command, { abortSignal })`
  // would put it. Set first (initialize step), before the retry step reads it.
  client.middlewareStack.add(
    (next, context) => (args) => {
      const deadline = deadlineSignal();
      if (deadline) {
        const smithy = (context.__smithy_context ??= {});
        smithy.abortSignal = combined(smithy.abortSignal, deadline);
      }
      return next(args);
    },
    { step: 'initialize', name: 'invocationDeadline', priority: 'high' },
  );
  return client;
}
