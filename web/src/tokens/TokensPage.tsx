// The API tokens page: the count against the limit, Add API token, a text and status filter, and the
// table (sortable by Created and Last used). Built for a legacy account's 2,048 tokens: the filtered and
// sorted list is memoized, the filter applies a moment after typing stops, rows re-render only when
// their token changes, and a long list is rendered in chunks so the page stays responsive.
import { Component } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiToken } from '../api/types';
import { useSession } from '../app-context';
import { dateTime } from '../components/DateTime';
import { ErrorNotice } from '../components/ErrorNotice';
import { TableRegion } from '../components/TableRegion';
import { Menu, menuButton, type MenuItem } from '../components/OptionsMenu';
import { isExpired, statusBadgeClass, statusLabel, tokenName } from '../format';
import { followLink, navigate, paths } from '../router';
import { useTokens } from '../tokens-store';
import { AddTokenDialog } from './AddTokenDialog';
import { useTokenActions } from './token-actions';

type StatusFilter = 'all' | 'active' | 'expired' | 'deactivated';
type SortKey = 'created_at' | 'last_used';
type SortDirection = 'ascending' | 'descending';
interface Sort {
  key: SortKey;
  direction: SortDirection;
}

const FIRST_CHUNK = 100;
const MIN_CHUNK = 50;
const MAX_CHUNK = 800;
const QUICK_CHUNK_MS = 25;
const SLOW_CHUNK_MS = 60;
/** Short lists filter on every keystroke; long ones once typing pauses. */
const FILTER_DELAY_MS = 150;

interface RowProps {
  token: ApiToken;
  items: (token: ApiToken) => MenuItem[];
  /** Changes when what the menu offers changes for every row (the plan, the session). */
  menuKey: string;
  menuOpen: boolean;
  onMenu: (id: number | null) => void;
}

const statusOf = (token: ApiToken, now: number): Exclude<StatusFilter, 'all'> =>
  !token.active ? 'deactivated' : isExpired(token, now) ? 'expired' : 'active';

function openFromRow(event: MouseEvent, token: ApiToken): void {
  const target = event.target as Element | null;
  if (target?.closest('a, button, input, select, [role="menu"]')) return;
  if (window.getSelection()?.toString()) return; // selecting text is not a click on the row
  navigate(paths.token(token.id));
}

/**
 * One token's row; re-renders only when its token, its menu or the menu's shape changes. It holds no
 * state and no component per cell, which keeps 2,048 rows cheap to render.
 */
class TokenRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    return next.token !== this.props.token || next.menuKey !== this.props.menuKey || next.menuOpen !== this.props.menuOpen;
  }

  override render({ token, items, menuOpen, onMenu }: RowProps) {
    const name = tokenName(token);
    const hasDescription = name !== token.visible_token;
    const href = paths.token(token.id);
    const buttonId = `options-${token.id}`;
    const label = `Options for ${name}`;
    return (
      <tr class="row-link" onClick={(event) => openFromRow(event, token)}>
        <td class="cell-description">
          {hasDescription ? (
            <a href={href} onClick={followLink}>
              {token.description}
            </a>
          ) : (
            <span class="muted">No description</span>
          )}
        </td>
        <td class="mono cell-token">
          {hasDescription ? (
            token.visible_token
          ) : (
            <a href={href} onClick={followLink}>
              {token.visible_token}
            </a>
          )}
        </td>
        <td>
          <span class={statusBadgeClass(token)}>{statusLabel(token)}</span>
        </td>
        <td>{dateTime(token.created_at)}</td>
        <td>{token.last_used === null ? 'Never' : dateTime(token.last_used)}</td>
        <td>{token.expires_at === undefined ? 'Never' : dateTime(token.expires_at)}</td>
        <td class="cell-options">
          {menuButton({ id: buttonId, label, open: menuOpen, onOpenChange: (open) => onMenu(open ? token.id : null) })}
          {menuOpen && <Menu buttonId={buttonId} label={label} items={items(token)} onClose={() => onMenu(null)} />}
        </td>
      </tr>
    );
  }
}

function compareTokens({ key, direction }: Sort): (a: ApiToken, b: ApiToken) => number {
  const sign = direction === 'ascending' ? 1 : -1;
  return (a, b) => {
    const left = a[key];
    const right = b[key];
    // Never used sorts as the oldest.
    const order = left === right ? 0 : left === null ? -1 : right === null ? 1 : left < right ? -1 : 1;
    return (order || a.id - b.id) * sign;
  };
}

function SortHeader({ label, sortKey, sort, onSort }: { label: string; sortKey: SortKey; sort: Sort; onSort: (key: SortKey) => void }) {
  const active = sort.key === sortKey;
  return (
    <th scope="col" aria-sort={active ? sort.direction : 'none'}>
      <button type="button" class="sort-button" onClick={() => onSort(sortKey)}>
        {label}
        <svg aria-hidden="true" class={`sort-icon${active ? ` sort-${sort.direction}` : ''}`} viewBox="0 0 10 14" width="10" height="14" focusable="false">
          <path d="M5 1 9 6H1z" class="sort-up" />
          <path d="M5 13 1 8h8z" class="sort-down" />
        </svg>
      </button>
    </th>
  );
}

/**
 * How many of `length` rows to render: a first chunk at once, then more on each frame, as many as fit in
 * about a frame's budget on this machine (the chunk doubles while rendering is quick, halves when slow).
 */
function useProgressiveCount(length: number, resetKey: unknown): number {
  const [count, setCount] = useState(FIRST_CHUNK);
  const chunk = useRef(FIRST_CHUNK);
  const requestedAt = useRef(0);
  useEffect(() => setCount(FIRST_CHUNK), [resetKey]);
  useEffect(() => {
    if (requestedAt.current > 0) {
      const took = performance.now() - requestedAt.current;
      chunk.current = took > SLOW_CHUNK_MS ? Math.max(MIN_CHUNK, chunk.current / 2) : took < QUICK_CHUNK_MS ? Math.min(MAX_CHUNK, chunk.current * 2) : chunk.current;
      requestedAt.current = 0;
    }
    if (count >= length) return;
    const frame = requestAnimationFrame(() => {
      requestedAt.current = performance.now();
      setCount((shown) => shown + chunk.current);
    });
    return () => cancelAnimationFrame(frame);
  }, [count, length]);
  return Math.min(count, length);
}

export function TokensPage() {
  const { session } = useSession();
  const tokens = useTokens();
  const { itemsFor, dialog } = useTokenActions();
  const [adding, setAdding] = useState(false);
  const [menuFor, setMenuFor] = useState<number | null>(null);
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<StatusFilter>('all');
  const [sort, setSort] = useState<Sort>({ key: 'created_at', direction: 'descending' });

  useEffect(() => tokens.load(), [tokens.load]);

  useEffect(() => {
    const next = text.trim().toLowerCase();
    if (tokens.tokens.length <= FIRST_CHUNK || next === '') {
      setQuery(next);
      return;
    }
    const timer = window.setTimeout(() => setQuery(next), FILTER_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [text, tokens.tokens.length]);

  const searchable = useMemo(() => tokens.tokens.map((token) => ({ token, text: `${token.description ?? ''}\n${token.visible_token}`.toLowerCase() })), [tokens.tokens]);
  const visible = useMemo(() => {
    const now = Date.now();
    const matching = searchable
      .filter((entry) => (status === 'all' || statusOf(entry.token, now) === status) && (query === '' || entry.text.includes(query)))
      .map((entry) => entry.token);
    return matching.sort(compareTokens(sort));
  }, [searchable, query, status, sort]);
  const shown = useProgressiveCount(visible.length, `${query}|${status}|${sort.key}|${sort.direction}`);

  const onSort = (key: SortKey) =>
    setSort((previous) => ({ key, direction: previous.key === key && previous.direction === 'descending' ? 'ascending' : 'descending' }));

  const atLimit = tokens.status === 'ready' && tokens.count >= tokens.limit;
  const filtered = query !== '' || status !== 'all';
  // The items close over the session's plan; rows re-render their menus when that changes.
  const menuKey = session.auditLog;

  return (
    <>
      <div class="page-header">
        <h1 id="page-heading" tabIndex={-1}>
          API tokens
        </h1>
        <button type="button" class="button button-primary" disabled={tokens.status !== 'ready' || atLimit} aria-describedby={atLimit ? 'limit-note' : undefined} onClick={() => setAdding(true)}>
          Add API token
        </button>
      </div>
      {tokens.status === 'ready' && (
        <p class="token-count">
          {tokens.count} of {tokens.limit} tokens
        </p>
      )}
      {atLimit && (
        <p id="limit-note" class="notice notice-warning">
          The account has reached its limit of {tokens.limit} tokens. An existing token must be deleted to add a new one.
        </p>
      )}
      {(tokens.status === 'loading' || tokens.status === 'idle') && (
        <p class="loading" role="status">
          Loading API tokens…
        </p>
      )}
      {tokens.status === 'error' && <ErrorNotice error={tokens.error} onRetry={() => tokens.load(true)} />}
      {tokens.status === 'ready' && tokens.tokens.length === 0 && (
        <div class="empty">
          <p class="empty-title">No API tokens yet</p>
          <p>Add a token to let a script or an integration call the API as a user of this account.</p>
        </div>
      )}
      {tokens.status === 'ready' && tokens.tokens.length > 0 && (
        <>
          <form class="filters" role="search" aria-label="Filter API tokens" onSubmit={(event) => event.preventDefault()}>
            <div class="field">
              <label for="token-filter">Filter tokens</label>
              <input id="token-filter" class="input" type="search" value={text} placeholder="Description or token" autocomplete="off" onInput={(event) => setText(event.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="status-filter">Status</label>
              <select id="status-filter" class="input" value={status} onChange={(event) => setStatus(event.currentTarget.value as StatusFilter)}>
                <option value="all">All</option>
                <option value="active">Active</option>
                <option value="expired">Expired</option>
                <option value="deactivated">Deactivated</option>
              </select>
            </div>
          </form>
          <p class="result-count" role="status">
            {filtered ? `${visible.length} of ${tokens.tokens.length} tokens match` : ''}
          </p>
          {visible.length === 0 ? (
            <p class="empty">No tokens match the filter.</p>
          ) : (
            <TableRegion label="API tokens table" class="table-tokens">
              <colgroup>
                <col class="col-description" />
                <col class="col-token" />
                <col class="col-status" />
                <col class="col-date" />
                <col class="col-date" />
                <col class="col-date" />
                <col class="col-options" />
              </colgroup>
              <thead>
                <tr>
                  <th scope="col">Description</th>
                  <th scope="col">Token</th>
                  <th scope="col">Status</th>
                  <SortHeader label="Created" sortKey="created_at" sort={sort} onSort={onSort} />
                  <SortHeader label="Last used" sortKey="last_used" sort={sort} onSort={onSort} />
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span class="visually-hidden">Options</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {visible.slice(0, shown).map((token) => (
                  <TokenRow key={token.id} token={token} items={itemsFor} menuKey={menuKey} menuOpen={menuFor === token.id} onMenu={setMenuFor} />
                ))}
              </tbody>
            </TableRegion>
          )}
          {shown < visible.length && (
            <p class="loading" role="status">
              Showing {shown} of {visible.length} tokens…
            </p>
          )}
        </>
      )}
      {adding && <AddTokenDialog onClose={() => setAdding(false)} />}
      {dialog}
    </>
  );
}
