// The account's side of a write that adds a token (a create, a rotation): the conditions under which the
// account accepts it — it exists, is active, has API token access on and, when the token's expiry was decided
// from it, still has the maximum lifetime read — either taking a slot (`tokenCount + 1` under the limit) or as
// a check alone (a rotation that reuses its old token's slot), and the reading of their failure.
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { AccountSuspendedError, ApiTokenAccessDisabledError, NotFoundError, StaleWriteError, TokenLimitReachedError } from '../domain/errors';
import type { Account } from '../domain/model';
import type { AccountAsRead } from '../domain/store';
import type { TransactItem } from './authority-conditions';
import { accountKey } from './keys';
import { failed, oldItem } from './transactions';

/**
 * The account's maximum token lifetime is still the one read (absent and null both mean none): the
 * condition a new token adds when its expiry was decided from it.
 */
function sameMaxLifetime(days: number | null) {
  const names = { '#maxLifetime': 'apiTokenMaxLifetimeDays' satisfies keyof Account };
  return days === null
    ? { expression: '(attribute_not_exists(#maxLifetime) OR attribute_type(#maxLifetime, :nullType))', names, values: { ':nullType': 'NULL' } }
    : { expression: '#maxLifetime = :maxLifetime', names, values: { ':maxLifetime': days } };
}

export interface NewTokenOfAccount {
  accountId: string;
  /** True: the token takes a slot of its own (the count goes up, under the limit); false: it reuses one. */
  takesSlot: boolean;
  read?: AccountAsRead;
}

/** The account item of the transaction: an Update of its count when a slot is taken, else a ConditionCheck. */
export function accountTakingToken(tableName: string, { accountId, takesSlot, read }: NewTokenOfAccount): TransactItem {
  const lifetime = read && sameMaxLifetime(read.maxLifetimeDays);
  const condition = {
    TableName: tableName,
    Key: accountKey(accountId),
    ConditionExpression: `attribute_exists(PK) AND #status = :active AND apiTokenAccess = :on${takesSlot ? ' AND tokenCount < tokenLimit' : ''}${lifetime ? ` AND ${lifetime.expression}` : ''}`,
    ExpressionAttributeNames: { '#status': 'status', ...lifetime?.names },
    ExpressionAttributeValues: { ':active': 'active', ':on': true, ...lifetime?.values },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
  if (!takesSlot) return { ConditionCheck: condition };
  return {
    Update: { ...condition, UpdateExpression: 'SET tokenCount = tokenCount + :one', ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ':one': 1 } },
  };
}

/** Why the account refused the token, when its item (at the reason given) failed its condition; undefined when it did not. */
export function accountRefusal(reason: CancellationReason | undefined, { accountId, read }: NewTokenOfAccount): Error | undefined {
  if (!failed(reason)) return undefined;
  const account = oldItem(reason) as Account | undefined;
  if (!account) return new NotFoundError(`Account ${accountId} not found`);
  if (account.status !== 'active') return new AccountSuspendedError();
  if (!account.apiTokenAccess) return new ApiTokenAccessDisabledError();
  if (read && (account.apiTokenMaxLifetimeDays ?? null) !== read.maxLifetimeDays) return new StaleWriteError('maximum token lifetime changed');
  return new TokenLimitReachedError(account.tokenLimit);
}
