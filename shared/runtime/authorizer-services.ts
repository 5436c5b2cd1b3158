// The authorizer's client and store, created once per container on first use: only what verification
// runs (the plain DynamoDB client, not the document client or the domain services), so that the
// authorizer's bundle and cold start stay small.
import { loadConfig } from '../platform/config';
import type { AuthorizationStore } from '../domain/store';
import { DynamoAuthorizationStore } from '../store/authorization-store';
import { createDynamoDbClient } from '../store/dynamodb-client';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

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
