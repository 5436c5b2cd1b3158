// Reading the audit log (docs/architecture.md, "HTTP contract"): Enterprise plans only, filters, cursor pages, retention.
// Entries are recorded on every plan, so they appear after an upgrade.
import { ForbiddenError, NotFoundError } from './errors';
import type { AuditEntry, Plan } from './model';
import { clockOf, type ServiceOptions } from './audit-entries';
import type { AuditOffsetQuery, AuditQuery, OffsetPage, Page, TokenStore } from './store';

const AUDIT_LOG_PLANS: readonly Plan[] = ['enterprise', 'enterprise_plus'];
const MS_PER_DAY = 86_400_000;

export type AuditLogQuery = Omit<AuditQuery, 'now'>;
export type AuditLogOffsetQuery = Omit<AuditOffsetQuery, 'now' | 'maxRecords'>;

/** Offset pagination reaches the first 10,000 records, as Zendesk's does; beyond, cursor pagination. */
export const MAX_OFFSET_RECORDS = 10_000;

export class AuditLogService {
  private readonly retentionDays: number | undefined;
  private readonly clock: () => Date;

  constructor(
    private readonly store: TokenStore,
    options: ServiceOptions = {},
  ) {
    this.retentionDays = options.auditRetentionDays;
    this.clock = clockOf(options);
  }

  async list(accountId: string, query: AuditLogQuery): Promise<Page<AuditEntry>> {
    await this.requireAuditPlan(accountId);
    return this.store.listAuditEntries(accountId, this.retained(query));
  }

  /** A page at an offset; `offset` must lie below MAX_OFFSET_RECORDS (the HTTP layer says so with a 400). */
  async listAtOffset(accountId: string, query: AuditLogOffsetQuery): Promise<OffsetPage<AuditEntry>> {
    await this.requireAuditPlan(accountId);
    return this.store.listAuditEntriesAtOffset(accountId, { ...this.retained(query), maxRecords: MAX_OFFSET_RECORDS });
  }

  /** The query within the retention, with the time its TTL check compares against. */
  private retained<Q extends { createdFrom?: number }>(query: Q): Q & { now: number } {
    const now = this.clock().getTime();
    const createdFrom = Math.max(query.createdFrom ?? 0, this.retainedFrom(now) ?? 0);
    return { ...query, ...(createdFrom > 0 ? { createdFrom } : {}), now: Math.floor(now / 1000) };
  }

  async get(accountId: string, auditId: number): Promise<AuditEntry> {
    await this.requireAuditPlan(accountId);
    const entry = await this.store.getAuditEntry(accountId, auditId);
    const now = this.clock().getTime();
    const expired =
      entry !== undefined &&
      ((entry.expiresAt !== undefined && entry.expiresAt <= Math.floor(now / 1000)) ||
        Date.parse(entry.createdAt) < (this.retainedFrom(now) ?? 0));
    if (!entry || expired) throw new NotFoundError();
    return entry;
  }

  /** Entries older than the retention are never returned, even before DynamoDB's TTL removes them. */
  private retainedFrom(now: number): number | undefined {
    return this.retentionDays === undefined ? undefined : now - this.retentionDays * MS_PER_DAY;
  }

  private async requireAuditPlan(accountId: string): Promise<void> {
    const account = await this.store.getAccount(accountId);
    if (!account) throw new NotFoundError();
    if (!AUDIT_LOG_PLANS.includes(account.plan)) {
      throw new ForbiddenError(`Audit logs are available on the Enterprise plans (enterprise, enterprise_plus); this account is on the ${account.plan} plan.`);
    }
  }
}
