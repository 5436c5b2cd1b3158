// JSON shapes of the API (DESIGN §5), shared by the handlers and `tokenctl --json`.
import { parseId } from '../domain/ids';
import type { Account, ApiToken, AuditEntry, User } from '../domain/model';

/** ISO-8601 UTC without milliseconds: `2026-11-28T12:00:00Z`. */
export const formatTimestamp = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

export interface ApiTokenJson {
  id: number;
  url: string;
  description: string | null;
  active: boolean;
  visible_token: string;
  user_id: number;
  created_at: string;
  updated_at: string;
  last_used: string | null;
  /** Only in the create response. */
  token?: string;
}

export function presentToken(token: ApiToken, baseUrl: string): ApiTokenJson {
  return {
    id: token.tokenId,
    url: `${baseUrl}/api/v2/api_tokens/${token.tokenId}.json`,
    description: token.description,
    active: token.active,
    visible_token: token.visibleToken,
    user_id: token.createdBy,
    created_at: formatTimestamp(token.createdAt),
    updated_at: formatTimestamp(token.updatedAt),
    last_used: token.lastUsedAt === null ? null : formatTimestamp(token.lastUsedAt),
  };
}

export function presentUser(user: User, baseUrl: string) {
  return {
    id: user.userId,
    url: `${baseUrl}/api/v2/users/${user.userId}.json`,
    name: user.name,
    email: user.email,
    role: user.role,
    verified: user.verified,
    suspended: user.suspended,
    created_at: formatTimestamp(user.createdAt),
    updated_at: formatTimestamp(user.updatedAt),
  };
}

export function presentAccount(account: Account) {
  return {
    id: account.accountId,
    name: account.name,
    plan: account.plan,
    status: account.status,
    api_token_access: account.apiTokenAccess,
    token_count: account.tokenCount,
    token_limit: account.tokenLimit,
    created_at: formatTimestamp(account.createdAt),
    updated_at: formatTimestamp(account.updatedAt),
  };
}

const ACTION_LABELS: Record<AuditEntry['action'], string> = { create: 'Created', update: 'Updated', destroy: 'Deleted' };

/** Zendesk's audit log object, plus the machine-readable `event`. Numeric source ids are numbers. */
export function presentAuditLog(entry: AuditEntry, baseUrl: string) {
  const numericSourceId = parseId(entry.sourceId);
  return {
    id: entry.auditId,
    url: `${baseUrl}/api/v2/audit_logs/${entry.auditId}.json`,
    action: entry.action,
    action_label: ACTION_LABELS[entry.action],
    actor_id: entry.actorId,
    actor_name: entry.actorName,
    actor_api_token_id: entry.actorApiTokenId ?? null,
    source_id: numericSourceId ?? entry.sourceId,
    source_type: entry.sourceType,
    source_label: entry.sourceLabel,
    change_description: entry.changeDescription,
    ip_address: entry.ipAddress,
    created_at: formatTimestamp(entry.createdAt),
    event: entry.event,
  };
}

export function presentSettings(account: Account) {
  return { settings: { api: { api_token_access: account.apiTokenAccess } } };
}
