// An in-memory TokenStore for handler tests that need no DynamoDB: the same port the DynamoDB adapter
// implements, with its rules that the domain relies on (versions, the token limit, delete only when
// deactivated). The authority check at commit is the adapter's own and is tested against DynamoDB Local.
import {
  AccountSuspendedError,
  AlreadyExistsError,
  ApiTokenAccessDisabledError,
  NotFoundError,
  StaleWriteError,
  TokenActiveError,
  TokenLimitReachedError,
} from '../../shared/domain/errors';
import type { Account, ApiToken, AuditEntry, User } from '../../shared/domain/model';
import type { AccountChanges, AuditOffsetQuery, AuditQuery, OffsetPage, Page, PageRequest, TokenChanges, TokenRotation, TokenStore, UserChanges } from '../../shared/domain/store';
import { matchesFilter } from './audit-log-paging';

type Versioned = { version: number; updatedAt: string };

/** A cursor page as the store's contract says: `after` continues in the listing's order, `before` walks back. */
function page<T>(items: T[], idOf: (item: T) => number, request: PageRequest): Page<T> {
  const backwards = request.before !== undefined;
  const descending = (request.order === 'desc') !== backwards;
  const cursor = request.after ?? request.before;
  let sorted = [...items].sort((a, b) => (descending ? idOf(b) - idOf(a) : idOf(a) - idOf(b)));
  if (cursor !== undefined) sorted = sorted.filter((item) => (descending ? idOf(item) < cursor : idOf(item) > cursor));
  const taken = request.size === undefined ? sorted : sorted.slice(0, request.size);
  const hasMore = request.size !== undefined && sorted.length > request.size;
  return { items: backwards ? taken.reverse() : taken, hasMore };
}

export class InMemoryTokenStore implements TokenStore {
  readonly accounts = new Map<string, Account>();
  readonly users = new Map<string, User>();
  readonly tokens = new Map<string, ApiToken>();
  readonly audits: AuditEntry[] = [];

  private record<T extends Versioned>(map: Map<string, T>, key: string, expectedVersion: number, changes: object, updatedAt: string, audits: AuditEntry[]) {
    const current = map.get(key);
    if (!current) throw new NotFoundError();
    if (current.version !== expectedVersion) throw new StaleWriteError('record changed');
    map.set(key, { ...current, ...changes, version: current.version + 1, updatedAt });
    this.audits.push(...audits);
  }

  async getAccount(accountId: string) {
    return this.accounts.get(accountId);
  }
  async insertAccount(account: Account, audit: AuditEntry) {
    if (this.accounts.has(account.accountId)) throw new AlreadyExistsError(`Account ${account.accountId} already exists`);
    this.accounts.set(account.accountId, account);
    this.audits.push(audit);
  }
  async updateAccount(account: Account, changes: AccountChanges, updatedAt: string, audits: AuditEntry[]) {
    this.record(this.accounts, account.accountId, account.version, changes, updatedAt, audits);
  }

  async getUser(accountId: string, email: string) {
    return this.users.get(`${accountId}|${email.toLowerCase()}`);
  }
  async getUserById(accountId: string, userId: number) {
    return [...this.users.values()].find((user) => user.accountId === accountId && user.userId === userId);
  }
  async listUsers(accountId: string) {
    return [...this.users.values()].filter((user) => user.accountId === accountId);
  }
  async insertUser(user: User, audit: AuditEntry) {
    if (!this.accounts.has(user.accountId)) throw new NotFoundError();
    const key = `${user.accountId}|${user.email}`;
    if (this.users.has(key)) throw new AlreadyExistsError(`User ${user.email} already exists`);
    this.users.set(key, user);
    this.audits.push(audit);
  }
  async updateUser(user: User, changes: UserChanges, updatedAt: string, audits: AuditEntry[]) {
    this.record(this.users, `${user.accountId}|${user.email}`, user.version, changes, updatedAt, audits);
  }
  async deleteUser(user: User, audit: AuditEntry) {
    this.users.delete(`${user.accountId}|${user.email}`);
    this.audits.push(audit);
  }

  async getToken(accountId: string, tokenId: number) {
    return this.tokens.get(`${accountId}|${tokenId}`);
  }
  async listTokens(accountId: string, request: PageRequest) {
    return page([...this.tokens.values()].filter((token) => token.accountId === accountId), (token) => token.tokenId, request);
  }
  /** The account a new token goes in, which must accept it, with its count raised when the token takes a slot. */
  private takeSlot(accountId: string, takesSlot: boolean) {
    const account = this.accounts.get(accountId);
    if (!account) throw new NotFoundError();
    if (account.status !== 'active') throw new AccountSuspendedError();
    if (!account.apiTokenAccess) throw new ApiTokenAccessDisabledError();
    if (takesSlot && account.tokenCount >= account.tokenLimit) throw new TokenLimitReachedError(account.tokenLimit);
    if (takesSlot) this.accounts.set(account.accountId, { ...account, tokenCount: account.tokenCount + 1 });
  }
  async insertToken(token: ApiToken, audit: AuditEntry) {
    this.takeSlot(token.accountId, true);
    this.tokens.set(`${token.accountId}|${token.tokenId}`, token);
    this.audits.push(audit);
  }
  async rotateToken({ old, replacement, oldExpiresAt }: TokenRotation, audits: AuditEntry[]) {
    const key = `${old.accountId}|${old.tokenId}`;
    const current = this.tokens.get(key);
    if (!current) throw new NotFoundError();
    if (current.version !== old.version) throw new StaleWriteError('token changed');
    this.takeSlot(old.accountId, oldExpiresAt !== undefined);
    if (oldExpiresAt === undefined) this.tokens.delete(key);
    else this.tokens.set(key, { ...current, rotatedTo: replacement.tokenId, policy: { ...current.policy, expiresAt: oldExpiresAt }, version: current.version + 1, updatedAt: replacement.createdAt });
    this.tokens.set(`${replacement.accountId}|${replacement.tokenId}`, replacement);
    this.audits.push(...audits);
  }
  async updateToken(token: ApiToken, changes: TokenChanges, updatedAt: string, audits: AuditEntry[]) {
    this.record(this.tokens, `${token.accountId}|${token.tokenId}`, token.version, changes, updatedAt, audits);
  }
  async deleteToken(token: ApiToken, audit: AuditEntry) {
    const key = `${token.accountId}|${token.tokenId}`;
    const current = this.tokens.get(key);
    if (!current) throw new NotFoundError();
    if (current.active) throw new TokenActiveError();
    this.tokens.delete(key);
    const account = this.accounts.get(token.accountId)!;
    this.accounts.set(account.accountId, { ...account, tokenCount: account.tokenCount - 1 });
    this.audits.push(audit);
  }

  async listAuditEntries(accountId: string, query: AuditQuery) {
    return page(this.audits.filter((entry) => entry.accountId === accountId && matchesFilter(entry, query, query.now)), (entry) => entry.auditId, query.page);
  }
  async listAuditEntriesAtOffset(accountId: string, { order, offset, limit, maxRecords, ...filters }: AuditOffsetQuery): Promise<OffsetPage<AuditEntry>> {
    const all = page(this.audits.filter((entry) => entry.accountId === accountId && matchesFilter(entry, filters, filters.now)), (entry) => entry.auditId, { order });
    const reachable = all.items.slice(0, maxRecords);
    return { items: reachable.slice(offset, offset + limit), count: reachable.length, complete: all.items.length <= maxRecords };
  }
  async getAuditEntry(accountId: string, auditId: number) {
    return this.audits.find((entry) => entry.accountId === accountId && entry.auditId === auditId);
  }
}
