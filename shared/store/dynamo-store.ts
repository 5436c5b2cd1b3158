// DynamoDB adapter of TokenStore: the entity methods — accounts, users with their user-id pointers, tokens,
// audit entries — each one read (reads.ts, audit-query.ts) or one transaction with its audit entries
// (transactions.ts), and the reading of a failed condition as the domain error it means.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError, NotFoundError, StaleWriteError, TokenActiveError } from '../domain/errors';
import type { Account, ApiToken, AuditEntry, Authority, User } from '../domain/model';
import type { AccountAsRead, AccountChanges, AuditOffsetQuery, AuditQuery, OffsetPage, Page, PageRequest, TokenChanges, TokenRotation, TokenStore, UserChanges } from '../domain/store';
import { auditPageQuery } from './audit-query';
import type { DocumentTable } from './document-client';
import { accountItem, tokenItem, toAccount, toAuditEntry, toToken, toUser, userIdItem, userItem } from './items';
import { accountKey, accountPk, auditKey, tokenKey, TOKEN_PREFIX, userIdKey, userKey, USER_PREFIX } from './keys';
import { queryPage } from './paged-query';
import { accountSweepChanges, activeChangeAttributes, sweepSettingChanged } from './sweep-index';
import { getItem, queryAll } from './reads';
import { accountRefusal, accountTakingToken } from './token-slots';
import { rotationTransaction } from './token-rotation';
import { accountExists, failed, oldItem, putAudit, putNew, releaseTokenSlot, staleOrMissing, transact, updateVersioned, versionedDelete } from './transactions';

/** A token is deleted only once deactivated. */
const ONLY_INACTIVE = { expression: 'active = :inactive', values: { ':inactive': false } };

export class DynamoTokenStore implements TokenStore {
  private readonly table: DocumentTable;

  constructor(client: DynamoDBDocumentClient, private readonly tableName: string) {
    this.table = { client, tableName };
  }

  // ---- accounts -------------------------------------------------------------------------------

  async getAccount(accountId: string): Promise<Account | undefined> {
    const item = await getItem(this.table, accountKey(accountId));
    return item && toAccount(item);
  }

  async insertAccount(account: Account, audit: AuditEntry): Promise<void> {
    await transact(
      this.table,
      [putNew(this.tableName, accountItem(account)), putAudit(this.tableName, audit)],
      (reasons) => (failed(reasons[0]) ? new AlreadyExistsError(`Account ${account.accountId} already exists`) : new StaleWriteError('audit id taken')),
    );
  }

  async updateAccount(account: Account, changes: AccountChanges, updatedAt: string, audits: AuditEntry[], authority?: Authority): Promise<void> {
    const also = sweepSettingChanged(changes) ? accountSweepChanges({ ...account, ...changes }) : undefined;
    const change = { key: accountKey(account.accountId), expectedVersion: account.version, changes, updatedAt, also };
    await updateVersioned(this.table, change, audits, authority);
  }

  // ---- users ----------------------------------------------------------------------------------

  async getUser(accountId: string, email: string): Promise<User | undefined> {
    const item = await getItem(this.table, userKey(accountId, email));
    return item && toUser(item);
  }

  /** The id pointer, then the user it names: two consistent reads by key. */
  async getUserById(accountId: string, userId: number): Promise<User | undefined> {
    const pointer = await getItem(this.table, userIdKey(accountId, userId));
    if (typeof pointer?.email !== 'string') return undefined;
    const user = await this.getUser(accountId, pointer.email);
    return user?.userId === userId ? user : undefined;
  }

  async listUsers(accountId: string): Promise<User[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': USER_PREFIX },
      ConsistentRead: true,
    });
    return items.map(toUser);
  }

  async insertUser(user: User, audit: AuditEntry): Promise<void> {
    await transact(
      this.table,
      [
        accountExists(this.tableName, user.accountId),
        putNew(this.tableName, userItem(user)),
        putNew(this.tableName, userIdItem(user)),
        putAudit(this.tableName, audit),
      ],
      (reasons) => {
        if (failed(reasons[0])) return new NotFoundError(`Account ${user.accountId} not found`);
        if (failed(reasons[1])) return new AlreadyExistsError(`User ${user.email} already exists in account ${user.accountId}`);
        return new StaleWriteError('user id or audit id taken');
      },
    );
  }

  async updateUser(user: User, changes: UserChanges, updatedAt: string, audits: AuditEntry[]): Promise<void> {
    const change = { key: userKey(user.accountId, user.email), expectedVersion: user.version, changes, updatedAt };
    await updateVersioned(this.table, change, audits);
  }

  async deleteUser(user: User, audit: AuditEntry): Promise<void> {
    await transact(
      this.table,
      [
        versionedDelete(this.tableName, userKey(user.accountId, user.email), user.version),
        // Unconditional: a user written before pointers existed has none, and the delete must still go through.
        { Delete: { TableName: this.tableName, Key: userIdKey(user.accountId, user.userId) } },
        putAudit(this.tableName, audit),
      ],
      staleOrMissing,
    );
  }

  // ---- tokens ---------------------------------------------------------------------------------

  async getToken(accountId: string, tokenId: number): Promise<ApiToken | undefined> {
    const item = await getItem(this.table, tokenKey(accountId, tokenId));
    return item && toToken(item);
  }

  async listTokens(accountId: string, page: PageRequest): Promise<Page<ApiToken>> {
    const result = await queryPage(this.table, { sources: [{ pk: accountPk(accountId) }], prefix: TOKEN_PREFIX, page, consistent: true });
    return { items: result.items.map(toToken), hasMore: result.hasMore };
  }

  async insertToken(token: ApiToken, audit: AuditEntry, authority?: Authority, read?: AccountAsRead): Promise<void> {
    const account = { accountId: token.accountId, takesSlot: true, read };
    await transact(
      this.table,
      [accountTakingToken(this.tableName, account), putNew(this.tableName, tokenItem(token)), putAudit(this.tableName, audit)],
      (reasons) => accountRefusal(reasons[0], account) ?? new StaleWriteError('token or audit id taken'),
      authority,
    );
  }

  async rotateToken(rotation: TokenRotation, audits: AuditEntry[], authority?: Authority, read?: AccountAsRead): Promise<void> {
    const { items, onConditionFailure } = rotationTransaction(this.tableName, rotation, audits, read);
    await transact(this.table, items, onConditionFailure, authority);
  }

  async updateToken(token: ApiToken, changes: TokenChanges, updatedAt: string, audits: AuditEntry[], authority?: Authority): Promise<void> {
    const also = changes.active === undefined ? undefined : activeChangeAttributes(token, changes.active, updatedAt);
    const change = { key: tokenKey(token.accountId, token.tokenId), expectedVersion: token.version, changes, updatedAt, also };
    await updateVersioned(this.table, change, audits, authority);
  }

  async deleteToken(token: ApiToken, audit: AuditEntry, authority?: Authority): Promise<void> {
    await transact(
      this.table,
      [
        versionedDelete(this.tableName, tokenKey(token.accountId, token.tokenId), token.version, ONLY_INACTIVE),
        releaseTokenSlot(this.tableName, token.accountId),
        putAudit(this.tableName, audit),
      ],
      (reasons) => {
        if (failed(reasons[0])) {
          const current = oldItem(reasons[0]);
          if (!current) return new NotFoundError();
          if (current.active === true) return new TokenActiveError();
          return new StaleWriteError('token changed');
        }
        if (failed(reasons[1])) return new NotFoundError(`Account ${token.accountId} not found`);
        return new StaleWriteError('audit id taken');
      },
      authority,
    );
  }

  // ---- audit entries --------------------------------------------------------------------------

  async listAuditEntries(accountId: string, query: AuditQuery): Promise<Page<AuditEntry>> {
    const result = await queryPage(this.table, auditPageQuery(accountId, query));
    return { ...result, items: result.items.map(toAuditEntry) };
  }

  /**
   * Reads the first `maxRecords` records in order and returns the slice at the offset. The window holds
   * one record more per partition read, to tell a listing that ends at the bound from one that goes on (a
   * read that stops at its Limit carries a LastEvaluatedKey even when nothing follows), and so that merged
   * partitions, each read a little past the slowest, still yield `maxRecords` records in order.
   */
  async listAuditEntriesAtOffset(accountId: string, { order, offset, limit, maxRecords, ...filters }: AuditOffsetQuery): Promise<OffsetPage<AuditEntry>> {
    const query = auditPageQuery(accountId, { ...filters, page: { size: maxRecords, order } });
    const result = await queryPage(this.table, { ...query, window: (maxRecords + 1) * query.sources.length });
    return { items: result.items.slice(offset, offset + limit).map(toAuditEntry), count: result.items.length, complete: !result.hasMore };
  }

  async getAuditEntry(accountId: string, auditId: number): Promise<AuditEntry | undefined> {
    const item = await getItem(this.table, auditKey(accountId, auditId));
    return item && toAuditEntry(item);
  }
}
