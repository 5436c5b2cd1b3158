// A fresh table on the run's DynamoDB Local for each test file, and the store over it.
import { randomUUID } from 'node:crypto';
import { ensureTable } from '../../local/dynamodb-local';
import { createDocumentClient } from '../../shared/document-client';
import { DynamoTokenStore } from '../../shared/dynamo-store';

export interface TestTable {
  endpoint: string;
  tableName: string;
  store: DynamoTokenStore;
  documentClient: ReturnType<typeof createDocumentClient>;
}

export function testEndpoint(): string {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run the tests with jest (test/setup/global-setup.ts)');
  return endpoint;
}

/** Creates a table with a unique name and points TABLE_NAME / DYNAMODB_ENDPOINT at it for this test file. */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = testEndpoint();
  const tableName = `test-${randomUUID()}`;
  await ensureTable(endpoint, tableName);
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env.TABLE_NAME = tableName;
  const documentClient = createDocumentClient({ dynamodbEndpoint: endpoint, region: 'us-east-1' });
  return { endpoint, tableName, documentClient, store: new DynamoTokenStore(documentClient, tableName) };
}
