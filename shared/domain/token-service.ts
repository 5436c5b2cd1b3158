// The rules of API tokens (docs/architecture.md, "Writes"): create with a limit and an optional policy (expiry
// within the account's maximum lifetime, assigned user, role ceiling, IP allow-list), show only the visible form after creation, edit the
// description and the policy, deactivate/reactivate, rotate (a successor with the same policy, the old token
// replaced at once or after a grace), delete only when deactivated; every change audited.
import { auditEntry, distinctIds, quoted, type Change, type OperationContext } from './audit-entries';
import { ChangingService } from './service-base';
import { NotFoundError, TokenAlreadyRotatedError, ValidationError } from './errors';
import { newId } from './ids';
import type { Account, ApiToken, TokenPolicy } from './model';
import { withOptimisticRetry } from './optimistic-retry';
import type { Page, PageRequest, TokenChanges } from './store';
import { textProblems } from './text';
import { formatTimestamp } from './timestamps';
import { generateToken } from './token-format';
import {
  addProblems,
  allowedIpsOf,
  type AssignedEmails,
  compactPolicy,
  describePolicy,
  describePolicyChanges,
  earlierOf,
  expiryAt,
  type PolicyRequest,
  type PolicyUpdate,
  type Problems,
  replacementExpiry,
  updatedPolicy,
} from './token-policy';

const MAX_DESCRIPTION_LENGTH = 255;

export interface CreatedToken {
  apiToken: ApiToken;
  /** The full token: returned to the caller once, never stored. */
  token: string;
}

export interface TokenUpdate extends PolicyUpdate {
  description?: string | null;
  active?: boolean;
}

/**
 * A condition on the token an update is based on, such as "the client's copy of it is current": it throws
 * (a ValidationError) to refuse the update. It is checked on every read of the token, so the one that
 * passed it is the one the write's version condition holds to: no concurrent change slips in between.
 */
export type TokenPrecondition = (current: ApiToken) => void;

/**
 * An empty description is no description: `""` is stored, shown and compared as null, so that clearing a
 * description one way or the other is the same state, and switching between them is no change.
 */
const normalizeDescription = (description: string | null): string | null => (description === '' ? null : description);

const descriptionProblems = (description: string | null) => (description === null ? [] : textProblems(description, 'Description', MAX_DESCRIPTION_LENGTH));

/** Description rules shared by the API and tokenctl. */
export function validateDescription(description: string | null): void {
  const problems = descriptionProblems(description);
  if (problems.length > 0) throw new ValidationError({ description: problems });
}

/** Refuses the request, naming every field that is wrong, when any is. */
function throwIfAny(problems: Problems): void {
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
}

const label = (token: Pick<ApiToken, 'description' | 'visibleToken'>) => token.description || token.visibleToken;

/** A change of one token, as its audit entry names it. */
export function tokenChange(token: ApiToken, change: Omit<Change, 'sourceType' | 'sourceId' | 'sourceLabel'>): Change {
  return { ...change, sourceType: 'api_token', sourceId: token.tokenId, sourceLabel: label(token) };
}

/** The audit changes an update makes: one entry per changed attribute, none when nothing changes. */
function describeUpdate(token: ApiToken, changes: TokenChanges, emails: AssignedEmails): Change[] {
  const described: Change[] = [];
  if (changes.description !== undefined) {
    described.push(
      tokenChange(token, {
        action: 'update',
        event: 'api_token.description_changed',
        changeDescription: `Description changed from ${quoted(token.description)} to ${quoted(changes.description)}`,
      }),
    );
  }
  if (changes.active !== undefined) {
    described.push(
      tokenChange(token, {
        action: 'update',
        event: changes.active ? 'api_token.reactivated' : 'api_token.deactivated',
        changeDescription: changes.active ? 'Reactivated' : 'Deactivated',
      }),
    );
  }
  if (changes.policy !== undefined) {
    described.push(...describePolicyChanges(token.policy, changes.policy, emails).map((change) => tokenChange(token, { action: 'update', ...change })));
  }
  return described;
}

/** The token as the store keeps it after `active` changed to `active`: deactivated at its update, or no longer. */
function withDeactivationTime(token: ApiToken, active: boolean | undefined): ApiToken {
  if (active === undefined) return token;
  const updated: ApiToken = { ...token, deactivatedAt: token.updatedAt };
  if (active) delete updated.deactivatedAt;
  return updated;
}

/** A new active token of the caller's account, made at `now` by the caller, with its secret. */
function newToken(context: OperationContext, now: Date, description: string | null, policy: TokenPolicy | undefined): CreatedToken {
  const tokenId = newId(now.getTime());
  const { token, secretHash, visibleToken } = generateToken(context.accountId, tokenId);
  const timestamp = now.toISOString();
  const apiToken: ApiToken = {
    accountId: context.accountId,
    tokenId,
    description,
    active: true,
    secretHash,
    visibleToken,
    createdBy: context.actor.kind === 'user' ? context.actor.userId : -1,
    createdAt: timestamp,
    updatedAt: timestamp,
    lastUsedAt: null,
    ...(policy ? { policy } : {}),
    version: 1,
  };
  return { apiToken, token };
}

/** The `api_token.created` entry of a new token: how it came to be (`Created`, or by which rotation), then its policy. */
function createdChange(token: ApiToken, origin: string, assignedEmail: string | undefined): Change {
  const changeDescription = [origin, ...describePolicy(token.policy, { after: assignedEmail })].join('; ');
  return tokenChange(token, { action: 'create', event: 'api_token.created', changeDescription });
}

/** The longest grace a rotation allows: 7 days, in seconds. */
export const MAX_GRACE_SECONDS = 604_800;

function graceProblems(graceSeconds: number): Problems {
  if (Number.isInteger(graceSeconds) && graceSeconds >= 0 && graceSeconds <= MAX_GRACE_SECONDS) return {};
  return { grace_seconds: [`grace_seconds must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS} (7 days)`] };
}

/** The old token's `api_token.rotated` words: its successor, and until when the old one still works. */
function describeRotation(replacement: ApiToken, oldExpiresAt: string | undefined): string {
  const successor = `Rotated: replaced by token ${replacement.tokenId} (${replacement.visibleToken})`;
  return oldExpiresAt === undefined ? `${successor} at once` : `${successor}; the old token works until ${formatTimestamp(oldExpiresAt)}`;
}

export class TokenService extends ChangingService {
  /**
   * A new token, with the policy asked for. The account is read for its maximum token lifetime, and the
   * write holds to the value read, so a maximum set meanwhile makes the create decide again.
   */
  async create(context: OperationContext, given: string | null, requested: PolicyRequest = {}): Promise<CreatedToken> {
    const problems: Problems = {};
    addProblems(problems, 'description', descriptionProblems(given));
    const description = normalizeDescription(given);
    const { allowedIps, problems: ipProblems } = allowedIpsOf(requested.allowedIps);
    addProblems(problems, 'allowed_ips', ipProblems);
    const assignedEmail = await this.assigneeEmail(context.accountId, requested.assignedUserId, problems);
    return withOptimisticRetry(async () => {
      const now = this.clock();
      const maxLifetimeDays = await this.maxLifetimeDaysOf(context.accountId);
      const expiry = expiryAt(requested.expiresAt, now, maxLifetimeDays);
      addProblems(problems, 'expires_at', expiry.problems);
      throwIfAny(problems);
      const policy = compactPolicy({
        expiresAt: expiry.expiresAt,
        assignedUserId: requested.assignedUserId ?? undefined,
        maxRole: requested.maxRole ?? undefined,
        allowedIps: allowedIps ?? undefined,
      });
      const created = newToken(context, now, description, policy);
      const audit = auditEntry(this.at(context, now), createdChange(created.apiToken, 'Created', assignedEmail));
      await this.store.insertToken(created.apiToken, audit, context.authority, { maxLifetimeDays });
      return created;
    });
  }

  /**
   * A new token in place of `tokenId`, with its description and policy (the expiry: the old token's lifetime
   * from now, within the account's maximum). With no grace the old token is replaced at once, in its slot;
   * with one, the new token takes a slot and the old one keeps working (or stays deactivated) until the grace
   * ends, then expires and is left to the token sweep. A token rotated with a grace is not rotated again.
   */
  async rotate(context: OperationContext, tokenId: number, graceSeconds = 0): Promise<CreatedToken> {
    throwIfAny(graceProblems(graceSeconds));
    return withOptimisticRetry(async () => {
      const old = await this.get(context.accountId, tokenId);
      if (old.rotatedTo !== undefined) throw new TokenAlreadyRotatedError(old.rotatedTo);
      const now = this.clock();
      const maxLifetimeDays = await this.maxLifetimeDaysOf(context.accountId);
      const policy = compactPolicy({ ...old.policy, expiresAt: replacementExpiry(old, now, maxLifetimeDays) });
      const created = newToken(context, now, normalizeDescription(old.description), policy);
      const oldExpiresAt = graceSeconds === 0 ? undefined : earlierOf(old.policy?.expiresAt, new Date(now.getTime() + graceSeconds * 1000).toISOString());
      const assignedEmail = policy?.assignedUserId === undefined ? undefined : await this.emailOf(context.accountId, policy.assignedUserId);
      const change = this.at(context, now);
      const audits = distinctIds([
        auditEntry(change, tokenChange(old, { action: 'update', event: 'api_token.rotated', changeDescription: describeRotation(created.apiToken, oldExpiresAt) })),
        auditEntry(change, createdChange(created.apiToken, `Created by rotation of token ${old.tokenId} (${old.visibleToken})`, assignedEmail)),
      ]);
      await this.store.rotateToken({ old, replacement: created.apiToken, oldExpiresAt }, audits, context.authority, { maxLifetimeDays });
      return created;
    });
  }

  /** The account's maximum token lifetime (null: none), which a new token's expiry is decided from. */
  private async maxLifetimeDaysOf(accountId: string): Promise<number | null> {
    const account = await this.store.getAccount(accountId);
    if (!account) throw new NotFoundError(`Account ${accountId} not found`);
    return account.apiTokenMaxLifetimeDays ?? null;
  }

  async list(accountId: string, page: PageRequest): Promise<{ account: Account; tokens: Page<ApiToken> }> {
    const [account, tokens] = await Promise.all([this.store.getAccount(accountId), this.store.listTokens(accountId, page)]);
    if (!account) throw new NotFoundError();
    return { account, tokens };
  }

  async get(accountId: string, tokenId: number): Promise<ApiToken> {
    const token = await this.store.getToken(accountId, tokenId);
    if (!token) throw new NotFoundError();
    return token;
  }

  /**
   * Applies what differs from the current state; an update that changes nothing writes nothing. A
   * precondition, when given, is checked on the token read before anything is decided.
   */
  async update(context: OperationContext, tokenId: number, update: TokenUpdate, precondition?: TokenPrecondition): Promise<ApiToken> {
    const problems: Problems = {};
    if (update.description !== undefined) addProblems(problems, 'description', descriptionProblems(update.description));
    const { allowedIps, problems: ipProblems } = allowedIpsOf(update.allowedIps);
    addProblems(problems, 'allowed_ips', ipProblems);
    const assignedEmail = await this.assigneeEmail(context.accountId, update.assignedUserId, problems);
    throwIfAny(problems);
    return withOptimisticRetry(async () => {
      const token = await this.get(context.accountId, tokenId);
      precondition?.(token);
      const changes: TokenChanges = {};
      // Tokens stored before descriptions were normalized may hold "": compare normalized on both sides.
      const description = update.description === undefined ? undefined : normalizeDescription(update.description);
      if (description !== undefined && description !== normalizeDescription(token.description)) changes.description = description;
      if (update.active !== undefined && update.active !== token.active) changes.active = update.active;
      const policy = updatedPolicy(token.policy, { ...update, allowedIps });
      if (describePolicyChanges(token.policy, policy).length > 0) changes.policy = policy;
      const previouslyAssigned = token.policy?.assignedUserId;
      const emails = {
        before: previouslyAssigned !== undefined && previouslyAssigned !== policy.assignedUserId ? await this.emailOf(context.accountId, previouslyAssigned) : undefined,
        after: assignedEmail,
      };
      const described = describeUpdate(token, changes, emails);
      if (described.length === 0) return token;
      const now = this.clock();
      const audits = distinctIds(described.map((change) => auditEntry(this.at(context, now), change)));
      await this.store.updateToken(token, changes, now.toISOString(), audits, context.authority);
      return withDeactivationTime({ ...token, ...changes, updatedAt: now.toISOString(), version: token.version + 1 }, changes.active);
    });
  }

  /**
   * The email of the user a token is to be assigned to, who must be a user of the account (a problem
   * with `assigned_user_id` otherwise); nothing to look up when none is asked for. A user removed after this
   * check leaves a token that authenticates no one, which is what removing a token's user means anyway.
   */
  private async assigneeEmail(accountId: string, userId: number | null | undefined, problems: Problems): Promise<string | undefined> {
    if (userId === undefined || userId === null) return undefined;
    const user = Number.isSafeInteger(userId) && userId > 0 ? await this.store.getUserById(accountId, userId) : undefined;
    if (!user) addProblems(problems, 'assigned_user_id', [`assigned_user_id ${userId} is not a user of this account`]);
    return user?.email;
  }

  /** A user's email for the audit log's words, when the user still exists. */
  private async emailOf(accountId: string, userId: number): Promise<string | undefined> {
    return (await this.store.getUserById(accountId, userId))?.email;
  }

  /** Returns the token as it was when deleted. */
  async delete(context: OperationContext, tokenId: number): Promise<ApiToken> {
    return withOptimisticRetry(async () => {
      const token = await this.get(context.accountId, tokenId);
      const now = this.clock();
      const audit = auditEntry(
        this.at(context, now),
        tokenChange(token, { action: 'destroy', event: 'api_token.deleted', changeDescription: 'Deleted' }),
      );
      await this.store.deleteToken(token, audit, context.authority);
      return token;
    });
  }
}
