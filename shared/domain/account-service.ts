// Accounts and their users (docs/architecture.md, "Operator plane"): provisioned by operators through
// tokenctl, with the same store, rules and audit entries as the API; the API changes only the account's
// settings. About 240 lines, over the usual 200: an account and its users are one aggregate with one set
// of validation rules, and splitting the users out would only move the shared helpers to a third file.
import { auditEntry, describeChanges, distinctIds, type Change, type ActorContext, type OperationContext } from './audit-entries';
import { ChangingService } from './service-base';
import { isEmail } from './credentials';
import { NotFoundError, ValidationError } from './errors';
import { newId } from './ids';
import {
  type Account,
  type AccountStatus,
  LEGACY_TOKEN_LIMIT,
  type Plan,
  type Role,
  TOKEN_LIMIT,
  type User,
} from './model';
import { withOptimisticRetry } from './optimistic-retry';
import type { AccountChanges, UserChanges } from './store';
import { textProblems } from './text';
import { ACCOUNT_ID_PATTERN } from './token-format';
import { daysText, maxLifetimeProblems } from './token-policy';
import { SWEEP_SETTING_FIELDS, sweepSettingLabel, sweepSettingProblems, type SweepSetting } from './sweep-settings';

const MAX_NAME_LENGTH = 255;

export interface NewAccount {
  accountId: string;
  name: string;
  plan: Plan;
  legacy: boolean;
  apiTokenAccess: boolean;
}

export interface NewUser {
  accountId: string;
  email: string;
  name?: string;
  role: Role;
  verified: boolean;
}

export type AccountUpdate = Partial<{
  plan: Plan;
  apiTokenAccess: boolean;
  status: AccountStatus;
  apiTokenMaxLifetimeDays: number | null;
  apiTokenInactivityDays: number | null;
  apiTokenDeactivatedRetentionDays: number | null;
}>;


function validateName(name: string, field = 'name'): void {
  const problems = textProblems(name, 'Name', MAX_NAME_LENGTH);
  if (name.trim().length === 0) problems.push('Name cannot be blank');
  if (problems.length > 0) throw new ValidationError({ [field]: problems });
}

const ACCOUNT_CHANGE_EVENTS: Record<keyof AccountUpdate, Omit<Change, 'changeDescription' | 'action'>> = {
  plan: { event: 'account.plan_changed', sourceType: 'account', sourceId: '', sourceLabel: 'Plan' },
  status: { event: 'account.status_changed', sourceType: 'account', sourceId: '', sourceLabel: 'Status' },
  apiTokenAccess: { event: 'account.api_token_access_changed', sourceType: 'account_settings', sourceId: '', sourceLabel: 'API token access' },
  apiTokenMaxLifetimeDays: {
    event: 'account.api_token_max_lifetime_changed',
    sourceType: 'account_settings',
    sourceId: '',
    sourceLabel: 'Maximum API token lifetime',
  },
  apiTokenInactivityDays: {
    event: 'account.api_token_inactivity_changed',
    sourceType: 'account_settings',
    sourceId: '',
    sourceLabel: 'API token inactivity limit',
  },
  apiTokenDeactivatedRetentionDays: {
    event: 'account.api_token_deactivated_retention_changed',
    sourceType: 'account_settings',
    sourceId: '',
    sourceLabel: 'Deactivated API token retention',
  },
};

/** A setting as stored: the maximum lifetime may be absent (never set) or null (removed), both meaning none. */
const settingOf = <F extends keyof AccountUpdate>(account: Account, field: F): Account[F] | null => account[field] ?? null;

const USER_FIELD_LABELS: Record<string, string> = { role: 'Role', verified: 'Verified', suspended: 'Suspended', name: 'Name' };

export class AccountService extends ChangingService {
  async createAccount(context: ActorContext, input: NewAccount): Promise<Account> {
    if (!ACCOUNT_ID_PATTERN.test(input.accountId)) {
      throw new ValidationError({ id: ['Account id must be 3 to 32 characters of a-z and 0-9'] });
    }
    validateName(input.name);
    return withOptimisticRetry(async () => {
      const now = this.clock();
      const timestamp = now.toISOString();
      const account: Account = {
        accountId: input.accountId,
        name: input.name,
        plan: input.plan,
        status: 'active',
        apiTokenAccess: input.apiTokenAccess,
        tokenCount: 0,
        tokenLimit: input.legacy ? LEGACY_TOKEN_LIMIT : TOKEN_LIMIT,
        createdAt: timestamp,
        updatedAt: timestamp,
        version: 1,
      };
      const audit = auditEntry(
        this.at({ ...context, accountId: account.accountId }, now),
        {
          action: 'create',
          event: 'account.created',
          sourceType: 'account',
          sourceId: account.accountId,
          sourceLabel: account.name,
          changeDescription: `Account created on plan ${account.plan}, API token access ${account.apiTokenAccess ? 'on' : 'off'}`,
        },
      );
      await this.store.insertAccount(account, audit);
      return account;
    });
  }

  async getAccount(accountId: string): Promise<Account> {
    const account = await this.store.getAccount(accountId);
    if (!account) throw new NotFoundError(`Account ${accountId} not found`);
    return account;
  }

  /**
   * Each changed setting gets its own audit entry; settings that already hold are not rewritten. A maximum
   * token lifetime applies to tokens created after it is set.
   */
  async updateAccount(context: ActorContext, accountId: string, update: AccountUpdate): Promise<Account> {
    if (update.apiTokenMaxLifetimeDays !== undefined) {
      const problems = maxLifetimeProblems(update.apiTokenMaxLifetimeDays);
      if (problems.length > 0) throw new ValidationError({ api_token_max_lifetime_days: problems });
    }
    validateSweepSettings(update);
    return withOptimisticRetry(async () => {
      const account = await this.getAccount(accountId);
      const changes: AccountChanges = {};
      for (const [field, value] of Object.entries(update) as [keyof AccountUpdate, AccountUpdate[keyof AccountUpdate]][]) {
        if (value !== undefined && settingOf(account, field) !== value) Object.assign(changes, { [field]: value });
      }
      const fields = Object.keys(changes) as (keyof AccountUpdate)[];
      if (fields.length === 0) return account;
      const now = this.clock();
      const audits = distinctIds(
        fields.map((field) =>
          auditEntry(
            this.at({ ...context, accountId }, now),
            {
              ...ACCOUNT_CHANGE_EVENTS[field],
              action: 'update',
              sourceId: accountId,
              changeDescription: describeAccountChange(field, settingOf(account, field), changes[field]),
            },
          ),
        ),
      );
      await this.store.updateAccount(account, changes, now.toISOString(), audits, context.authority);
      return { ...account, ...changes, updatedAt: now.toISOString(), version: account.version + 1 };
    });
  }

  async addUser(context: ActorContext, input: NewUser): Promise<User> {
    const email = input.email.toLowerCase();
    if (!isEmail(email)) throw new ValidationError({ email: ['Email is not a valid address'] });
    const name = input.name ?? email.split('@')[0]!;
    validateName(name);
    return withOptimisticRetry(async () => {
      const now = this.clock();
      const timestamp = now.toISOString();
      const user: User = {
        accountId: input.accountId,
        userId: newId(now.getTime()),
        name,
        email,
        role: input.role,
        verified: input.verified,
        suspended: false,
        createdAt: timestamp,
        updatedAt: timestamp,
        version: 1,
      };
      const audit = auditEntry(
        this.at({ ...context, accountId: input.accountId }, now),
        {
          action: 'create',
          event: 'user.created',
          sourceType: 'user',
          sourceId: user.userId,
          sourceLabel: email,
          changeDescription: `User added with role ${user.role}${user.verified ? '' : ', unverified'}`,
        },
      );
      await this.store.insertUser(user, audit);
      return user;
    });
  }

  async getUser(accountId: string, email: string): Promise<User> {
    const user = await this.store.getUser(accountId, email);
    if (!user) throw new NotFoundError(`User ${email} not found in account ${accountId}`);
    return user;
  }

  /** A user of the account by id; another account's user is not found either. */
  async getUserById(accountId: string, userId: number): Promise<User> {
    const user = await this.store.getUserById(accountId, userId);
    if (!user) throw new NotFoundError();
    return user;
  }

  async listUsers(accountId: string): Promise<User[]> {
    await this.getAccount(accountId);
    return this.store.listUsers(accountId);
  }

  async updateUser(context: ActorContext, accountId: string, email: string, update: UserChanges): Promise<User> {
    return withOptimisticRetry(async () => {
      const user = await this.getUser(accountId, email);
      const changes: UserChanges = {};
      for (const [field, value] of Object.entries(update) as [keyof UserChanges, unknown][]) {
        if (value !== undefined && user[field] !== value) Object.assign(changes, { [field]: value });
      }
      if (Object.keys(changes).length === 0) return user;
      const now = this.clock();
      const audit = auditEntry(
        this.at({ ...context, accountId }, now),
        {
          action: 'update',
          event: 'user.updated',
          sourceType: 'user',
          sourceId: user.userId,
          sourceLabel: user.email,
          changeDescription: describeChanges(USER_FIELD_LABELS, user, changes),
        },
      );
      await this.store.updateUser(user, changes, now.toISOString(), [audit]);
      return { ...user, ...changes, updatedAt: now.toISOString(), version: user.version + 1 };
    });
  }

  async removeUser(context: ActorContext, accountId: string, email: string): Promise<User> {
    return withOptimisticRetry(async () => {
      const user = await this.getUser(accountId, email);
      const audit = auditEntry(
        this.at({ ...context, accountId } satisfies OperationContext, this.clock()),
        { action: 'destroy', event: 'user.removed', sourceType: 'user', sourceId: user.userId, sourceLabel: user.email, changeDescription: 'User removed' },
      );
      await this.store.deleteUser(user, audit);
      return user;
    });
  }
}

/** Refuses inactivity-policy values out of range, naming each setting that is wrong. */
function validateSweepSettings(update: AccountUpdate): void {
  const problems: Record<string, string[]> = {};
  for (const setting of Object.keys(SWEEP_SETTING_FIELDS) as SweepSetting[]) {
    const value = update[setting];
    const found = value === undefined ? [] : sweepSettingProblems(setting, value);
    if (found.length > 0) problems[SWEEP_SETTING_FIELDS[setting]] = found;
  }
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
}

const lifetimeLabel = (days: unknown) => (typeof days === 'number' ? daysText(days) : 'unlimited');

function describeAccountChange(field: keyof AccountUpdate, before: unknown, after: unknown): string {
  if (field === 'apiTokenAccess') return after ? 'API token access turned on' : 'API token access turned off';
  if (field === 'apiTokenMaxLifetimeDays') return `Maximum API token lifetime changed from ${lifetimeLabel(before)} to ${lifetimeLabel(after)}`;
  if (Object.hasOwn(SWEEP_SETTING_FIELDS, field)) return `${ACCOUNT_CHANGE_EVENTS[field].sourceLabel} changed from ${sweepSettingLabel(before)} to ${sweepSettingLabel(after)}`;
  return describeChanges({ plan: 'Plan', status: 'Status' }, { [field]: before }, { [field]: after });
}
