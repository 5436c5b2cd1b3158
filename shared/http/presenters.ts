// The API's JSON objects built from domain records, shared by the handlers and `tokenctl --json`. Their
// types are inferred from the response schemas (response-schemas.ts, which the OpenAPI document is made
// of), so a presenter that drifts from the published shape does not compile; `import type` keeps zod
// out of the bundles.
import type { z } from 'zod';
import { parseId } from '../domain/ids';
import type { Account, ApiToken, AuditEntry, User } from '../domain/model';
import { formatTimestamp, TIMESTAMP_PATTERN } from '../domain/timestamps';
import type * as schemas from './response-schemas';

export type ApiTokenJson = z.infer<typeof schemas.ApiTokenJson>;
export type CreatedApiTokenJson = z.infer<typeof schemas.CreatedApiTokenJson>;
export type UserJson = z.infer<typeof schemas.UserJson>;
export type AuditLogJson = z.infer<typeof schemas.AuditLogJson>;
export type SettingsJson = z.infer<typeof schemas.SettingsJson>;

export { formatTimestamp, TIMESTAMP_PATTERN };

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
    // Each part of the policy only when set, so a token without one is shown exactly as Zendesk shows it.
    ...(token.policy?.expiresAt === undefined ? {} : { expires_at: formatTimestamp(token.policy.expiresAt) }),
    ...(token.policy?.assignedUserId === undefined ? {} : { assigned_user_id: token.policy.assignedUserId }),
    ...(token.policy?.maxRole === undefined ? {} : { max_role: token.policy.maxRole }),
    ...(token.policy?.allowedIps === undefined ? {} : { allowed_ips: token.policy.allowedIps }),
  };
}

export function presentUser(user: User, baseUrl: string): UserJson {
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
export function presentAuditLog(entry: AuditEntry, baseUrl: string): AuditLogJson {
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

/** A setting in days only when it is set (absent and null both mean none or off). */
const daysSetting = <K extends string>(name: K, days: number | null | undefined) => (days == null ? {} : ({ [name]: days } as Record<K, number>));

/** The day settings only when set: an account without them shows the settings as before. */
export function presentSettings(account: Account): SettingsJson {
  return {
    settings: {
      api: {
        api_token_access: account.apiTokenAccess,
        ...daysSetting('api_token_max_lifetime_days', account.apiTokenMaxLifetimeDays),
        ...daysSetting('api_token_inactivity_days', account.apiTokenInactivityDays),
        ...daysSetting('api_token_deactivated_retention_days', account.apiTokenDeactivatedRetentionDays),
      },
    },
  };
}
