// The authorizer's client and store, created once per container: only what verification runs (the plain
// DynamoDB client, not the document client or the domain services), so that the authorizer's bundle and
// cold start stay small. In Lambda they are made during the init phase (`prepareInLambdaInit`), so the
// container's first request, allowed or denied, costs what a warm one does; elsewhere (the local stack,
// the tests, which point TABLE_NAME at their table after importing) on first use.
import { loadConfig } from '../platform/config';
import type { AuthorizationStore } from '../domain/store';
import { DynamoAuthorizationStore } from '../store/authorization-store';
import { createDynamoDbClient } from '../store/dynamodb-client';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { withDeadline } from '../domain/deadline';
import { countColdStart } from '../platform/metrics';

export interface AuthorizationServices {
  client: DynamoDBClient;
  store: AuthorizationStore;
}

let services: AuthorizationServices | undefined;

/** The authorizer's client and store, created once per container on first use. */
export function getAuthorizationServices(): AuthorizationServices {
  if (!services) {
    const config = loadConfig();
    const client = createDynamoDbClient(config);
    services = { client, store: new DynamoAuthorizationStore(client, config.tableName) };
  }
  return services;
}

/**
 * Lambda sets AWS_LAMBDA_INITIALIZATION_TYPE (on-demand, provisioned-concurrency, snap-start) in every
 * container; the module's import is then the init phase, which Lambda runs once, before the first request.
 */
export function runsInLambda(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.AWS_LAMBDA_INITIALIZATION_TYPE !== undefined;
}

/**
 * In Lambda, creates the services while the module loads, inside a throwaway deadline of `deadlineMs`, so
 * that the container's first request finds the client made and the deadline's machinery (AsyncLocalStorage,
 * timer) already run once, as every later request does. Nothing is called and nothing is logged. A
 * configuration error is not raised here, where it would fail the container's init: the first request's
 * getAuthorizationServices() raises it again, and it is logged with that request (a 503, fail closed).
 */
export function prepareInLambdaInit(deadlineMs: number, env: NodeJS.ProcessEnv = process.env): void {
  if (!runsInLambda(env)) return;
  countColdStart(env.AWS_LAMBDA_FUNCTION_NAME);
  withDeadline(deadlineMs, async () => {
    getAuthorizationServices();
  }).catch(() => undefined);
}
