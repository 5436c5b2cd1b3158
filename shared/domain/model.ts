// Domain types: what an account, user, token and audit entry are, independent of storage and HTTP.

export const PLANS = ['team', 'growth', 'professional', 'enterprise', 'enterprise_plus'] as const;
export type Plan = (typeof PLANS)[number];
/** Highest first: a role allows everything the roles after it allow. */
export const ROLES = ['admin', 'agent', 'end_user'] as const;
export type Role = (typeof ROLES)[number];
export const ACCOUNT_STATUSES = ['active', 'suspended'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const TOKEN_LIMIT = 256;
export const LEGACY_TOKEN_LIMIT = 2048;

/** Every stored record carries a version for optimistic concurrency. */
interface Versioned {
  version: number;
}

export interface Account extends Versioned {
  accountId: string;
  name: string;
  plan: Plan;
  status: AccountStatus;
  apiTokenAccess: boolean;
  tokenCount: number;
  tokenLimit: number;
  /** Tokens created from now on expire at most this many days after creation; absent or null: no limit. */
  apiTokenMaxLifetimeDays?: number | null;
  /** The sweep deactivates tokens unused (since last use, or creation) for this many days; absent or null: off. */
  apiTokenInactivityDays?: number | null;
  /** The sweep deletes deactivated tokens this many days after their deactivation; absent or null: off. */
  apiTokenDeactivatedRetentionDays?: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface User extends Versioned {
  accountId: string;
  userId: number;
  name: string;
  email: string;
  role: Role;
  verified: boolean;
  suspended: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * What a token is restricted to, beyond being active: each part absent when not set, as on every token
 * Zendesk issues. One value, so that what is copied from one token to another (a rotation) is the policy.
 */
export interface TokenPolicy {
  /** ISO-8601 UTC (`toISOString`): from this instant the token fails as a deactivated one does. */
  expiresAt?: string;
  /** The one user (by id) whose email the token authenticates with. */
  assignedUserId?: number;
  /** The highest role a request made with the token acts with. */
  maxRole?: Role;
  /** Canonical CIDR blocks (`192.0.2.0/24`, `2001:db8::/32`, a single address as /32 or /128): the token authenticates only from them. */
  allowedIps?: string[];
}

export interface ApiToken extends Versioned {
  accountId: string;
  tokenId: number;
  description: string | null;
  active: boolean;
  secretHash: string;
  visibleToken: string;
  /** User id of the creator; OPERATOR_ACTOR_ID when created with tokenctl. */
  createdBy: number;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
  /** Absent (or empty) on tokens without any restriction. */
  policy?: TokenPolicy;
  /** When the token was last deactivated; absent on active tokens (and on tokens deactivated before it was recorded). */
  deactivatedAt?: string;
  /**
   * Set on a token rotated with a grace: the id of the token that replaces it. Its `policy.expiresAt` is
   * the end of the grace, after which the sweep deletes it.
   */
  rotatedTo?: number;
}

/**
 * Who makes a change: a user of the account through the API, always with one of the account's tokens
 * (`apiTokenId`), or an operator (through tokenctl).
 */
export type Actor =
  | { kind: 'user'; userId: number; name: string; email: string; role: Role; apiTokenId: number }
  | { kind: 'operator' }
  | { kind: 'system'; system: SystemActor };

/**
 * What a change made through the API rests on: the token, user and account the authorizer verified, and
 * the roles the route allows. The store commits the change only if all of it still holds at commit time,
 * so a change cannot outlive the deactivation of its token, the suspension of its user or the kill switch.
 */
export interface Authority {
  accountId: string;
  userId: number;
  email: string;
  apiTokenId: number;
  roles: readonly Role[];
  /** The token's IP allow-list as the authorizer checked it; absent when it had none. */
  allowedIps?: readonly string[];
}

export const OPERATOR_ACTOR_ID = -1;
export const OPERATOR_ACTOR_NAME = 'Operator';

/** The service acting on its own: who an audit entry names when no person asked for the change. */
export interface SystemActor {
  actorId: number;
  actorName: string;
}
/** Leak reports from secret scanners (`POST /api/v2/api_tokens/revocations`). */
export const SECRET_SCANNING_ACTOR: SystemActor = { actorId: -2, actorName: 'Secret scanning' };
/** The scheduled token sweep: the inactivity policy, deactivated-token retention and the end of rotation graces. */
export const TOKEN_SWEEP_ACTOR: SystemActor = { actorId: -3, actorName: 'Token sweep' };

/** Actor ids that are not user ids; `filter[actor_id]` accepts them besides real ids. */
export const SYSTEM_ACTOR_IDS: readonly number[] = [OPERATOR_ACTOR_ID, SECRET_SCANNING_ACTOR.actorId, TOKEN_SWEEP_ACTOR.actorId];

/** What a request tells about its origin, recorded in audit entries. */
export interface RequestMeta {
  ipAddress: string | null;
  userAgent: string | null;
}

export const AUDIT_SOURCE_TYPES = ['api_token', 'account_settings', 'account', 'user'] as const;
export type AuditSourceType = (typeof AUDIT_SOURCE_TYPES)[number];
export const AUDIT_ACTIONS = ['create', 'update', 'destroy'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  accountId: string;
  auditId: number;
  action: AuditAction;
  event: string;
  actorId: number;
  actorName: string;
  /** The token the change was made with; null for operator changes (and entries written before it was recorded). */
  actorApiTokenId: number | null;
  sourceType: AuditSourceType;
  sourceId: string;
  sourceLabel: string;
  changeDescription: string;
  ipAddress: string | null;
  userAgent: string | null;
  createdAt: string;
  /** Epoch seconds after which DynamoDB may remove the entry; absent when kept forever. */
  expiresAt?: number;
}
