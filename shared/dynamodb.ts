// The plain DynamoDB client, configured from the validated configuration: the authorizer uses it as it is,
// the store through the document client (document-client.ts, which shares this client's HTTP handler and
// middleware), kept apart so the authorizer never loads it. Every call is bounded in time (time-budget.ts):
// a connection and a per-attempt timeout, a fixed number of SDK attempts, and the invocation's deadline
// (deadline.ts), applied here once so that no call site has to pass a signal.
import { DynamoDBClient, type DynamoDBExtensionConfiguration, type RuntimeExtension } from '@aws-sdk/client-dynamodb';
import type { Config } from './config';
import { deadlineSignal } from './deadline';
import { DYNAMODB_CONNECTION_TIMEOUT_MS, DYNAMODB_MAX_ATTEMPTS, DYNAMODB_REQUEST_TIMEOUT_MS } from './time-budget';

type HttpHandler = ReturnType<DynamoDBExtensionConfiguration['httpHandler']>;
type HandlerOptions = NonNullable<Parameters<HttpHandler['handle']>[1]>;

/** The caller's own signal (none in this code base) and the deadline's, whichever fires first. */
function combined(own: HandlerOptions['abortSignal'], deadline: AbortSignal): AbortSignal {
  return own instanceof AbortSignal ? AbortSignal.any([own, deadline]) : deadline;
}

/**
 * The SDK's HTTP handler, with the invocation's deadline as the abort signal of every attempt: a request
 * in flight is cut when the deadline passes, and an attempt that would start after it fails at once.
 * The SDK reports either as an `AbortError`, which it does not retry.
 */
function deadlineBoundHandler(inner: HttpHandler): HttpHandler {
  return {
    handle(request, options = {}) {
      const deadline = deadlineSignal();
      return inner.handle(request, deadline ? { ...options, abortSignal: combined(options.abortSignal, deadline) } : options);
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
