// The console's shell: signed out, the sign-in page; signed in, the header (navigation, Sign out), the
// status region and the page of the current route. A 401 on any call ends the session, since the token no
// longer authenticates (deactivated, deleted, or API token access turned off).
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Credentials } from './api/client';
import { AnnounceContext, SessionContext, type SessionContextValue } from './app-context';
import { Link } from './components/Link';
import { AuditLogPage } from './pages/AuditLogPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SettingsPage } from './pages/SettingsPage';
import { SignInPage } from './pages/SignInPage';
import { paths, routeOf, useLocation, type Route } from './router';
import { forgetCredentials, isSession, signIn, storedCredentials, type Session, type SignInProblem, type SignedOutReason } from './session';
import { TokensContext, useTokensStore } from './tokens-store';
import { TokenDetailPage } from './tokens/TokenDetailPage';
import { TokensPage } from './tokens/TokensPage';

type AppState =
  | { status: 'signed-out'; reason?: SignedOutReason; email?: string; retry?: Credentials }
  | { status: 'signing-in'; credentials: Credentials; reason?: SignedOutReason; restoring?: boolean }
  | { status: 'signed-in'; session: Session };

const TITLES: Record<Route['page'], string> = {
  tokens: 'API tokens',
  token: 'API token',
  'audit-log': 'Audit log',
  settings: 'Settings',
  'not-found': 'Page not found',
};

/** How long a status message stays on screen. */
const MESSAGE_SHOWN_MS = 8000;

function initialState(): AppState {
  const stored = storedCredentials();
  return stored ? { status: 'signing-in', credentials: stored, restoring: true } : { status: 'signed-out' };
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'tokens':
      return <TokensPage />;
    case 'token':
      return <TokenDetailPage id={route.id} />;
    case 'audit-log':
      return <AuditLogPage />;
    case 'settings':
      return <SettingsPage />;
    default:
      return <NotFoundPage />;
  }
}

function useAnnouncer(): [string, (message: string) => void] {
  const [message, setMessage] = useState('');
  const timer = useRef<number | undefined>(undefined);
  const announce = useCallback((next: string) => {
    // Cleared first, so that the same message twice is announced twice; cleared again once read.
    setMessage('');
    window.clearTimeout(timer.current);
    if (next === '') return;
    timer.current = window.setTimeout(() => {
      setMessage(next);
      timer.current = window.setTimeout(() => setMessage(''), MESSAGE_SHOWN_MS);
    }, 50);
  }, []);
  return [message, announce];
}

export function App() {
  const [state, setState] = useState<AppState>(initialState);
  const [problem, setProblem] = useState<SignInProblem | undefined>(undefined);
  const signOut = useCallback((reason: SignedOutReason) => {
    forgetCredentials();
    setProblem(undefined);
    setState((previous) => {
      // The first reason stands: requests still under way after a kill switch answer 401 as well.
      if (previous.status === 'signed-out') return previous;
      const session = previous.status === 'signed-in' ? previous.session : undefined;
      const email = session?.credentials.email ?? (previous.status === 'signing-in' ? previous.credentials.email : undefined);
      return { status: 'signed-out', reason, email };
    });
  }, []);

  const attempt = state.status === 'signing-in' ? state : undefined;
  useEffect(() => {
    if (!attempt) return;
    let current = true;
    setProblem(undefined);
    signIn(attempt.credentials, () => signOut('session-ended')).then((result) => {
      if (!current) return;
      if (isSession(result)) {
        setState({ status: 'signed-in', session: result });
        return;
      }
      // A refused credential is forgotten; after an outage, Retry tries the same one again.
      if (result.kind !== 'error') forgetCredentials();
      setProblem(result);
      setState({ status: 'signed-out', reason: attempt.reason, email: attempt.credentials.email, retry: result.kind === 'error' ? attempt.credentials : undefined });
    });
    return () => {
      current = false;
    };
  }, [attempt]);

  const session = state.status === 'signed-in' ? state.session : undefined;

  useEffect(() => {
    if (!session) document.title = 'Sign in · Admin console';
  }, [session]);

  if (attempt?.restoring) {
    return (
      <main id="main" class="sign-in" tabIndex={-1}>
        <p class="loading" role="status">
          Signing in…
        </p>
      </main>
    );
  }

  if (!session) {
    const signedOut = state.status === 'signed-out' ? state : undefined;
    return (
      <SignInPage
        key={signedOut?.reason ?? 'sign-in'}
        reason={signedOut?.reason}
        initialEmail={signedOut?.email ?? (attempt?.credentials.email || '')}
        problem={problem}
        busy={state.status === 'signing-in'}
        onSubmit={(credentials) => setState({ status: 'signing-in', credentials, reason: signedOut?.reason })}
        onRetry={signedOut?.retry && (() => signedOut.retry && setState({ status: 'signing-in', credentials: signedOut.retry, reason: signedOut.reason }))}
      />
    );
  }

  return <Console session={session} signOut={signOut} />;
}

/**
 * The signed-in console. It mounts anew for each session, so that nothing one session loaded (the
 * token list) outlives it.
 */
function Console({ session, signOut }: { session: Session; signOut: (reason: SignedOutReason) => void }) {
  const location = useLocation();
  const route = routeOf(location.pathname);
  const [message, announce] = useAnnouncer();
  const tokens = useTokensStore(session.client);
  const sessionValue = useMemo<SessionContextValue>(() => ({ session, signOut }), [session, signOut]);

  useEffect(() => {
    if (route.page !== 'token') document.title = `${TITLES[route.page]} · Admin console`;
  }, [route.page]);

  // Just signed in: the sign-in form is gone, so start at the page's heading.
  useEffect(() => {
    if (document.activeElement === null || document.activeElement === document.body) document.getElementById('page-heading')?.focus();
  }, []);

  // A new page: move focus to its heading so that keyboard and screen-reader users start there.
  const firstPath = useRef(location.pathname);
  useEffect(() => {
    if (location.pathname === firstPath.current) return;
    firstPath.current = '';
    announce('');
    document.getElementById('page-heading')?.focus();
  }, [location.pathname]);

  const navItems: { href: string; label: string; current: boolean }[] = [
    { href: paths.tokens(), label: 'API tokens', current: route.page === 'tokens' || route.page === 'token' },
    { href: paths.auditLog(), label: 'Audit log', current: route.page === 'audit-log' },
    { href: paths.settings(), label: 'Settings', current: route.page === 'settings' },
  ];

  return (
    <SessionContext.Provider value={sessionValue}>
      <TokensContext.Provider value={tokens}>
        <AnnounceContext.Provider value={announce}>
          <a class="skip-link" href="#main">
            Skip to main content
          </a>
          <header class="app-header">
            <span class="brand">Admin console</span>
            <nav aria-label="Main" class="app-nav">
              <ul>
                {navItems.map((item) => (
                  <li key={item.href}>
                    <Link href={item.href} aria-current={item.current ? 'page' : undefined}>
                      {item.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
            <div class="account">
              <span class="account-name" title={session.user.email}>
                {session.user.name}
              </span>
              <button type="button" class="button button-small" onClick={() => signOut('signed-out')}>
                Sign out
              </button>
            </div>
          </header>
          <main id="main" class="page" tabIndex={-1}>
            <p class="flash" role="status" aria-live="polite">
              {message}
            </p>
            <Page route={route} />
          </main>
        </AnnounceContext.Provider>
      </TokensContext.Provider>
    </SessionContext.Provider>
  );
}
