// The DynamoDB document client the store uses: the plain client (dynamodb-client.ts) with JavaScript values in and out.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../platform/config';
import { createDynamoDbClient } from './dynamodb-client';

/** The table the store reads and writes, with the client that reaches it. */
export interface DocumentTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

export function createDocumentClient(config: Pick<Config, 'dynamodbEndpoint' | 'region'>): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbClient(config), { marshallOptions: { removeUndefinedValues: true } });
}
