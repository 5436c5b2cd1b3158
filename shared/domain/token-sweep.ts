// The token sweep (docs/architecture.md, "Token sweep"): what the hourly schedule and `tokenctl sweep`
// run. It applies each account's inactivity policy (sweep-settings.ts) and ends rotation graces: active
// tokens unused for the account's inactivity days are deactivated, tokens deactivated longer than its
// retention days are deleted, and tokens rotated with a grace are deleted once the grace has ended.
// It reads only what is due (the store's sweep indexes), reads each token again before acting, re-checks
// that it is still due, and acts with a write conditional on the version read, its audit entry in the same
// transaction: a second or a concurrent run finds nothing left to do and writes nothing. A run is bounded
// (MAX_SWEEP_ACTIONS, the invocation's deadline); what is left waits for the next one.
import { auditEntry, systemContext, type ServiceOptions } from './audit-entries';
import { timeLeftMs } from './deadline';
import { NotFoundError } from './errors';
import { type ApiToken, TOKEN_SWEEP_ACTOR } from './model';
import { withOptimisticRetry } from './optimistic-retry';
import { ChangingService } from './service-base';
import type { SweepStore, TokenKey, TokenStore } from './store';
import { daysBefore } from './sweep-settings';
import { tokenChange } from './token-service';
import { daysText } from './token-policy';

/** Tokens one run looks at, at most: about a minute of work; an hourly schedule catches up with the rest. */
export const MAX_SWEEP_ACTIONS = 500;

export interface SweepSummary {
  deactivated: number;
  deleted: number;
  /** False when the run stopped at its bound or its deadline with tokens possibly left for the next run. */
  complete: boolean;
}

/** The last time a token was used, or its creation when never used. */
const lastActivity = (token: ApiToken) => (token.lastUsedAt !== null && token.lastUsedAt > token.createdAt ? token.lastUsedAt : token.createdAt);
/** When a deactivated token was deactivated (tokens deactivated before it was recorded: their last change). */
const deactivationTime = (token: ApiToken) => token.deactivatedAt ?? token.updatedAt;

/** One run's count of what it did and how much it may still do. */
class SweepRun {
  readonly summary: SweepSummary = { deactivated: 0, deleted: 0, complete: true };
  private looked = 0;

  constructor(
    readonly now: Date,
    private readonly reserveMs: number,
  ) {}

  /** Whether the run may look at one more token: within its bound and with time left for the action. */
  mayAct(): boolean {
    if (this.looked >= MAX_SWEEP_ACTIONS || timeLeftMs() < this.reserveMs) this.summary.complete = false;
    else this.looked += 1;
    return this.summary.complete;
  }
}

/** What the sweep does with one token found due: true when it changed it. */
type SweepAction = (key: TokenKey) => Promise<boolean>;

export class TokenSweepService extends ChangingService {
  constructor(
    store: TokenStore,
    private readonly sweeps: SweepStore,
    options: ServiceOptions = {},
    /** Time an action may take: none starts with less left before the invocation's deadline. */
    private readonly actionReserveMs = 0,
  ) {
    super(store, options);
  }

  /** Sweeps every account with a setting, or the one given; the rotation graces of all accounts or of that one. */
  async sweep(accountId?: string): Promise<SweepSummary> {
    const run = new SweepRun(this.clock(), this.actionReserveMs);
    await this.each(run, this.sweeps.rotatedTokens(run.now.toISOString(), accountId), 'deleted', (key) => this.deleteRotated(key, run.now));
    const accounts = accountId === undefined ? this.sweeps.accountsToSweep() : [accountId];
    for await (const id of accounts) {
      if (!run.summary.complete) break;
      await this.sweepAccount(run, id);
    }
    return run.summary;
  }

  private async sweepAccount(run: SweepRun, accountId: string): Promise<void> {
    const account = await this.store.getAccount(accountId);
    const inactivityDays = account?.apiTokenInactivityDays;
    if (inactivityDays != null) {
      const cutoff = daysBefore(run.now, inactivityDays);
      await this.each(run, this.sweeps.inactiveTokens(accountId, cutoff), 'deactivated', (key) => this.deactivateUnused(key, cutoff, inactivityDays));
    }
    const retentionDays = account?.apiTokenDeactivatedRetentionDays;
    if (retentionDays != null) {
      const cutoff = daysBefore(run.now, retentionDays);
      await this.each(run, this.sweeps.deactivatedTokens(accountId, cutoff), 'deleted', (key) => this.deleteDeactivated(key, cutoff, retentionDays));
    }
  }

  /** Applies `action` to the tokens found, while the run may act, counting those it changed. */
  private async each(run: SweepRun, found: AsyncIterable<TokenKey>, counted: 'deactivated' | 'deleted', action: SweepAction): Promise<void> {
    for await (const key of found) {
      if (!run.mayAct()) return;
      if (await action(key)) run.summary[counted] += 1;
    }
  }

  private deactivateUnused(key: TokenKey, cutoff: string, days: number): Promise<boolean> {
    return this.onCurrent(key, async (token) => {
      if (!token.active || token.rotatedTo !== undefined || lastActivity(token) >= cutoff) return false;
      const now = this.clock();
      const audit = this.sweepEntry(token, now, { action: 'update', event: 'api_token.deactivated', changeDescription: `Deactivated after ${daysText(days)} unused` });
      await this.sweeps.deactivateUnusedToken(token, cutoff, now.toISOString(), audit);
      return true;
    });
  }

  private deleteDeactivated(key: TokenKey, cutoff: string, days: number): Promise<boolean> {
    return this.onCurrent(key, async (token) => {
      if (token.active || token.rotatedTo !== undefined || deactivationTime(token) >= cutoff) return false;
      const audit = this.sweepEntry(token, this.clock(), { action: 'destroy', event: 'api_token.deleted', changeDescription: `Deleted ${daysText(days)} after deactivation` });
      await this.store.deleteToken(token, audit);
      return true;
    });
  }

  private deleteRotated(key: TokenKey, now: Date): Promise<boolean> {
    return this.onCurrent(key, async (token) => {
      const graceEnd = token.policy?.expiresAt;
      if (token.rotatedTo === undefined || graceEnd === undefined || graceEnd > now.toISOString()) return false;
      const audit = this.sweepEntry(token, this.clock(), { action: 'destroy', event: 'api_token.deleted', changeDescription: 'Deleted when its rotation grace ended' });
      await this.sweeps.deleteRotatedToken(token, audit);
      return true;
    });
  }

  /**
   * Reads the token again (consistently) and decides on that copy; a lost race reads it once more and
   * decides again, and a token gone meanwhile is nothing to do.
   */
  private async onCurrent(key: TokenKey, decide: (token: ApiToken) => Promise<boolean>): Promise<boolean> {
    try {
      return await withOptimisticRetry(async () => {
        const token = await this.store.getToken(key.accountId, key.tokenId);
        return token ? decide(token) : false;
      });
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  private sweepEntry(token: ApiToken, now: Date, change: Parameters<typeof tokenChange>[1]) {
    return auditEntry(this.at({ ...systemContext(TOKEN_SWEEP_ACTOR), accountId: token.accountId }, now), tokenChange(token, change));
  }
}
