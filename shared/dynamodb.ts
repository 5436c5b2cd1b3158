// The DynamoDB document client, created once per container from the validated configuration.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from './config';

/** SDK attempts per call (the SDK backs off between them); transactions add their own bounded retry. */
const SDK_MAX_ATTEMPTS = 3;

export function createDocumentClient(config: Pick<Config, 'dynamodbEndpoint' | 'region'>): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: SDK_MAX_ATTEMPTS,
    ...(config.dynamodbEndpoint
      ? {
          endpoint: config.dynamodbEndpoint,
          // DynamoDB Local accepts any credentials; none need to be configured to use it.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
