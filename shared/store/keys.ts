// Key builders: the only place that spells the table's partition and sort keys.
const ID_WIDTH = 16;

/** Ids are zero-padded in sort keys so that string order equals numeric order. */
export const padId = (id: number): string => id.toString().padStart(ID_WIDTH, '0');

export const accountPk = (accountId: string) => `ACCOUNT#${accountId}`;

export const accountKey = (accountId: string) => ({ PK: accountPk(accountId), SK: '#ACCOUNT' });
export const userKey = (accountId: string, email: string) => ({
  PK: accountPk(accountId),
  SK: `${USER_PREFIX}${email.toLowerCase()}`,
});
/**
 * The user-id pointer: one item per user, written and deleted in the same transaction as the user, holding
 * the email that keys the user item. `GET /users/{id}` reads it, then the user: two reads by key, no query.
 */
export const userIdKey = (accountId: string, userId: number) => ({
  PK: accountPk(accountId),
  SK: `${USER_ID_PREFIX}${padId(userId)}`,
});
export const tokenKey = (accountId: string, tokenId: number) => ({
  PK: accountPk(accountId),
  SK: `${TOKEN_PREFIX}${padId(tokenId)}`,
});
export const auditKey = (accountId: string, auditId: number) => ({
  PK: accountPk(accountId),
  SK: `${AUDIT_PREFIX}${padId(auditId)}`,
});
/** GSI1 keys of an audit entry: all entries of one source, in time order. */
export const auditSourceKey = (accountId: string, sourceType: string, sourceId: string | number, auditId: number) => ({
  GSI1PK: auditSourcePartition(accountId, sourceType, sourceId),
  GSI1SK: `${AUDIT_PREFIX}${padId(auditId)}`,
});
export const auditSourcePartition = (accountId: string, sourceType: string, sourceId: string | number) =>
  `${accountPk(accountId)}#SOURCE#${sourceType}#${sourceId}`;

/** The partition of one filter value in its audit index (shared/store/table.ts): the account, the filter, the value. */
export const auditFilterPartition = (accountId: string, filter: 'ACTOR' | 'ACTOR_API_TOKEN' | 'ACTION' | 'IP' | 'SOURCE_TYPE', value: string | number) =>
  `${accountPk(accountId)}#${filter}#${value}`;

/** The account id of an account partition key (`accountPk`). */
export const accountIdOf = (pk: string) => pk.slice(accountPk('').length);
/** The token id of a token sort key (`tokenKey`). */
export const tokenIdOf = (sk: string) => Number(sk.slice(TOKEN_PREFIX.length));

export const USER_PREFIX = 'USER#';
/** Not a prefix of USER# keys (nor they of it), so a query for users never returns pointers. */
const USER_ID_PREFIX = 'USERID#';
export const TOKEN_PREFIX = 'TOKEN#';
export const AUDIT_PREFIX = 'AUDIT#';
