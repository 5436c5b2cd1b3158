// Signing in and out. The credentials live in memory and in sessionStorage (this tab only, cleared by
// Sign out and when the tab closes) so that a reload, or opening a shared audit-log link in the same tab,
// keeps the admin signed in. Never localStorage, cookies or the URL.
import { ApiClient, ApiError, type Credentials } from './api/client';
import type { User } from './api/types';

const STORAGE_KEY = 'admin-console.credentials';

/** Whether the account's plan includes the audit log: known from a probe of GET /api/v2/audit_logs. */
export type AuditLogAccess = 'available' | 'needs-enterprise' | 'unknown';

export interface Session {
  credentials: Credentials;
  client: ApiClient;
  user: User;
  auditLog: AuditLogAccess;
  /** The account and token the credential names (`apit_{account}_{token id}_…`), when it has that form. */
  accountId: string | undefined;
  tokenId: number | undefined;
}

/** Why the console shows the sign-in page again. */
export type SignedOutReason = 'signed-out' | 'session-ended' | 'access-off' | 'own-token-deactivated' | 'own-token-rotated';

export function storedCredentials(): Credentials | undefined {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    const parsed: unknown = raw === null ? undefined : JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && 'email' in parsed && 'token' in parsed) {
      const { email, token } = parsed;
      if (typeof email === 'string' && typeof token === 'string') return { email, token };
    }
  } catch {
    // Storage unavailable or unreadable: start signed out.
  }
  return undefined;
}

function storeCredentials(credentials: Credentials): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
  } catch {
    // Without storage the session still works; it just does not survive a reload.
  }
}

export function forgetCredentials(): void {
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
}

const TOKEN_FORM = /^apit_([a-z0-9]{3,32})_([1-9][0-9]{0,15})_[0-9A-Za-z]+$/;

/** The outcome of a sign-in the page shows inline. */
export type SignInProblem =
  | { kind: 'unauthenticated' }
  | { kind: 'not-admin' }
  | { kind: 'error'; error: ApiError };

/**
 * Signs in: `GET /api/v2/users/me` checks the credential and the role; a probe of the audit log tells
 * whether the plan includes it (403 on plans below Enterprise: the API exposes the plan nowhere else).
 */
export async function signIn(credentials: Credentials, onUnauthenticated: () => void): Promise<Session | SignInProblem> {
  const probeClient = new ApiClient(credentials);
  let user: User;
  try {
    user = await probeClient.currentUser();
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'unauthenticated') return { kind: 'unauthenticated' };
    return { kind: 'error', error: error instanceof ApiError ? error : new ApiError('failed', 0, 'Something went wrong; retry shortly.') };
  }
  if (user.role !== 'admin') return { kind: 'not-admin' };
  let auditLog: AuditLogAccess = 'unknown';
  try {
    await probeClient.auditLogs(new URLSearchParams({ 'page[size]': '1' }));
    auditLog = 'available';
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'unauthenticated') return { kind: 'unauthenticated' };
    if (error instanceof ApiError && error.kind === 'forbidden') auditLog = 'needs-enterprise';
  }
  storeCredentials(credentials);
  const form = TOKEN_FORM.exec(credentials.token);
  return {
    credentials,
    client: new ApiClient(credentials, onUnauthenticated),
    user,
    auditLog,
    accountId: form?.[1],
    tokenId: form ? Number(form[2]) : undefined,
  };
}

export const isSession = (result: Session | SignInProblem): result is Session => 'client' in result;
