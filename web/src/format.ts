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

export const statusLabel = (token: Pick<ApiToken, 'active'>): string => (token.active ? 'Active' : 'Deactivated');
