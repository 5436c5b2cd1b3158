// The narrow storage interfaces (ports) the domain speaks to: TokenStore for the services, and
// AuthorizationStore for verification. The DynamoDB adapters in shared/store/ are the implementations;
// they alone know keys, expressions and CancellationReasons.
import type { Account, ApiToken, AuditEntry, Authority, User } from './model';

export interface PageRequest {
  /** Items per page; undefined = everything. */
  size?: number;
  /** Exclusive cursor ids, relative to `order`: `after` continues in that order, `before` goes back. At most one is set. */
  after?: number;
  before?: number;
  /** Id order of the listing; ascending unless said. */
  order?: 'asc' | 'desc';
}

export interface Page<T> {
  items: T[];
  /** More items may exist beyond this page in the direction of travel. */
  hasMore: boolean;
  /**
   * Set when the page ended before it was full because the read's evaluation window ran out: the id to
   * continue from (exclusive, in the direction of travel). Everything up to it has been looked at, so the
   * page may hold fewer items than asked for, even none, and the next page starts after it.
   */
  resumeAt?: number;
}

/** A page at an offset, within the first `maxRecords` records of the listing. */
export interface OffsetPage<T> {
  items: T[];
  /** Matching records counted, at most `maxRecords`. */
  count: number;
  /** False when the read stopped at `maxRecords` records with more after them. */
  complete: boolean;
}

export type AccountChanges = Partial<Pick<Account, 'name' | 'plan' | 'status' | 'apiTokenAccess' | 'tokenLimit' | 'apiTokenMaxLifetimeDays' | 'apiTokenInactivityDays' | 'apiTokenDeactivatedRetentionDays'>>;
export type UserChanges = Partial<Pick<User, 'name' | 'role' | 'verified' | 'suspended'>>;
export type TokenChanges = Partial<Pick<ApiToken, 'description' | 'active' | 'policy'>>;

/** What a create decided from the account it read, and which must still hold when it commits. */
export interface AccountAsRead {
  /** The maximum token lifetime read (null: none), from which the token's expiry was decided. */
  maxLifetimeDays: number | null;
}

/** A rotation's two tokens: the one replaced, as read, and its replacement, written whole. */
export interface TokenRotation {
  old: ApiToken;
  replacement: ApiToken;
  /**
   * With a grace: the old token's expiry from now on (the end of the grace, or an earlier expiry it had), and
   * the replacement takes a slot of its own. Absent: the old token is deleted at once and its slot reused.
   */
  oldExpiresAt?: string;
}

/** Which audit entries to list. Ids grow with time, so a time range is an id range. */
export interface AuditQuery {
  page: PageRequest;
  /** Entries of one source (served by the source index). */
  source?: { type: string; id: string };
  sourceType?: string;
  sourceId?: string;
  actorId?: number;
  actorApiTokenId?: number;
  actions?: string[];
  ipAddress?: string;
  /** Inclusive bounds on creation time, epoch milliseconds. */
  createdFrom?: number;
  createdTo?: number;
  /** Entries whose TTL (epoch seconds) lies at or before this are treated as gone. */
  now: number;
}

export interface AuditOffsetQuery extends Omit<AuditQuery, 'page'> {
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
  maxRecords: number;
}

/**
 * Every write is one atomic transaction that includes its audit entries. Writes that take
 * `expectedVersion` fail with StaleWriteError when the record changed since it was read. Writes given an
 * `authority` commit only if it still holds (UnauthenticatedError, or ForbiddenError for a changed role).
 * Updates set the record's updatedAt to the `updatedAt` given (the time of the change and its audit entries).
 */
export interface TokenStore {
  getAccount(accountId: string): Promise<Account | undefined>;
  insertAccount(account: Account, audit: AuditEntry): Promise<void>;
  updateAccount(account: Account, changes: AccountChanges, updatedAt: string, audits: AuditEntry[], authority?: Authority): Promise<void>;

  getUser(accountId: string, email: string): Promise<User | undefined>;
  getUserById(accountId: string, userId: number): Promise<User | undefined>;
  listUsers(accountId: string): Promise<User[]>;
  insertUser(user: User, audit: AuditEntry): Promise<void>;
  updateUser(user: User, changes: UserChanges, updatedAt: string, audits: AuditEntry[]): Promise<void>;
  deleteUser(user: User, audit: AuditEntry): Promise<void>;

  getToken(accountId: string, tokenId: number): Promise<ApiToken | undefined>;
  listTokens(accountId: string, page: PageRequest): Promise<Page<ApiToken>>;
  /**
   * Takes a slot: fails with TokenLimitReached, ApiTokenAccessDisabled, AccountSuspended or NotFound; with
   * `read`, with StaleWriteError when the account no longer is as read.
   */
  insertToken(token: ApiToken, audit: AuditEntry, authority?: Authority, read?: AccountAsRead): Promise<void>;
  updateToken(token: ApiToken, changes: TokenChanges, updatedAt: string, audits: AuditEntry[], authority?: Authority): Promise<void>;
  /**
   * One transaction: the replacement put, the old token deleted (no grace) or marked rotated (`rotatedTo`,
   * `oldExpiresAt`) under its version, the audits written. Fails like insertToken (TokenLimitReached only with
   * a grace), with NotFound or StaleWriteError when the old token is gone or changed.
   */
  rotateToken(rotation: TokenRotation, audits: AuditEntry[], authority?: Authority, read?: AccountAsRead): Promise<void>;
  /** Frees the slot: fails with TokenActive or NotFound. */
  deleteToken(token: ApiToken, audit: AuditEntry, authority?: Authority): Promise<void>;

  listAuditEntries(accountId: string, query: AuditQuery): Promise<Page<AuditEntry>>;
  /** The entries at `offset` (at most `limit`), counted within the first `maxRecords` records the query reads in order. */
  listAuditEntriesAtOffset(accountId: string, query: AuditOffsetQuery): Promise<OffsetPage<AuditEntry>>;
  getAuditEntry(accountId: string, auditId: number): Promise<AuditEntry | undefined>;
}

/** The three items an authorization decision needs, read together. */
export interface AuthorizationItems {
  account?: Pick<Account, 'status' | 'apiTokenAccess'>;
  user?: Pick<User, 'userId' | 'name' | 'email' | 'role' | 'verified' | 'suspended'>;
  token?: Pick<ApiToken, 'active' | 'secretHash' | 'lastUsedAt' | 'policy'>;
}

export interface AuthorizationStore {
  /** One consistent read of account, user and token. */
  getAuthorizationItems(accountId: string, email: string, tokenId: number): Promise<AuthorizationItems>;
  /** Records use at most once per interval: a no-op when lastUsedAt is newer than `notAfter`. */
  recordTokenUse(accountId: string, tokenId: number, usedAt: string, notAfter: string): Promise<void>;
}

/** A token found in one of the sweep's indexes: its key, to read it again before acting. */
export interface TokenKey {
  accountId: string;
  tokenId: number;
}

/**
 * What the token sweep (token-sweep.ts) reads from its indexes, oldest first, a page at a time: every read
 * returns only what is due, so a run costs the accounts with a setting plus the tokens it acts on. Times are
 * ISO-8601 strings; every bound is exclusive but the rotated one.
 */
export interface SweepStore {
  /** The accounts with an inactivity or retention setting. */
  accountsToSweep(): AsyncIterable<string>;
  /** The account's active, not rotated tokens last used (or, never used, created) before `before`. */
  inactiveTokens(accountId: string, before: string): AsyncIterable<TokenKey>;
  /** The account's deactivated, not rotated tokens deactivated before `before`. */
  deactivatedTokens(accountId: string, before: string): AsyncIterable<TokenKey>;
  /** Tokens rotated with a grace that ended at or before `by`, of every account or of one. */
  rotatedTokens(by: string, accountId?: string): AsyncIterable<TokenKey>;
  /**
   * Deactivates a token still at its version and still unused since `unusedBefore` (a use recorded since it
   * was read moves no version): fails with StaleWriteError or NotFound.
   */
  deactivateUnusedToken(token: ApiToken, unusedBefore: string, updatedAt: string, audit: AuditEntry): Promise<void>;
  /** Deletes a token rotated with a grace, active or not, freeing its slot: fails with StaleWriteError or NotFound. */
  deleteRotatedToken(token: ApiToken, audit: AuditEntry): Promise<void>;
}
