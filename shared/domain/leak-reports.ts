// Leak reports (`POST /api/v2/api_tokens/revocations`): secret scanners send strings they found in public,
// and each one that is an active token of any account is deactivated at once, audited in the token's own
// account as the secret-scanning system actor, with the reporter's address. A report is answered the same
// whatever it found (functions/report-leaked-tokens.ts), so nothing here tells a caller what matched.
import { auditEntry, systemContext, type OperationContext } from './audit-entries';
import { NotFoundError } from './errors';
import { SECRET_SCANNING_ACTOR, type RequestMeta } from './model';
import { withOptimisticRetry } from './optimistic-retry';
import { ChangingService } from './service-base';
import { parseToken, tokenMatchesHash, type ParsedToken } from './token-format';
import { tokenChange } from './token-service';

/** Tokens one report may hold. */
export const MAX_REPORTED_TOKENS = 100;
export const REPORTED_LEAKED_EVENT = 'api_token.reported_leaked';
export const REPORTED_LEAKED_DESCRIPTION = 'Deactivated: reported as leaked';

/** A reported string that has the token format, with the account and token it names. */
interface ReportedToken extends ParsedToken {
  token: string;
}

/**
 * The strings of a report that have the token format (prefix, ids, checksum), each once. Any other string
 * is ignored without a read: it cannot be a token.
 */
export function wellFormedTokens(reported: readonly string[]): ReportedToken[] {
  return [...new Set(reported)].flatMap((token) => {
    const parsed = parseToken(token);
    return parsed ? [{ ...parsed, token }] : [];
  });
}

export class LeakReportService extends ChangingService {
  /**
   * Deactivates every reported string that is an active token, whatever the state of its account (API token
   * access off or the account suspended: deactivating is the safe direction). Tokens are handled each on
   * its own, side by side: one that fails stops none of the others, and once all are done the first failure
   * is thrown (a 503 for an outage), so that the reporter sends the report again — the tokens deactivated
   * the first time are then left as they are.
   */
  async report(reported: readonly string[], reporter: RequestMeta): Promise<void> {
    const outcomes = await Promise.allSettled(wellFormedTokens(reported).map((token) => this.deactivateIfActive(token, reporter)));
    const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Reads the token by key and deactivates it when the reported string is it and it is active; otherwise nothing. */
  private async deactivateIfActive(reported: ReportedToken, reporter: RequestMeta): Promise<void> {
    const context: OperationContext = { ...systemContext(SECRET_SCANNING_ACTOR, reporter), accountId: reported.accountId };
    try {
      await withOptimisticRetry(async () => {
        const token = await this.store.getToken(reported.accountId, reported.tokenId);
        if (!token || !tokenMatchesHash(reported.token, token.secretHash) || !token.active) return;
        const now = this.clock();
        const change = tokenChange(token, { action: 'update', event: REPORTED_LEAKED_EVENT, changeDescription: REPORTED_LEAKED_DESCRIPTION });
        await this.store.updateToken(token, { active: false }, now.toISOString(), [auditEntry(this.at(context, now), change)]);
      });
    } catch (error) {
      // Deleted between the read and the write: nothing is left to deactivate.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}
