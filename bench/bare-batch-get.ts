// Baseline of the cold-start proxy (measurement 4): a Lambda handler with nothing but the DynamoDB client,
// making the one consistent BatchGetItem any token authorizer needs. It is bundled with the authorizer's
// esbuild settings; whatever the authorizer bundle holds beyond this is the product's own cost.
import { DEFAULT_TABLE_NAME } from '../shared/platform/table-name';
import { BatchGetItemCommand, DynamoDBClient, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';

const tableName = process.env.TABLE_NAME ?? DEFAULT_TABLE_NAME;
const client = new DynamoDBClient({ region: process.env.AWS_REGION, maxAttempts: 3 });

export interface BareEvent {
  accountId: string;
  email: string;
  tokenSortKey: string;
}

function keysOf(event: BareEvent): KeysAndAttributes {
  const pk = { S: `ACCOUNT#${event.accountId}` };
  return {
    ConsistentRead: true,
    Keys: [
      { PK: pk, SK: { S: '#ACCOUNT' } },
      { PK: pk, SK: { S: `USER#${event.email}` } },
      { PK: pk, SK: { S: event.tokenSortKey } },
    ],
  };
}

export async function handler(event: BareEvent): Promise<number> {
  const result = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: keysOf(event) } }));
  return result.Responses?.[tableName]?.length ?? 0;
}
