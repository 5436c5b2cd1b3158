// The one table definition: DynamoDB Local setup and the CDK stack both build the table from it.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const tableDefinition = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Audit entries of one source (for example one token), newest last. */
  sourceIndex: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  /** Epoch seconds; DynamoDB removes audit entries past it (when retention is configured). */
  timeToLiveAttribute: 'expiresAt',
} as const;

/** CreateTable input for DynamoDB Local (on-demand, same keys and index as the deployed table). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, sourceIndex } = tableDefinition;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [partitionKey, sortKey, sourceIndex.partitionKey, sourceIndex.sortKey].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: sourceIndex.name,
        KeySchema: [
          { AttributeName: sourceIndex.partitionKey, KeyType: 'HASH' },
          { AttributeName: sourceIndex.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
