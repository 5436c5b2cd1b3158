// The token's optional policies as form fields (Expires, Assigned user, Role ceiling, Allowed IP
// addresses), each with its hint and the API's 422 messages for its field, and how their values become
// the request's fields: an empty field sends nothing on create and removes the policy on edit.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import type { ApiToken } from '../api/types';
import { ROLE_CEILINGS, roleLabel } from '../format';

/** The fields' values as typed. */
export interface PolicyValues {
  expires: string;
  assignedUser: string;
  maxRole: '' | NonNullable<ApiToken['max_role']>;
  allowedIps: string;
}

export const emptyPolicy = (): PolicyValues => ({ expires: '', assignedUser: '', maxRole: '', allowedIps: '' });

export const policyOf = (token: ApiToken): PolicyValues => ({
  expires: '',
  assignedUser: token.assigned_user_id === undefined ? '' : String(token.assigned_user_id),
  maxRole: token.max_role ?? '',
  allowedIps: (token.allowed_ips ?? []).join('\n'),
});

/** The request fields the policy fields carry, by the API's names (the keys of its 422 `details`). */
export type PolicyField = 'expires_at' | 'assigned_user_id' | 'max_role' | 'allowed_ips';
export type FieldErrors = Partial<Record<PolicyField | 'description', readonly string[]>>;

export interface PolicyRequest {
  expires_at?: string;
  assigned_user_id?: number | null;
  max_role?: NonNullable<ApiToken['max_role']> | null;
  allowed_ips?: string[] | null;
}

/** One block per line (commas too), trimmed, empty lines left out. */
export const ipLines = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** A datetime-local value (the browser's local time) as ISO-8601 UTC; undefined when incomplete. */
function utcOf(local: string): string | undefined {
  const time = new Date(local).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A time as a datetime-local value, in the browser's time zone, to the minute. */
export function localInputValue(time: number): string {
  const date = new Date(time);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const MAX_USER_ID = Number.MAX_SAFE_INTEGER;

/**
 * The request fields for the values: on create (`token` absent) only what is filled in; on edit only what
 * differs from the token, an emptied field as null. Problems the console can see itself come back as
 * field errors, by the API's field names, and nothing is sent.
 */
export function policyRequest(values: PolicyValues, token?: ApiToken): { fields: PolicyRequest; errors: FieldErrors } {
  const fields: PolicyRequest = {};
  const errors: FieldErrors = {};

  if (!token && values.expires.trim() !== '') {
    const utc = utcOf(values.expires.trim());
    if (utc === undefined) errors.expires_at = ['Enter a complete date and time, or leave the field empty.'];
    else fields.expires_at = utc;
  }

  const user = values.assignedUser.trim();
  if (user !== '') {
    const id = /^\d+$/.test(user) ? Number(user) : NaN;
    if (!Number.isSafeInteger(id) || id < 1 || id > MAX_USER_ID) errors.assigned_user_id = ['Enter a user ID: a whole number, such as 12.'];
    else if (id !== token?.assigned_user_id) fields.assigned_user_id = id;
  } else if (token?.assigned_user_id !== undefined) fields.assigned_user_id = null;

  const role = values.maxRole === '' ? undefined : values.maxRole;
  if (role !== token?.max_role) fields.max_role = role ?? null;
  if (!token && role === undefined) delete fields.max_role;

  const blocks = ipLines(values.allowedIps);
  const current = token?.allowed_ips ?? [];
  if (blocks.length > 0) {
    if (blocks.join('\n') !== current.join('\n')) fields.allowed_ips = blocks;
  } else if (current.length > 0) fields.allowed_ips = null;

  return { fields, errors };
}

interface FieldProps {
  label: string;
  hint?: ComponentChildren;
  errors: readonly string[] | undefined;
  children: (props: { id: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string }) => ComponentChildren;
}

/** A label, an optional hint, the control, and its errors, tied together for assistive technology. */
function Field({ label, hint, errors, children }: FieldProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', errors ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class="field-hint">
          {hint}
        </p>
      )}
      {children({ id, 'aria-invalid': errors ? 'true' : undefined, 'aria-describedby': describedBy })}
      {errors && (
        <p id={`${id}-error`} class="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

interface PolicyFieldsProps {
  values: PolicyValues;
  onChange: (values: PolicyValues) => void;
  errors: FieldErrors;
  /** Create only: the Expires field. */
  expiry?: { maxLifetimeDays: number | undefined };
}

export function PolicyFields({ values, onChange, errors, expiry }: PolicyFieldsProps) {
  const set = <K extends keyof PolicyValues>(key: K, value: PolicyValues[K]) => onChange({ ...values, [key]: value });
  const maxDays = expiry?.maxLifetimeDays;
  const now = Date.now();
  return (
    <>
      {expiry && (
        <Field
          label="Expires"
          errors={errors.expires_at}
          hint={
            maxDays === undefined
              ? 'Optional, in your time zone. Empty: the token never expires.'
              : `Optional, in your time zone. This account's tokens last at most ${maxDays} ${maxDays === 1 ? 'day' : 'days'}: empty means ${maxDays} ${maxDays === 1 ? 'day' : 'days'} from now, and a later time is refused.`
          }
        >
          {(props) => (
            <input
              {...props}
              class="input"
              type="datetime-local"
              value={values.expires}
              min={localInputValue(now)}
              max={maxDays === undefined ? undefined : localInputValue(now + maxDays * 86_400_000)}
              onInput={(event) => set('expires', event.currentTarget.value)}
            />
          )}
        </Field>
      )}
      <Field label="Assigned user" errors={errors.assigned_user_id} hint="Optional. The user ID of the one user whose email the token works with. Empty: any user of the account.">
        {(props) => (
          <input
            {...props}
            class="input"
            type="text"
            inputMode="numeric"
            autocomplete="off"
            value={values.assignedUser}
            onInput={(event) => set('assignedUser', event.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="Role ceiling" errors={errors.max_role} hint="Optional. Requests made with the token act with this role at most, or with the user's own role when it is lower.">
        {(props) => (
          <select {...props} class="input" value={values.maxRole} onChange={(event) => set('maxRole', event.currentTarget.value as PolicyValues['maxRole'])}>
            <option value="">None</option>
            {ROLE_CEILINGS.map((role) => (
              <option key={role} value={role}>
                {roleLabel(role)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Allowed IP addresses"
        errors={errors.allowed_ips}
        hint="Optional. One address or CIDR block per line (e.g. 192.0.2.0/24 or 2001:db8::/32), at most 16. Empty: the token works from any address."
      >
        {(props) => (
          <textarea
            {...props}
            class="input mono"
            rows={3}
            spellcheck={false}
            autocomplete="off"
            value={values.allowedIps}
            onInput={(event) => set('allowedIps', event.currentTarget.value)}
          />
        )}
      </Field>
    </>
  );
}

/** The keys of the fields a dialog shows, so that other errors go to its notice. */
export const hasFieldError = (errors: Readonly<Record<string, readonly string[]>>, shown: readonly string[]): boolean =>
  shown.some((field) => errors[field] !== undefined);
