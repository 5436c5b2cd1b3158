// The one table definition: DynamoDB Local setup and the CDK stack both build the table from it.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

import {
  ACTIVITY_AT_ATTRIBUTE,
  ACTIVITY_PARTITION_ATTRIBUTE,
  DUE_AT_ATTRIBUTE,
  DUE_PARTITION_ATTRIBUTE,
  SWEEP_ACCOUNT_ATTRIBUTE,
} from './sweep-index';

/** A global secondary index: its partition and sort key attributes (strings), projecting every attribute unless said. */
export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** KEYS_ONLY: the index holds the keys alone, for readers that read each item again by key. */
  projection?: 'KEYS_ONLY';
}

/**
 * The audit log's indexes, one per filter, each partitioned by account and filter value and sorted by the
 * entry's id, so that any filter reads only its own entries, in the order of the listing
 * (docs/decisions.md, 2026-12-02). All but `source` are keyed on the table's own sort key (`AUDIT#{id}`);
 * `actorApiToken` and `ipAddress` are sparse (entries without a token or an address are not in them).
 */
export const auditIndexes = {
  /** Entries of one source (for example one token). */
  source: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  actor: { name: 'AuditByActor', partitionKey: 'AuditActorPK', sortKey: 'SK' },
  actorApiToken: { name: 'AuditByActorApiToken', partitionKey: 'AuditActorApiTokenPK', sortKey: 'SK' },
  action: { name: 'AuditByAction', partitionKey: 'AuditActionPK', sortKey: 'SK' },
  ipAddress: { name: 'AuditByIpAddress', partitionKey: 'AuditIpAddressPK', sortKey: 'SK' },
  sourceType: { name: 'AuditBySourceType', partitionKey: 'AuditSourceTypePK', sortKey: 'SK' },
} as const satisfies Record<string, IndexDefinition>;

export type AuditIndex = keyof typeof auditIndexes;
/** The names of the audit log's indexes: what the audit-log listing queries. */
export const AUDIT_INDEX_NAMES: readonly string[] = Object.values(auditIndexes).map((index) => index.name);

/**
 * The token sweep's indexes (docs/architecture.md, "Token sweep"), all sparse and keys-only: the sweep reads
 * each item again, consistently, before it acts. Active tokens by last activity, per account; tokens due for
 * deletion (per account by deactivation time, and one partition of rotated tokens by the end of their
 * grace); the accounts that have an inactivity or retention setting.
 */
export const sweepIndexes = {
  activity: { name: 'TokensByActivity', partitionKey: ACTIVITY_PARTITION_ATTRIBUTE, sortKey: ACTIVITY_AT_ATTRIBUTE, projection: 'KEYS_ONLY' },
  due: { name: 'TokensDue', partitionKey: DUE_PARTITION_ATTRIBUTE, sortKey: DUE_AT_ATTRIBUTE, projection: 'KEYS_ONLY' },
  accounts: { name: 'AccountsToSweep', partitionKey: SWEEP_ACCOUNT_ATTRIBUTE, sortKey: 'PK', projection: 'KEYS_ONLY' },
} as const satisfies Record<string, IndexDefinition>;

/** The names of the sweep's indexes: what the sweep function queries. */
export const SWEEP_INDEX_NAMES: readonly string[] = Object.values(sweepIndexes).map((index) => index.name);

export const tableDefinition = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Every index of the table. */
  indexes: [...Object.values(auditIndexes), ...Object.values(sweepIndexes)] as readonly IndexDefinition[],
  /** Epoch seconds; DynamoDB removes audit entries past it (when retention is configured). */
  timeToLiveAttribute: 'expiresAt',
} as const;

/** Every attribute that is part of a key of the table or of one of its indexes. */
export const KEY_ATTRIBUTE_NAMES: readonly string[] = [
  ...new Set([tableDefinition.partitionKey, tableDefinition.sortKey, ...tableDefinition.indexes.flatMap((index) => [index.partitionKey, index.sortKey])]),
];

/** CreateTable input for DynamoDB Local (on-demand, same keys and indexes as the deployed table). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, indexes } = tableDefinition;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: KEY_ATTRIBUTE_NAMES.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection ?? 'ALL' },
    })),
  };
}
