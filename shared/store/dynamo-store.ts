// DynamoDB adapter of TokenStore: the one place that knows keys, condition expressions and
// CancellationReasons. Each write is one TransactWriteItems with its audit entries; conflicts and
// throttling are retried with bounded, jittered backoff; condition failures are never retried here.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CancellationReason, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { type TransactItem, withAuthority } from './authority-conditions';
import { asServiceUnavailable, backoff, errorName, guard, RETRYABLE_ERRORS, RETRYABLE_REASONS } from './dynamo-errors';
import {
  AccountSuspendedError,
  AlreadyExistsError,
  ApiTokenAccessDisabledError,
  NotFoundError,
  ServiceUnavailableError,
  StaleWriteError,
  TokenActiveError,
  TokenLimitReachedError,
} from '../domain/errors';
import {
  accountKey,
  accountPk,
  auditKey,
  auditSourceKey,
  padId,
  tokenKey,
  TOKEN_PREFIX,
  userIdKey,
  userKey,
  USER_PREFIX,
  AUDIT_PREFIX,
} from './keys';
import { firstIdAt, lastIdAt } from '../domain/ids';
import type { Account, ApiToken, AuditEntry, Authority, User } from '../domain/model';
import { tableDefinition } from './table';
import type {
  AccountChanges,
  AuditQuery,
  Page,
  PageRequest,
  TokenChanges,
  TokenStore,
  UserChanges,
} from '../domain/store';

type Item = Record<string, unknown>;
/** Turns the cancellation reasons of a transaction into the domain error they mean. */
type ConditionFailureMapper = (reasons: CancellationReason[]) => Error;

export const MAX_TRANSACTION_ATTEMPTS = 8;
const QUERY_PAGE_LIMIT = 1000;

const KEY_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'type'];

function withoutKeys<T>(item: Item): T {
  const copy: Item = { ...item };
  for (const key of KEY_ATTRIBUTES) delete copy[key];
  return copy as T;
}

const toAccount = (item: Item) => withoutKeys<Account>(item);
const toUser = (item: Item) => withoutKeys<User>(item);
const toToken = (item: Item): ApiToken => {
  const token = withoutKeys<ApiToken>(item);
  return { ...token, lastUsedAt: token.lastUsedAt ?? null };
};

function oldItem(reason: CancellationReason | undefined): Item | undefined {
  return reason?.Item ? unmarshall(reason.Item) : undefined;
}
const failed = (reason: CancellationReason | undefined) => reason?.Code === 'ConditionalCheckFailed';

/** SET clause and values for the changed attributes, plus the version bump and updatedAt. */
function changeExpression(changes: object, updatedAt: string, expectedVersion: number) {
  const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':one': 1, ':expected': expectedVersion, ':updatedAt': updatedAt };
  const sets = ['#version = #version + :one', '#updatedAt = :updatedAt'];
  Object.entries(changes).forEach(([attribute, value], index) => {
    names[`#a${index}`] = attribute;
    values[`:a${index}`] = value;
    sets.push(`#a${index} = :a${index}`);
  });
  return {
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** A stale version or a vanished record: tell NotFound from a lost race. */
const staleOrMissing: ConditionFailureMapper = (reasons) =>
  reasons.some((reason) => failed(reason) && !reason.Item) ? new NotFoundError() : new StaleWriteError('record changed');

export class DynamoTokenStore implements TokenStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // ---- accounts -------------------------------------------------------------------------------

  async getAccount(accountId: string): Promise<Account | undefined> {
    const item = await this.get(accountKey(accountId));
    return item && toAccount(item);
  }

  async insertAccount(account: Account, audit: AuditEntry): Promise<void> {
    await this.transact(
      [this.putNew({ ...accountKey(account.accountId), type: 'account', ...account }), this.putAudit(audit)],
      (reasons) => (failed(reasons[0]) ? new AlreadyExistsError(`Account ${account.accountId} already exists`) : new StaleWriteError('audit id taken')),
    );
  }

  async updateAccount(account: Account, changes: AccountChanges, updatedAt: string, audits: AuditEntry[], authority?: Authority): Promise<void> {
    await this.updateVersioned(accountKey(account.accountId), account.version, changes, updatedAt, audits, authority);
  }

  // ---- users ----------------------------------------------------------------------------------

  async getUser(accountId: string, email: string): Promise<User | undefined> {
    const item = await this.get(userKey(accountId, email));
    return item && toUser(item);
  }

  /** The id pointer, then the user it names: two consistent reads by key. */
  async getUserById(accountId: string, userId: number): Promise<User | undefined> {
    const pointer = await this.get(userIdKey(accountId, userId));
    if (typeof pointer?.email !== 'string') return undefined;
    const user = await this.getUser(accountId, pointer.email);
    return user?.userId === userId ? user : undefined;
  }

  async listUsers(accountId: string): Promise<User[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': USER_PREFIX },
      ConsistentRead: true,
    });
    return items.map(toUser);
  }

  async insertUser(user: User, audit: AuditEntry): Promise<void> {
    await this.transact(
      [
        this.accountExists(user.accountId),
        this.putNew({ ...userKey(user.accountId, user.email), type: 'user', ...user }),
        this.putNew({ ...userIdKey(user.accountId, user.userId), type: 'user_id', email: user.email }),
        this.putAudit(audit),
      ],
      (reasons) => {
        if (failed(reasons[0])) return new NotFoundError(`Account ${user.accountId} not found`);
        if (failed(reasons[1])) return new AlreadyExistsError(`User ${user.email} already exists in account ${user.accountId}`);
        return new StaleWriteError('user id or audit id taken');
      },
    );
  }

  async updateUser(user: User, changes: UserChanges, updatedAt: string, audits: AuditEntry[]): Promise<void> {
    await this.updateVersioned(userKey(user.accountId, user.email), user.version, changes, updatedAt, audits);
  }

  async deleteUser(user: User, audit: AuditEntry): Promise<void> {
    await this.transact(
      [
        {
          Delete: {
            TableName: this.tableName,
            Key: userKey(user.accountId, user.email),
            ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': user.version },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        // Unconditional: a user written before pointers existed has none, and the delete must still go through.
        { Delete: { TableName: this.tableName, Key: userIdKey(user.accountId, user.userId) } },
        this.putAudit(audit),
      ],
      staleOrMissing,
    );
  }

  // ---- tokens ---------------------------------------------------------------------------------

  async getToken(accountId: string, tokenId: number): Promise<ApiToken | undefined> {
    const item = await this.get(tokenKey(accountId, tokenId));
    return item && toToken(item);
  }

  async listTokens(accountId: string, page: PageRequest): Promise<Page<ApiToken>> {
    const result = await this.queryPage({ pk: accountPk(accountId), prefix: TOKEN_PREFIX, page, consistent: true });
    return { items: result.items.map(toToken), hasMore: result.hasMore };
  }

  async listAuditEntries(accountId: string, query: AuditQuery): Promise<Page<AuditEntry>> {
    const filters: string[] = ['(attribute_not_exists(expiresAt) OR expiresAt > :now)'];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':now': query.now };
    const equal = (attribute: string, value: unknown) => {
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      filters.push(`#${attribute} = :${attribute}`);
    };
    if (query.sourceType !== undefined) equal('sourceType', query.sourceType);
    if (query.sourceId !== undefined) equal('sourceId', query.sourceId);
    if (query.actorId !== undefined) equal('actorId', query.actorId);
    if (query.actorApiTokenId !== undefined) equal('actorApiTokenId', query.actorApiTokenId);
    if (query.ipAddress !== undefined) equal('ipAddress', query.ipAddress);
    if (query.actions?.length) {
      names['#action'] = 'action';
      query.actions.forEach((action, index) => (values[`:action${index}`] = action));
      filters.push(`#action IN (${query.actions.map((_, index) => `:action${index}`).join(', ')})`);
    }
    const bySource = query.source && auditSourceKey(accountId, query.source.type, query.source.id, 0);
    const result = await this.queryPage({
      ...(bySource ? { index: tableDefinition.sourceIndex.name, pk: bySource.GSI1PK } : { pk: accountPk(accountId) }),
      prefix: AUDIT_PREFIX,
      page: query.page,
      // The source index is eventually consistent; the table itself is read consistently.
      consistent: !bySource,
      minId: query.createdFrom === undefined ? undefined : firstIdAt(query.createdFrom),
      maxId: query.createdTo === undefined ? undefined : lastIdAt(query.createdTo),
      filter: { expression: filters.join(' AND '), names, values },
    });
    return { items: result.items.map((item) => withoutKeys<AuditEntry>(item)), hasMore: result.hasMore };
  }

  async getAuditEntry(accountId: string, auditId: number): Promise<AuditEntry | undefined> {
    const item = await this.get(auditKey(accountId, auditId));
    return item && withoutKeys<AuditEntry>(item);
  }

  async insertToken(token: ApiToken, audit: AuditEntry, authority?: Authority): Promise<void> {
    await this.transact(
      [
        {
          Update: {
            TableName: this.tableName,
            Key: accountKey(token.accountId),
            UpdateExpression: 'SET tokenCount = tokenCount + :one',
            ConditionExpression:
              'attribute_exists(PK) AND #status = :active AND apiTokenAccess = :on AND tokenCount < tokenLimit',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':one': 1, ':active': 'active', ':on': true },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        this.putNew({ ...tokenKey(token.accountId, token.tokenId), type: 'token', ...token, lastUsedAt: undefined }),
        this.putAudit(audit),
      ],
      (reasons) => {
        if (!failed(reasons[0])) return new StaleWriteError('token or audit id taken');
        const account = oldItem(reasons[0]) as Account | undefined;
        if (!account) return new NotFoundError(`Account ${token.accountId} not found`);
        if (account.status !== 'active') return new AccountSuspendedError();
        if (!account.apiTokenAccess) return new ApiTokenAccessDisabledError();
        return new TokenLimitReachedError(account.tokenLimit);
      },
      authority,
    );
  }

  async updateToken(token: ApiToken, changes: TokenChanges, updatedAt: string, audits: AuditEntry[], authority?: Authority): Promise<void> {
    await this.updateVersioned(tokenKey(token.accountId, token.tokenId), token.version, changes, updatedAt, audits, authority);
  }

  async deleteToken(token: ApiToken, audit: AuditEntry, authority?: Authority): Promise<void> {
    await this.transact(
      [
        {
          Delete: {
            TableName: this.tableName,
            Key: tokenKey(token.accountId, token.tokenId),
            ConditionExpression: 'attribute_exists(PK) AND #version = :expected AND active = :inactive',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': token.version, ':inactive': false },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: accountKey(token.accountId),
            UpdateExpression: 'SET tokenCount = tokenCount - :one',
            ConditionExpression: 'attribute_exists(PK) AND tokenCount > :zero',
            ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
          },
        },
        this.putAudit(audit),
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

  // ---- building blocks ------------------------------------------------------------------------

  private async get(key: Item): Promise<Item | undefined> {
    const result = await guard(this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })));
    return result.Item;
  }

  /** Follows LastEvaluatedKey until `limit` items (after any filter) or the end. */
  private async queryAll(input: QueryCommandInput, limit?: number): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      // With a filter, DynamoDB's Limit counts items read, not items kept: read full pages then.
      const wanted = limit === undefined || input.FilterExpression ? QUERY_PAGE_LIMIT : Math.min(QUERY_PAGE_LIMIT, limit - items.length);
      const result = await guard(this.client.send(new QueryCommand({ ...input, Limit: wanted, ExclusiveStartKey: startKey })));
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey && (limit === undefined || items.length < limit));
    return limit === undefined ? items : items.slice(0, limit);
  }

  /**
   * One page of items whose sort key is `{prefix}{padded id}`, in id order, between optional id bounds,
   * after an optional filter. Fetches one item more than the page to know whether more exist.
   */
  private async queryPage(query: {
    pk: string;
    index?: string;
    prefix: string;
    page: PageRequest;
    consistent: boolean;
    minId?: number;
    maxId?: number;
    filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
  }): Promise<Page<Item>> {
    const { page } = query;
    const descending = page.order === 'desc';
    let minId = query.minId ?? 0;
    let maxId = query.maxId ?? Number.MAX_SAFE_INTEGER;
    // `after` continues in the listing's order; `before` walks back against it (and is reversed below).
    const cursor = page.after ?? page.before;
    const forwardInOrder = page.before === undefined;
    const scanDescending = forwardInOrder ? descending : !descending;
    if (cursor !== undefined) {
      if (scanDescending) maxId = Math.min(maxId, cursor - 1);
      else minId = Math.max(minId, cursor + 1);
    }
    if (minId > maxId) return { items: [], hasMore: false };
    const sortKey = query.index ? tableDefinition.sourceIndex.sortKey : tableDefinition.sortKey;
    const partitionKey = query.index ? tableDefinition.sourceIndex.partitionKey : tableDefinition.partitionKey;
    const items = await this.queryAll(
      {
        TableName: this.tableName,
        IndexName: query.index,
        ConsistentRead: query.consistent || undefined,
        ScanIndexForward: !scanDescending,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        FilterExpression: query.filter?.expression,
        ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey, ...query.filter?.names },
        ExpressionAttributeValues: {
          ':pk': query.pk,
          ':from': `${query.prefix}${padId(minId)}`,
          ':to': `${query.prefix}${padId(maxId)}`,
          ...query.filter?.values,
        },
      },
      page.size === undefined ? undefined : page.size + 1,
    );
    const hasMore = page.size !== undefined && items.length > page.size;
    const pageItems = hasMore ? items.slice(0, page.size) : items;
    return { items: forwardInOrder ? pageItems : pageItems.reverse(), hasMore };
  }

  /** Applies changes to a record still at `expectedVersion`, with its audit entries, in one transaction. */
  private async updateVersioned(
    key: Item,
    expectedVersion: number,
    changes: object,
    updatedAt: string,
    audits: AuditEntry[],
    authority?: Authority,
  ): Promise<void> {
    await this.transact(
      [
        {
          Update: {
            TableName: this.tableName,
            Key: key,
            ...changeExpression(changes, updatedAt, expectedVersion),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        ...audits.map((audit) => this.putAudit(audit)),
      ],
      staleOrMissing,
      authority,
    );
  }

  private putNew(item: Item): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(PK)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  private putAudit(audit: AuditEntry): TransactItem {
    return this.putNew({
      ...auditKey(audit.accountId, audit.auditId),
      ...auditSourceKey(audit.accountId, audit.sourceType, audit.sourceId, audit.auditId),
      type: 'audit',
      ...audit,
    });
  }

  private accountExists(accountId: string): TransactItem {
    return { ConditionCheck: { TableName: this.tableName, Key: accountKey(accountId), ConditionExpression: 'attribute_exists(PK)' } };
  }


  /**
   * One atomic write. The client request token makes the SDK's and our own retries idempotent:
   * a transaction that already succeeded is not applied twice. With an authority, the write also checks
   * that the acting token, user and account still hold, and a failure of that check wins over the others.
   */
  private async transact(items: TransactItem[], onConditionFailure: ConditionFailureMapper, authority?: Authority): Promise<void> {
    const guarded = authority && withAuthority(items, this.tableName, authority);
    const input: TransactWriteCommandInput = { TransactItems: guarded?.items ?? items, ClientRequestToken: randomUUID() };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(new TransactWriteCommand(input));
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
}
