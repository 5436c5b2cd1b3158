// A fresh table on the run's DynamoDB Local for each test file, the store over it, and raw reads of what
// is stored, for tests that check the table itself.
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ensureTable } from '../../local/dynamodb-local';
import { createDocumentClient } from '../../shared/store/document-client';
import { DynamoTokenStore } from '../../shared/store/dynamo-store';
import { accountPk } from '../../shared/store/keys';
import type { Account, ApiToken, AuditEntry } from '../../shared/domain/model';

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

type Item = Record<string, unknown>;
type Readable = Pick<TestTable, 'documentClient' | 'tableName'>;

/** Every item of the table: a test's tables are small. */
export async function scanTable(table: Readable): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await table.documentClient.send(new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** One account's partition as stored, read consistently and split by item type. */
export async function accountPartition(table: Readable, accountId: string) {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': accountPk(accountId) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return {
    items,
    account: items.find((item) => item.type === 'account') as Account | undefined,
    tokens: items.filter((item) => item.type === 'token') as unknown as ApiToken[],
    audits: items.filter((item) => item.type === 'audit') as unknown as AuditEntry[],
  };
}
