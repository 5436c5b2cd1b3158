// The DynamoDB document client the store uses: the plain client (dynamodb.ts) with JavaScript values in and out.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../platform/config';
import { createDynamoDbClient } from './dynamodb-client';

export function createDocumentClient(config: Pick<Config, 'dynamodbEndpoint' | 'region'>): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbClient(config), { marshallOptions: { removeUndefinedValues: true } });
}
