// The DynamoDB document client the store uses: the plain client (dynamodb-client.ts) with JavaScript values
// in and out. It shares the plain client's HTTP handler and middleware, tracing included when the plain
// client was wrapped for it.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../platform/config';
import { createDynamoDbClient } from './dynamodb-client';

/** The table the store reads and writes, with the client that reaches it. */
export interface DocumentTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** The document client over a plain client made by `createDynamoDbClient`. */
export function documentClientOver(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createDocumentClient(config: Pick<Config, 'dynamodbEndpoint' | 'region'>): DynamoDBDocumentClient {
  return documentClientOver(createDynamoDbClient(config));
}
