// The account's inactivity policy (Zendesk's rule, off by default): deactivate tokens unused for
// `apiTokenInactivityDays`, delete tokens `apiTokenDeactivatedRetentionDays` after their deactivation. What
// the settings may hold, how the audit log words them, and the cutoffs the sweep (token-sweep.ts) applies.
import type { Account } from './model';
import { daysText, MAX_LIFETIME_DAYS_LIMIT } from './token-policy';

const DAY_MS = 86_400_000;

/** The two settings of the inactivity policy, as the account stores them (absent or null: off). */
export type SweepSetting = 'apiTokenInactivityDays' | 'apiTokenDeactivatedRetentionDays';

/** Each setting's name in the API, as problems name it. */
export const SWEEP_SETTING_FIELDS: Record<SweepSetting, string> = {
  apiTokenInactivityDays: 'api_token_inactivity_days',
  apiTokenDeactivatedRetentionDays: 'api_token_deactivated_retention_days',
};

/** What is wrong with a value for one of the settings (null: off). */
export function sweepSettingProblems(setting: SweepSetting, days: number | null): string[] {
  if (days === null || (Number.isInteger(days) && days >= 1 && days <= MAX_LIFETIME_DAYS_LIMIT)) return [];
  return [`${SWEEP_SETTING_FIELDS[setting]} must be a whole number of days from 1 to ${MAX_LIFETIME_DAYS_LIMIT}, or null for off`];
}

/** Whether the sweep has anything to apply to the account's tokens besides the end of rotation graces. */
export const hasSweepSetting = (account: Pick<Account, SweepSetting>) =>
  account.apiTokenInactivityDays != null || account.apiTokenDeactivatedRetentionDays != null;

/** The instant `days` days before `now`, as stored times are written (ISO-8601, comparable as strings). */
export const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

/** A setting's value in the audit log's words. */
export const sweepSettingLabel = (days: unknown) => (typeof days === 'number' ? daysText(days) : 'off');
