// A rotation's transaction (TokenStore.rotateToken): the replacement put beside the old token, which is deleted
// at once (its slot reused: the account is only checked) or, with a grace, marked rotated under its version —
// its successor, its expiry at the grace's end, and its place in the sweep's rotated partition — while the
// replacement takes a slot of its own; and the reading of a failed condition.
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { NotFoundError, StaleWriteError } from '../domain/errors';
import type { ApiToken, AuditEntry } from '../domain/model';
import type { AccountAsRead, TokenRotation } from '../domain/store';
import type { TransactItem } from './authority-conditions';
import { tokenItem } from './items';
import { tokenKey } from './keys';
import { rotatedAttributes } from './sweep-index';
import { accountRefusal, accountTakingToken, type NewTokenOfAccount } from './token-slots';
import { changeExpression, failed, oldItem, putAudit, putNew, versionedDelete } from './transactions';

/** The old token, still at the version read, becomes the rotated one: it expires at `expiresAt` and waits in the rotated partition. */
function markRotated(tableName: string, old: ApiToken, replacementId: number, expiresAt: string, updatedAt: string): TransactItem {
  // The whole policy map: a token without a policy has no map to set a part in.
  const changes = { rotatedTo: replacementId, policy: { ...old.policy, expiresAt } };
  return {
    Update: {
      TableName: tableName,
      Key: tokenKey(old.accountId, old.tokenId),
      ...changeExpression(changes, updatedAt, old.version, rotatedAttributes(expiresAt)),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

export interface RotationTransaction {
  items: TransactItem[];
  onConditionFailure(reasons: CancellationReason[]): Error;
}

/** The items of one rotation, in order: the account, the old token, the replacement, the audit entries. */
export function rotationTransaction(tableName: string, { old, replacement, oldExpiresAt }: TokenRotation, audits: AuditEntry[], read?: AccountAsRead): RotationTransaction {
  const account: NewTokenOfAccount = { accountId: old.accountId, takesSlot: oldExpiresAt !== undefined, read };
  const oldToken =
    oldExpiresAt === undefined
      ? versionedDelete(tableName, tokenKey(old.accountId, old.tokenId), old.version)
      : markRotated(tableName, old, replacement.tokenId, oldExpiresAt, replacement.createdAt);
  return {
    items: [accountTakingToken(tableName, account), oldToken, putNew(tableName, tokenItem(replacement)), ...audits.map((audit) => putAudit(tableName, audit))],
    onConditionFailure(reasons) {
      const refusal = accountRefusal(reasons[0], account);
      if (refusal) return refusal;
      if (failed(reasons[1])) return oldItem(reasons[1]) ? new StaleWriteError('token changed') : new NotFoundError();
      return new StaleWriteError('token or audit id taken');
    },
  };
}
