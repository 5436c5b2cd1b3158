// One token: the truncated token, description, status, created, expiry, last used, creator and its
// policies (assigned user, role ceiling, allowed IP addresses), with the same
// options as its row in the list. Read from the loaded list when it holds the token, else from the API.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { ApiToken, User } from '../api/types';
import { useSession } from '../app-context';
import { DateTime } from '../components/DateTime';
import { ErrorNotice } from '../components/ErrorNotice';
import { Link } from '../components/Link';
import { OptionsMenu } from '../components/OptionsMenu';
import { roleLabel, statusBadgeClass, statusLabel, tokenName } from '../format';
import { navigate, paths } from '../router';
import { useTokens } from '../tokens-store';
import { useTokenActions } from './token-actions';

/** tokenctl's changes and tokens carry this user id (README: "Operator"). */
const OPERATOR_USER_ID = -1;

/** A user of the account by name and email, fetched by id (the creator, the assigned user). */
function UserName({ userId }: { userId: number }) {
  const { session } = useSession();
  const [user, setUser] = useState<User | 'unknown' | undefined>(undefined);
  useEffect(() => {
    if (userId === OPERATOR_USER_ID) return;
    if (userId === session.user.id) {
      setUser(session.user);
      return;
    }
    const controller = new AbortController();
    session.client.user(userId, { signal: controller.signal }).then(setUser, (error: unknown) => {
      if (!(error instanceof DOMException)) setUser('unknown');
    });
    return () => controller.abort();
  }, [userId, session]);
  if (userId === OPERATOR_USER_ID) return <>Operator (tokenctl)</>;
  if (user === undefined) return <span class="muted">Loading…</span>;
  if (user === 'unknown') return <>User {userId}</>;
  return (
    <>
      {user.name} <span class="muted">({user.email})</span>
    </>
  );
}

export function TokenDetailPage({ id }: { id: number }) {
  const { session } = useSession();
  const tokens = useTokens();
  const listed = tokens.tokens.find((token) => token.id === id);
  const [fetched, setFetched] = useState<ApiToken | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [attempt, setAttempt] = useState(0);
  const { itemsFor, dialog } = useTokenActions({ onChanged: setFetched, onDeleted: () => navigate(paths.tokens()) });
  const token = listed ?? fetched;

  useEffect(() => {
    if (listed) return;
    const controller = new AbortController();
    setError(undefined);
    session.client.token(id, { signal: controller.signal }).then(setFetched, (failure: unknown) => {
      if (!(failure instanceof DOMException)) setError(failure);
    });
    return () => controller.abort();
  }, [id, session, attempt, listed === undefined]);

  useEffect(() => {
    if (token) document.title = `${tokenName(token)} · API tokens · Admin console`;
  }, [token]);

  const back = (
    <p class="breadcrumb">
      <Link href={paths.tokens()}>Back to API tokens</Link>
    </p>
  );

  if (!token) {
    const notFound = error instanceof ApiError && error.kind === 'not-found';
    return (
      <>
        {back}
        <h1 id="page-heading" tabIndex={-1}>
          {notFound ? 'Token not found' : 'API token'}
        </h1>
        {notFound ? (
          <p>This token does not exist, or it was deleted.</p>
        ) : error !== undefined ? (
          <ErrorNotice error={error} onRetry={() => setAttempt((n) => n + 1)} />
        ) : (
          <p class="loading" role="status">
            Loading the token…
          </p>
        )}
      </>
    );
  }

  const name = tokenName(token);
  return (
    <>
      {back}
      <div class="page-header">
        <h1 id="page-heading" tabIndex={-1} class="break">
          {name}
        </h1>
        <OptionsMenu label={`Options for ${name}`} items={itemsFor(token)} text="Options" />
      </div>
      <dl class="details">
        <div>
          <dt>Token</dt>
          <dd class="mono">{token.visible_token}</dd>
        </div>
        <div>
          <dt>Description</dt>
          <dd class="break">{token.description ?? <span class="muted">No description</span>}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <span class={statusBadgeClass(token)}>{statusLabel(token)}</span>
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <DateTime iso={token.created_at} />
          </dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>{token.expires_at === undefined ? 'Never' : <DateTime iso={token.expires_at} />}</dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>{token.last_used === null ? 'Never' : <DateTime iso={token.last_used} />}</dd>
        </div>
        <div>
          <dt>Created by</dt>
          <dd>
            <UserName userId={token.user_id} />
          </dd>
        </div>
        <div>
          <dt>Assigned user</dt>
          <dd>
            {token.assigned_user_id === undefined ? (
              'None'
            ) : (
              <>
                <UserName userId={token.assigned_user_id} /> <span class="muted">(user ID {token.assigned_user_id})</span>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Role ceiling</dt>
          <dd>{token.max_role === undefined ? 'None' : roleLabel(token.max_role)}</dd>
        </div>
        <div>
          <dt>Allowed IP addresses</dt>
          <dd>
            {token.allowed_ips === undefined || token.allowed_ips.length === 0 ? (
              'Any'
            ) : (
              <ul class="ip-list mono">
                {token.allowed_ips.map((block) => (
                  <li key={block}>{block}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      {dialog}
    </>
  );
}
