// The store's writes: one TransactWriteItems per change, with its audit entries. The runner adds the
// authority check at commit (authority-conditions.ts), keeps one ClientRequestToken across its attempts,
// retries conflicts and throttling with bounded, jittered backoff (dynamo-errors.ts) and never a condition
// failure, which it hands to the caller's mapper as cancellation reasons. Beside it, the items writes are
// built from: a new item, an audit entry, an account that must exist, and a versioned update or delete.
import type { CancellationReason, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { NotFoundError, ServiceUnavailableError, StaleWriteError } from '../domain/errors';
import type { AuditEntry, Authority } from '../domain/model';
import { type TransactItem, withAuthority } from './authority-conditions';
import type { DocumentTable } from './document-client';
import { asServiceUnavailable, backoff, errorName, RETRYABLE_ERRORS, RETRYABLE_REASONS } from './dynamo-errors';
import { auditItem, type Item } from './items';
import { accountKey } from './keys';
import { type AttributeChanges, updateClauses } from './update-expressions';

/** Turns the cancellation reasons of a transaction into the domain error they mean. */
type ConditionFailureMapper = (reasons: CancellationReason[]) => Error;

export const MAX_TRANSACTION_ATTEMPTS = 8;

/** Whether the item at this reason's position failed its condition. */
export const failed = (reason: CancellationReason | undefined) => reason?.Code === 'ConditionalCheckFailed';

/** The item as it was when its condition failed, for items written with ReturnValuesOnConditionCheckFailure. */
export function oldItem(reason: CancellationReason | undefined): Item | undefined {
  return reason?.Item ? unmarshall(reason.Item) : undefined;
}

/** A stale version or a vanished record: tell NotFound from a lost race. */
export const staleOrMissing: ConditionFailureMapper = (reasons) =>
  reasons.some((reason) => failed(reason) && !reason.Item) ? new NotFoundError() : new StaleWriteError('record changed');

/**
 * One atomic write. The client request token makes the SDK's and our own retries idempotent:
 * a transaction that already succeeded is not applied twice. With an authority, the write also checks
 * that the acting token, user and account still hold, and a failure of that check wins over the others.
 */
export async function transact(
  table: DocumentTable,
  items: TransactItem[],
  onConditionFailure: ConditionFailureMapper,
  authority?: Authority,
): Promise<void> {
  const guarded = authority && withAuthority(items, table.tableName, authority);
  const input: TransactWriteCommandInput = { TransactItems: guarded?.items ?? items, ClientRequestToken: randomUUID() };
  for (let attempt = 1; ; attempt += 1) {
    try {
      await table.client.send(new TransactWriteCommand(input));
      return;
    } catch (error) {
      if (errorName(error) === 'TransactionCanceledException') {
        const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
        if (reasons.some(failed)) throw guarded?.failureOf(reasons) ?? onConditionFailure(reasons);
        if (!reasons.every((reason) => reason.Code === 'None' || RETRYABLE_REASONS.has(reason.Code ?? ''))) {
          throw asServiceUnavailable(error);
        }
      } else if (!RETRYABLE_ERRORS.has(errorName(error) ?? '')) {
        throw asServiceUnavailable(error);
      }
      if (attempt >= MAX_TRANSACTION_ATTEMPTS) throw new ServiceUnavailableError('Too much contention; retry shortly.');
      await backoff(attempt);
    }
  }
}

/** Puts an item whose key must not exist yet. */
export function putNew(tableName: string, item: Item): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: item,
      ConditionExpression: 'attribute_not_exists(PK)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

export const putAudit = (tableName: string, audit: AuditEntry): TransactItem => putNew(tableName, auditItem(audit));

export function accountExists(tableName: string, accountId: string): TransactItem {
  return { ConditionCheck: { TableName: tableName, Key: accountKey(accountId), ConditionExpression: 'attribute_exists(PK)' } };
}

/** A deleted token's slot back to its account: the count a create checks against the limit goes down. */
export function releaseTokenSlot(tableName: string, accountId: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: accountKey(accountId),
      UpdateExpression: 'SET tokenCount = tokenCount - :one',
      ConditionExpression: 'attribute_exists(PK) AND tokenCount > :zero',
      ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
    },
  };
}

/** The record exists and is still at `:expected`. */
const AT_VERSION = 'attribute_exists(PK) AND #version = :expected';

/**
 * SET clause and values for the changed attributes, plus the version bump and updatedAt, and what `also`
 * does beside them (index attributes: set, set when absent, removed).
 */
export function changeExpression(changes: object, updatedAt: string, expectedVersion: number, also: AttributeChanges = {}) {
  const { sets, removes, names, values } = updateClauses({ ...also, set: { ...changes, ...also.set } });
  return {
    UpdateExpression: `SET ${['#version = #version + :one', '#updatedAt = :updatedAt', ...sets].join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: AT_VERSION,
    ExpressionAttributeNames: { '#version': 'version', '#updatedAt': 'updatedAt', ...names },
    ExpressionAttributeValues: { ':one': 1, ':expected': expectedVersion, ':updatedAt': updatedAt, ...values },
  };
}

type UpdateExpressionParts = ReturnType<typeof changeExpression>;

function withCondition(parts: UpdateExpressionParts, condition: VersionedChange['condition']): UpdateExpressionParts {
  if (!condition) return parts;
  return {
    ...parts,
    ConditionExpression: `${parts.ConditionExpression} AND ${condition.expression}`,
    ExpressionAttributeNames: { ...parts.ExpressionAttributeNames, ...condition.names },
    ExpressionAttributeValues: { ...parts.ExpressionAttributeValues, ...condition.values },
  };
}

interface VersionedChange {
  key: Item;
  expectedVersion: number;
  changes: object;
  /** Written as the record's updatedAt. */
  updatedAt: string;
  /** Attributes the change moves beside `changes` (the sweep's index attributes). */
  also?: AttributeChanges;
  /** A condition beside the version's, on attributes a write may change without a new version. */
  condition?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
}

/** Applies changes to a record still at its expected version, with its audit entries, in one transaction. */
export async function updateVersioned(table: DocumentTable, change: VersionedChange, audits: AuditEntry[], authority?: Authority): Promise<void> {
  await transact(
    table,
    [
      {
        Update: {
          TableName: table.tableName,
          Key: change.key,
          ...withCondition(changeExpression(change.changes, change.updatedAt, change.expectedVersion, change.also), change.condition),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      ...audits.map((audit) => putAudit(table.tableName, audit)),
    ],
    staleOrMissing,
    authority,
  );
}

/**
 * Deletes a record still at `expectedVersion` and, when given, meeting `also` too. Its old image comes back
 * on failure, which tells a vanished record from a changed one.
 */
export function versionedDelete(
  tableName: string,
  key: Item,
  expectedVersion: number,
  also?: { expression: string; values: Record<string, unknown> },
): TransactItem {
  return {
    Delete: {
      TableName: tableName,
      Key: key,
      ConditionExpression: also ? `${AT_VERSION} AND ${also.expression}` : AT_VERSION,
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expectedVersion, ...also?.values },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}
