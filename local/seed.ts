// Seeds the local stack's demo account (docs/architecture.md, "Local stack") through the domain services, so the seed obeys the
// same rules and leaves the same audit entries as tokenctl would. A token is created only together
// with the account: its plaintext exists once, and an account persisted from an earlier run gets none.
import { operatorContext } from '../shared/domain/audit-entries';
import type { AccountService } from '../shared/domain/account-service';
import { AlreadyExistsError, NotFoundError } from '../shared/domain/errors';
import type { Role } from '../shared/domain/model';
import type { TokenService } from '../shared/domain/token-service';

export const DEMO_ACCOUNT = { accountId: 'demo', name: 'Demo', plan: 'enterprise' } as const;
export const DEMO_ADMIN_EMAIL = 'admin@demo.test';
export const DEMO_AGENT_EMAIL = 'agent@demo.test';
export const DEMO_TOKEN_DESCRIPTION = 'Local demo token';

const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: DEMO_ADMIN_EMAIL, name: 'Demo Admin', role: 'admin' },
  { email: DEMO_AGENT_EMAIL, name: 'Demo Agent', role: 'agent' },
];

/** Seeding acts as an operator, like tokenctl; the user agent tells its audit entries apart. */
const SEED_CONTEXT = operatorContext('local-seed');

export interface SeedServices {
  accounts: AccountService;
  tokens: TokenService;
}

export interface SeedResult {
  accountId: string;
  /** False when the account was already there (a persisted data directory). */
  createdAccount: boolean;
  /** The demo token's plaintext, only when this run created it. */
  token: string | null;
}

async function accountExists(accounts: AccountService, accountId: string): Promise<boolean> {
  try {
    await accounts.getAccount(accountId);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

/** Creates what is missing; "already exists" means another start got there first, which is fine. */
async function ignoringExisting(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (error) {
    if (error instanceof AlreadyExistsError) return false;
    throw error;
  }
}

export async function seedDemoAccount({ accounts, tokens }: SeedServices): Promise<SeedResult> {
  const { accountId } = DEMO_ACCOUNT;
  const createdAccount =
    !(await accountExists(accounts, accountId)) &&
    (await ignoringExisting(() =>
      accounts.createAccount(SEED_CONTEXT, { ...DEMO_ACCOUNT, legacy: false, apiTokenAccess: true }),
    ));
  // Users are ensured on every start, so a start interrupted halfway still ends with a usable account.
  for (const user of DEMO_USERS) {
    await accounts.getUser(accountId, user.email).catch(async (error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
      await ignoringExisting(() => accounts.addUser(SEED_CONTEXT, { accountId, ...user, verified: true }));
    });
  }
  if (!createdAccount) return { accountId, createdAccount, token: null };
  const { token } = await tokens.create({ ...SEED_CONTEXT, accountId }, DEMO_TOKEN_DESCRIPTION);
  return { accountId, createdAccount, token };
}
