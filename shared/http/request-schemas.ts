// Request body schemas (zod/mini, strict: unknown fields are rejected). zod/mini keeps the write routes'
// bundles small; its English messages are loaded so that a 400 says what is wrong. Field rules such as the
// description's length live in the domain, so that the API and tokenctl apply the same ones.
import * as z from 'zod/mini';
// Only the English messages: the `z.locales` namespace would bundle every language.
import en from 'zod/v4/locales/en.cjs';
import { MAX_REPORTED_TOKENS } from '../domain/leak-reports';
import { ROLES } from '../domain/model';
import { parseUtcTimestamp, TIMESTAMP_PATTERN, UTC_TIMESTAMP } from '../domain/timestamps';

z.config(en());

/** A time a client gives: ISO-8601 UTC, milliseconds allowed, a date and time that exist (400 otherwise). */
const UtcTime = z.string().check(
  z.regex(UTC_TIMESTAMP),
  z.refine((text) => parseUtcTimestamp(text) !== undefined, 'Invalid date or time'),
);

/** The policy fields a create and an edit both take; null (or, for the list, []) removes one. */
const POLICY_FIELDS = {
  assigned_user_id: z.optional(
    z.nullable(z.int()).check(
      z.meta({
        description:
          'The id of the one user of the account whose email the token authenticates with (other emails get the usual 401); removing or suspending that user makes the token fail. A user that is not in the account is a 422. Null: any user.',
      }),
    ),
  ),
  max_role: z.optional(
    z.nullable(z.enum(ROLES)).check(
      z.meta({
        description:
          'Role ceiling: a request made with the token acts with the lower of its user\'s role and this one (`end_user` < `agent` < `admin`), so a token with `agent` used with an admin\'s email cannot manage tokens. Null: no ceiling.',
      }),
    ),
  ),
  allowed_ips: z.optional(
    z.nullable(z.array(z.string())).check(
      z.meta({
        description:
          'IP allow-list: at most 16 IPv4 or IPv6 CIDR blocks (`192.0.2.0/24`, `2001:db8::/32`; a bare address is its /32 or /128); a request from any other address gets the usual 401. Blocks are stored in canonical form; a malformed block, one with bits set after its prefix, or more than 16 are a 422. Null or []: no allow-list.',
      }),
    ),
  ),
};

export const CreateApiTokenBody = z.strictObject({
  api_token: z.optional(
    z.strictObject({
      description: z.optional(z.nullable(z.string())),
      ...POLICY_FIELDS,
      expires_at: z.optional(
        z.nullable(UtcTime).check(
          z.meta({
            description:
              'When the token stops working (ISO-8601 UTC), in the future; it then fails as a deactivated token does. Absent or null: never, or the account\'s maximum lifetime when it has one (`api_token_max_lifetime_days`), beyond which it is a 422.',
          }),
        ),
      ),
    }),
  ),
});

/** Absent, empty or `{}`: no grace. The range (0–604800, whole seconds) is the domain's rule: a 422 naming the field. */
export const RotateApiTokenBody = z.strictObject({
  grace_seconds: z.optional(
    z.number().check(
      z.meta({
        description:
          'How long the old token keeps working beside the new one, in whole seconds from 0 to 604800 (7 days); 0 (the default) replaces it at once. With a grace the new token needs a free slot; the old token then expires at the end of the grace (or at its own expiry when that is earlier) and is deleted.',
      }),
    ),
  ),
});

/** A field of the token object that a PUT may carry back as GET returned it, but cannot change. */
const readOnly = <Schema extends z.ZodMiniType>(schema: Schema, description: string) =>
  z.optional(schema.check(z.meta({ readOnly: true, description })));
const SHOWN = 'Read-only: ignored when it is the token\'s current value, 422 naming the field when it differs.';
const ApiTimestamp = z.string().check(z.regex(TIMESTAMP_PATTERN));

/**
 * The editable fields are `description`, `active` and the policy's (all but the expiry). Clients send the token back as GET returned it, so
 * the other fields of the GET shape are accepted too, with the type GET shows (400 otherwise): they must
 * equal the token's current values, which the handler checks on the token the update is based on
 * (shared/http/read-only-fields.ts). Any other field is still a 400.
 */
export const UpdateApiTokenBody = z.strictObject({
  api_token: z.strictObject({
    description: z.optional(z.nullable(z.string())),
    active: z.optional(z.boolean()),
    ...POLICY_FIELDS,
    id: readOnly(z.int(), SHOWN),
    url: readOnly(z.string(), SHOWN),
    visible_token: readOnly(z.string(), SHOWN),
    user_id: readOnly(z.int(), SHOWN),
    created_at: readOnly(ApiTimestamp, SHOWN),
    updated_at: readOnly(ApiTimestamp, `${SHOWN} A different value means the copy is stale: the token changed since it was read.`),
    expires_at: readOnly(z.nullable(ApiTimestamp), `${SHOWN} Set when the token is created; null matches a token that never expires.`),
    last_used: readOnly(z.nullable(ApiTimestamp), 'Read-only and ignored: it moves by itself as the token is used, so any timestamp or null is accepted.'),
    token: readOnly(z.unknown(), 'Never accepted: the full token is shown only when it is created; sent, whatever its value, it is a 422 naming `token`.'),
  }),
});

/** Each setting may be left out; a body that names none is a 400 (the handler says so). */
export const UpdateAccountSettingsBody = z.strictObject({
  settings: z.strictObject({
    api: z.strictObject({
      api_token_access: z.optional(z.boolean()),
      api_token_max_lifetime_days: z.optional(
        z.nullable(z.int()).check(
          z.meta({
            description:
              'Tokens created from now on expire at most this many days (1–3650) after creation, and by default then; null: no maximum. Tokens that exist keep their expiry.',
          }),
        ),
      ),
      // Numbers, not integers, in the schema: a fraction of a day is a 422 naming the setting (the domain's rule), not a 400.
      api_token_inactivity_days: z.optional(
        z.nullable(z.number()).check(
          z.meta({
            description:
              'Active tokens unused for this many whole days (1–3650), counted from their last use or, never used, their creation, are deactivated by the hourly sweep; null: off (the default).',
          }),
        ),
      ),
      api_token_deactivated_retention_days: z.optional(
        z.nullable(z.number()).check(
          z.meta({ description: 'Deactivated tokens are deleted by the hourly sweep this many whole days (1–3650) after their deactivation; null: off (the default).' }),
        ),
      ),
    }),
  }),
});

/** A leak report: strings found in public that may be API tokens; strings not in the token format are ignored. */
export const LeakReportBody = z.strictObject({
  tokens: z.array(z.string()).check(
    z.minLength(1),
    z.maxLength(MAX_REPORTED_TOKENS),
    z.meta({ description: `1–${MAX_REPORTED_TOKENS} strings found in public that may be API tokens; a string not in the token format is ignored.` }),
  ),
});
