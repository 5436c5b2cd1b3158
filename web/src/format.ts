// How the console writes dates and names tokens.
import type { ApiToken } from './api/types';

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : DATE_TIME.format(time);
}

/** What the console calls a token: its description, or its visible form when it has none. */
export const tokenName = (token: Pick<ApiToken, 'description' | 'visible_token'>): string =>
  token.description !== null && token.description.trim() !== '' ? token.description : token.visible_token;

/** True once the token's expiry (`expires_at`) has passed: it then fails as a deactivated token does. */
export const isExpired = (token: Pick<ApiToken, 'expires_at'>, now = Date.now()): boolean =>
  token.expires_at !== undefined && Date.parse(token.expires_at) <= now;

/** Deactivated, Expired (active, but past its expiry) or Active. */
export const statusLabel = (token: Pick<ApiToken, 'active' | 'expires_at'>): string =>
  !token.active ? 'Deactivated' : isExpired(token) ? 'Expired' : 'Active';

/** The badge class that goes with statusLabel. */
export const statusBadgeClass = (token: Pick<ApiToken, 'active' | 'expires_at'>): string =>
  !token.active ? 'badge badge-inactive' : isExpired(token) ? 'badge badge-expired' : 'badge badge-active';

const ROLE_LABELS = { admin: 'Admin', agent: 'Agent', end_user: 'End user' } as const satisfies Record<NonNullable<ApiToken['max_role']>, string>;

/** A role ceiling as the console names it. */
export const roleLabel = (role: NonNullable<ApiToken['max_role']>): string => ROLE_LABELS[role];
export const ROLE_CEILINGS = Object.keys(ROLE_LABELS) as NonNullable<ApiToken['max_role']>[];
