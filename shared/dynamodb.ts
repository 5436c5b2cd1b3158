// The plain DynamoDB client, configured from the validated configuration: the authorizer uses it as it is,
// the store through the document client (document-client.ts), kept apart so the authorizer never loads it.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from './config';

/** SDK attempts per call (the SDK backs off between them); transactions add their own bounded retry. */
const SDK_MAX_ATTEMPTS = 3;

export function createDynamoDbClient(config: Pick<Config, 'dynamodbEndpoint' | 'region'>): DynamoDBClient {
  return new DynamoDBClient({
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
}
