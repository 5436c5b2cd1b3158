// Response shapes of the API as zod schemas: the OpenAPI document (docs/openapi.json) is generated from
// these and from the request schemas in schemas.ts, and the presenters are checked against them at compile time.
import { z } from 'zod';
import { AUDIT_ACTIONS, AUDIT_SOURCE_TYPES, ROLES } from '../domain/model';
import { TIMESTAMP_PATTERN } from '../domain/timestamps';

const Id = z.number().int().positive();
const Timestamp = z.string().regex(TIMESTAMP_PATTERN);

export const ApiTokenJson = z.strictObject({
  id: Id,
  url: z.url(),
  description: z.string().nullable(),
  active: z.boolean(),
  visible_token: z.string(),
  user_id: z.number().int(),
  created_at: Timestamp,
  updated_at: Timestamp,
  last_used: Timestamp.nullable(),
  expires_at: Timestamp.optional().describe('When the token stops working; it then fails as a deactivated token does. Absent when it never expires.'),
  assigned_user_id: Id.optional().describe('The one user whose email the token authenticates with. Absent when any user of the account may use it.'),
  allowed_ips: z
    .array(z.string())
    .optional()
    .describe('IP allow-list, canonical CIDR blocks: requests from other addresses are not authenticated. Absent when the token works from anywhere.'),
  max_role: z.enum(ROLES).optional().describe('Role ceiling: requests made with the token act with the lower of the user\'s role and this one. Absent when there is none.'),
});
export const CreatedApiTokenJson = ApiTokenJson.extend({ token: z.string() });

export const UserJson = z.strictObject({
  id: Id,
  url: z.url(),
  name: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  verified: z.boolean(),
  suspended: z.boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const AuditLogJson = z.strictObject({
  id: Id,
  url: z.url(),
  action: z.enum(AUDIT_ACTIONS),
  action_label: z.string(),
  actor_id: z.number().int(),
  actor_name: z.string(),
  actor_api_token_id: Id.nullable(),
  source_id: z.union([z.number().int(), z.string()]),
  source_type: z.enum(AUDIT_SOURCE_TYPES),
  source_label: z.string(),
  change_description: z.string(),
  ip_address: z.string().nullable(),
  created_at: Timestamp,
  event: z.string(),
});

export const SettingsJson = z.strictObject({
  settings: z.strictObject({
    api: z.strictObject({
      api_token_access: z.boolean(),
      api_token_max_lifetime_days: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('The longest lifetime, in days, of a token created from now on, and its default expiry. Absent when there is no maximum.'),
      api_token_inactivity_days: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('Active tokens unused for this many days (since their last use, or their creation when never used) are deactivated by the hourly sweep. Absent when off.'),
      api_token_deactivated_retention_days: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('Deactivated tokens are deleted by the hourly sweep this many days after their deactivation, freeing their slot. Absent when off.'),
    }),
  }),
});

const CursorMeta = { has_more: z.boolean(), after_cursor: z.string().nullable(), before_cursor: z.string().nullable() };
const Links = z.strictObject({ next: z.url().nullable(), prev: z.url().nullable() });

export const ApiTokenListJson = z.strictObject({
  api_tokens: z.array(ApiTokenJson),
  count: z.number().int(),
  meta: z.strictObject({ ...CursorMeta, token_count: z.number().int(), token_limit: z.number().int() }),
  links: Links,
});

export const AuditLogListJson = z.strictObject({
  audit_logs: z.array(AuditLogJson),
  meta: z.strictObject(CursorMeta),
  links: Links,
});

/** Zendesk's offset pagination shape (`page`, `per_page`). */
export const AuditLogOffsetListJson = z.strictObject({
  audit_logs: z.array(AuditLogJson),
  next_page: z.url().nullable(),
  previous_page: z.url().nullable(),
  count: z.number().int(),
});

export const UnauthorizedJson = z.strictObject({ error: z.literal("Couldn't authenticate you") });
export const ErrorJson = z.strictObject({ error: z.string(), description: z.string() });
export const RecordInvalidJson = z.strictObject({
  error: z.literal('RecordInvalid'),
  description: z.string(),
  details: z.record(z.string(), z.array(z.strictObject({ error: z.string(), description: z.string() }))),
});
