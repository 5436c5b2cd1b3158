// tokenctl's commands (docs/architecture.md, "Operator plane"): each one calls AccountService / TokenService as an operator, so the
// same rules and audit entries hold as through the API, and returns both the API's JSON shape and a
// short human-readable text. Parsing argv and exit codes live in tokenctl.ts.
import type { ActorContext } from '../shared/domain/audit-entries';
import type { AccountService, AccountUpdate, NewAccount, NewUser } from '../shared/domain/account-service';
import { NotFoundError } from '../shared/domain/errors';
import type { Account, ApiToken, User } from '../shared/domain/model';
import { formatTimestamp, presentAccount, presentToken, presentUser } from '../shared/http/presenters';
import { parseId } from '../shared/domain/ids';
import type { UserChanges } from '../shared/domain/store';
import { describePolicy, type PolicyRequest } from '../shared/domain/token-policy';
import type { CreatedToken, TokenService, TokenUpdate } from '../shared/domain/token-service';
import type { SweepSummary, TokenSweepService } from '../shared/domain/token-sweep';
import { sweepSettingLabel } from '../shared/domain/sweep-settings';

export interface CliContext {
  accounts: AccountService;
  tokens: TokenService;
  sweep: TokenSweepService;
  /** Base of the `url` fields. */
  baseUrl: string;
  /** Actor and request meta of every change tokenctl makes (the services hold the audit retention). */
  operation: ActorContext;
}

export interface CommandResult {
  /** What `--json` prints: one object in the API's shapes. */
  json: Record<string, unknown>;
  /** What is printed otherwise. */
  text: string;
}

// ---- human-readable lines ---------------------------------------------------------------------

const onOff = (value: boolean) => (value ? 'on' : 'off');

function describeAccount(account: Account): string {
  const maxLifetime = account.apiTokenMaxLifetimeDays ?? null;
  return [
    `Account ${account.accountId} (${account.name})`,
    `  plan: ${account.plan}`,
    `  status: ${account.status}`,
    `  API token access: ${onOff(account.apiTokenAccess)}`,
    ...(maxLifetime === null ? [] : [`  maximum token lifetime: ${maxLifetime} days`]),
    ...(account.apiTokenInactivityDays == null ? [] : [`  deactivate tokens unused for: ${sweepSettingLabel(account.apiTokenInactivityDays)}`]),
    ...(account.apiTokenDeactivatedRetentionDays == null ? [] : [`  delete deactivated tokens after: ${sweepSettingLabel(account.apiTokenDeactivatedRetentionDays)}`]),
    `  tokens: ${account.tokenCount} of ${account.tokenLimit}`,
  ].join('\n');
}

function describeUser(user: User): string {
  const flags = [user.verified ? 'verified' : 'unverified', ...(user.suspended ? ['suspended'] : [])];
  return `${user.email}  id ${user.userId}  ${user.role}  ${flags.join(', ')}  (${user.name})`;
}

function describeToken(token: ApiToken): string {
  const description = token.description ? `  "${token.description}"` : '';
  const lastUsed = token.lastUsedAt === null ? 'never' : formatTimestamp(token.lastUsedAt);
  const policy = describePolicy(token.policy);
  const restrictions = policy.length === 0 ? '' : `  [${policy.join('; ')}]`;
  return `${token.tokenId}  ${token.active ? 'active     ' : 'deactivated'}  ${token.visibleToken}${description}  (last used: ${lastUsed})${restrictions}`;
}

// ---- accounts ---------------------------------------------------------------------------------

const accountResult = (account: Account, verb: string): CommandResult => ({
  json: { account: presentAccount(account) },
  text: verb ? `${verb} account ${account.accountId}.\n${describeAccount(account)}` : describeAccount(account),
});

export async function createAccount(cli: CliContext, input: NewAccount): Promise<CommandResult> {
  return accountResult(await cli.accounts.createAccount(cli.operation, input), 'Created');
}

export async function updateAccount(cli: CliContext, accountId: string, update: AccountUpdate): Promise<CommandResult> {
  return accountResult(await cli.accounts.updateAccount(cli.operation, accountId, update), 'Updated');
}

export async function showAccount(cli: CliContext, accountId: string): Promise<CommandResult> {
  return accountResult(await cli.accounts.getAccount(accountId), '');
}

// ---- users ------------------------------------------------------------------------------------

const userResult = (cli: CliContext, user: User, verb: string): CommandResult => ({
  json: { user: presentUser(user, cli.baseUrl) },
  text: `${verb} user in account ${user.accountId}: ${describeUser(user)}`,
});

export async function addUser(cli: CliContext, input: NewUser): Promise<CommandResult> {
  return userResult(cli, await cli.accounts.addUser(cli.operation, input), 'Added');
}

export async function updateUser(cli: CliContext, accountId: string, email: string, update: UserChanges): Promise<CommandResult> {
  return userResult(cli, await cli.accounts.updateUser(cli.operation, accountId, email, update), 'Updated');
}

export async function removeUser(cli: CliContext, accountId: string, email: string): Promise<CommandResult> {
  return userResult(cli, await cli.accounts.removeUser(cli.operation, accountId, email), 'Removed');
}

export async function listUsers(cli: CliContext, accountId: string): Promise<CommandResult> {
  const users = await cli.accounts.listUsers(accountId);
  return {
    json: { users: users.map((user) => presentUser(user, cli.baseUrl)) },
    text: [`${users.length} user(s) in account ${accountId}`, ...users.map(describeUser)].join('\n'),
  };
}

// ---- tokens -----------------------------------------------------------------------------------

const tokenContext = (cli: CliContext, accountId: string) => ({ ...cli.operation, accountId });

/** The token, or a NotFoundError that says whether the account or the token is missing. */
/** Runs a token operation; a NotFound then names what is missing: the account, or the token in it. */
async function onToken<T>(cli: CliContext, accountId: string, tokenId: number, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    await cli.accounts.getAccount(accountId);
    throw new NotFoundError(`API token ${tokenId} not found in account ${accountId}`);
  }
}

/** A token's policy as given on the command line: the assigned user by email or id. */
export interface CliPolicy extends Omit<PolicyRequest, 'assignedUserId'> {
  assignedUser?: string | null;
}

/** The id of the user `--assigned-user` names: an id as it is (the service checks it), an email looked up in the account. */
async function assignedUserIdOf(cli: CliContext, accountId: string, assignedUser: string | null | undefined): Promise<number | null | undefined> {
  if (assignedUser === undefined || assignedUser === null) return assignedUser;
  return parseId(assignedUser) ?? (await cli.accounts.getUser(accountId, assignedUser)).userId;
}

/** A new token in the API's create shape, and the lines that show it this once, after the headline. */
function newTokenResult(cli: CliContext, { apiToken, token }: CreatedToken, headline: string): CommandResult {
  const restrictions = describePolicy(apiToken.policy);
  return {
    json: { api_token: { ...presentToken(apiToken, cli.baseUrl), token } },
    text: [headline, ...(restrictions.length === 0 ? [] : [`Restricted to: ${restrictions.join('; ')}`]), `Token (shown only this once; store it now): ${token}`].join('\n'),
  };
}

export async function createToken(cli: CliContext, accountId: string, description: string | null, { assignedUser, ...policy }: CliPolicy = {}): Promise<CommandResult> {
  const assignedUserId = await assignedUserIdOf(cli, accountId, assignedUser);
  const created = await cli.tokens.create(tokenContext(cli, accountId), description, { ...policy, assignedUserId });
  return newTokenResult(cli, created, `Created API token ${created.apiToken.tokenId} in account ${accountId}.`);
}

/** A new token in place of `tokenId`, printed once like a created one; the old one is replaced at once or after the grace. */
export async function rotateToken(cli: CliContext, accountId: string, tokenId: number, graceSeconds = 0): Promise<CommandResult> {
  const created = await onToken(cli, accountId, tokenId, () => cli.tokens.rotate(tokenContext(cli, accountId), tokenId, graceSeconds));
  const old = graceSeconds === 0 ? 'replaced at once' : `working for at most ${graceSeconds} more seconds`;
  return newTokenResult(cli, created, `Rotated API token ${tokenId} in account ${accountId} (the old token ${old}): new API token ${created.apiToken.tokenId}.`);
}

/** What `tokens update` changes: the description and the policy (all but the expiry, which is set at creation). */
export interface CliTokenUpdate extends Omit<TokenUpdate, 'assignedUserId' | 'active'> {
  assignedUser?: string | null;
}

export async function updateToken(cli: CliContext, accountId: string, tokenId: number, { assignedUser, ...update }: CliTokenUpdate): Promise<CommandResult> {
  // Looked up first: a user not found is not a token not found.
  const assignedUserId = await assignedUserIdOf(cli, accountId, assignedUser);
  const token = await onToken(cli, accountId, tokenId, () => cli.tokens.update(tokenContext(cli, accountId), tokenId, { ...update, assignedUserId }));
  return { json: { api_token: presentToken(token, cli.baseUrl) }, text: `Updated API token: ${describeToken(token)}` };
}

export async function listTokens(cli: CliContext, accountId: string): Promise<CommandResult> {
  const { account, tokens } = await cli.tokens.list(accountId, {}).catch((error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError(`Account ${accountId} not found`) : error;
  });
  return {
    json: { api_tokens: tokens.items.map((token) => presentToken(token, cli.baseUrl)) },
    text: [
      `${account.tokenCount} of ${account.tokenLimit} API tokens in account ${accountId} (API token access ${onOff(account.apiTokenAccess)})`,
      ...tokens.items.map(describeToken),
    ].join('\n'),
  };
}

export async function setTokenActive(cli: CliContext, accountId: string, tokenId: number, active: boolean): Promise<CommandResult> {
  const token = await onToken(cli, accountId, tokenId, () => cli.tokens.update(tokenContext(cli, accountId), tokenId, { active }));
  return {
    json: { api_token: presentToken(token, cli.baseUrl) },
    text: `${active ? 'Reactivated' : 'Deactivated'} API token: ${describeToken(token)}`,
  };
}

/** Prints the token as it was when deleted (the API answers 204 without a body). */
export async function deleteToken(cli: CliContext, accountId: string, tokenId: number): Promise<CommandResult> {
  const token = await onToken(cli, accountId, tokenId, () => cli.tokens.delete(tokenContext(cli, accountId), tokenId));
  return {
    json: { api_token: presentToken(token, cli.baseUrl) },
    text: `Deleted API token: ${describeToken(token)}`,
  };
}

// ---- the token sweep --------------------------------------------------------------------------

const tokensText = (count: number) => `${count} ${count === 1 ? 'token' : 'tokens'}`;

/** `Deactivated 2 tokens, deleted 1 token` (and that more is left for the next run, when it is). */
function describeSweep(summary: SweepSummary): string {
  const done = `Deactivated ${tokensText(summary.deactivated)}, deleted ${tokensText(summary.deleted)}`;
  return summary.complete ? done : `${done}; stopped at the run's bound, run again for the rest`;
}

/** One sweep run, now: of every account with an inactivity policy, or of one account. */
export async function sweep(cli: CliContext, accountId?: string): Promise<CommandResult> {
  if (accountId !== undefined) await cli.accounts.getAccount(accountId);
  const summary = await cli.sweep.sweep(accountId);
  return { json: { sweep: summary }, text: describeSweep(summary) };
}
