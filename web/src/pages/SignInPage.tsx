// Sign in with an administrator's email address and one of the account's API tokens, checked with
// `GET /api/v2/users/me`. A wrong credential is "Couldn't authenticate you" inline (the API client never
// lets the browser show its own Basic-auth prompt); a signed-in user who is not an admin is told that only
// administrators can manage API tokens.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Credentials } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import type { SignInProblem, SignedOutReason } from '../session';

interface SignInPageProps {
  reason: SignedOutReason | undefined;
  initialEmail: string;
  problem: SignInProblem | undefined;
  busy: boolean;
  onSubmit: (credentials: Credentials) => void;
  /** Tries the credential of the attempt that failed again (after an outage). */
  onRetry: (() => void) | undefined;
}

function SignedOutNotice({ reason }: { reason: SignedOutReason }) {
  if (reason === 'access-off') {
    return (
      <div class="notice notice-warning" role="status">
        <p>
          <strong>You are signed out because API token access is off.</strong>
        </p>
        <p>
          No API token of this account can authenticate now, including the one you signed in with. Only the service's operators can turn
          access back on: ask them to.
        </p>
      </div>
    );
  }
  const text: Record<Exclude<SignedOutReason, 'access-off'>, string> = {
    'signed-out': 'You are signed out.',
    'session-ended':
      'You were signed out: the API no longer accepts the token you signed in with. It may have been deactivated or deleted, or API token access may have been turned off for the account.',
    'own-token-deactivated': 'You were signed out because you deactivated the token you signed in with. Sign in with another active token.',
    'own-token-rotated': 'You were signed out because you replaced the token you signed in with. Sign in with the new token.',
  };
  return (
    <p class="notice" role="status">
      {text[reason]}
    </p>
  );
}

export function SignInPage({ reason, initialEmail, problem, busy, onSubmit, onRetry }: SignInPageProps) {
  const [email, setEmail] = useState(initialEmail);
  const [token, setToken] = useState('');
  const emailRef = useRef<HTMLInputElement>(null);
  const tokenRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (initialEmail ? tokenRef : emailRef).current?.focus();
  }, []);
  // After a failed attempt, clear the token so that a wrong one is not kept in the page.
  useEffect(() => {
    if (problem?.kind === 'unauthenticated' || problem?.kind === 'not-admin') {
      setToken('');
      tokenRef.current?.focus();
    }
  }, [problem]);

  const submit = (event: Event) => {
    event.preventDefault();
    if (!busy) onSubmit({ email: email.trim(), token: token.trim() });
  };

  return (
    <main id="main" class="sign-in" tabIndex={-1}>
      <form class="card" onSubmit={submit} aria-describedby="sign-in-intro">
        <p class="brand">Admin console</p>
        <h1 id="page-heading" tabIndex={-1}>
          Sign in
        </h1>
        <p id="sign-in-intro" class="muted">
          Sign in with an administrator's email address and one of the account's API tokens.
        </p>
        {reason && (!problem || reason === 'access-off') && <SignedOutNotice reason={reason} />}
        {problem?.kind === 'unauthenticated' && (
          <div class="notice notice-error">
            <p role="alert">
              <strong>Couldn't authenticate you</strong>
            </p>
            <p>
              Check the email address and the token. A deactivated or deleted token is refused, and while API token access is off for the account every
              token is, a correct one included; turning access back on is an operator action.
            </p>
          </div>
        )}
        {problem?.kind === 'not-admin' && (
          <div class="notice notice-error">
            <p role="alert">
              <strong>Only administrators can manage API tokens</strong>
            </p>
            <p>Sign in as an administrator of the account.</p>
          </div>
        )}
        {problem?.kind === 'error' && <ErrorNotice error={problem.error} onRetry={onRetry} />}
        <div class="field">
          <label for="sign-in-email">Email</label>
          <input
            ref={emailRef}
            id="sign-in-email"
            class="input"
            type="email"
            required
            autocomplete="username"
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="sign-in-token">API token</label>
          <input
            ref={tokenRef}
            id="sign-in-token"
            class="input mono"
            type="password"
            required
            autocomplete="current-password"
            spellcheck={false}
            value={token}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button button-primary button-wide" aria-disabled={busy}>
          Sign in
        </button>
        {busy && (
          <p class="visually-hidden" role="status">
            Signing in…
          </p>
        )}
      </form>
    </main>
  );
}
