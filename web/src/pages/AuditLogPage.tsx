// The audit log (Enterprise plans): newest first, filtered by token, action, actor and time range, in
// cursor pages ("Newer" / "Older"). The filters and the cursor live in the console's URL
// (`/admin/audit-log?token=…&action=…&actor=…&from=…&to=…&after=…`), so a view can be shared and
// reloaded; the API's query is built from them, and pages from `meta`'s cursors, never from its links.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { AuditAction, AuditLogEntry, AuditLogList } from '../api/types';
import { useSession } from '../app-context';
import { DateTime } from '../components/DateTime';
import { ErrorNotice } from '../components/ErrorNotice';
import { TableRegion } from '../components/TableRegion';
import { tokenName } from '../format';
import { navigate, paths, useLocation } from '../router';
import { useTokens } from '../tokens-store';

const PAGE_SIZE = '50';
/** A filtered page may come back empty while older entries match (the API reads a window at a time). */
const MAX_EMPTY_PAGES_FOLLOWED = 10;
const EARLIEST = '1970-01-01T00:00:00Z';
const LATEST = '9999-12-31T23:59:59Z';

const ACTIONS: { value: AuditAction; label: string }[] = [
  { value: 'create', label: 'Create' },
  { value: 'update', label: 'Update' },
  { value: 'destroy', label: 'Delete' },
];

/** The actors that are not users (the service's audit log names them so), offered beside typing a user ID. */
const SYSTEM_ACTORS = [
  { id: '-1', name: 'Operator' },
  { id: '-2', name: 'Secret scanning' },
  { id: '-3', name: 'Token sweep' },
];
const ACTOR_ID = new RegExp(`^(${SYSTEM_ACTORS.map((actor) => actor.id).join('|')}|[1-9][0-9]{0,15})$`);

const SOURCE_TYPE_LABELS: Record<AuditLogEntry['source_type'], string> = {
  api_token: 'API token',
  account_settings: 'Account settings',
  account: 'Account',
  user: 'User',
};

interface Filters {
  token: string;
  action: string;
  actor: string;
  /** ISO-8601 UTC instants, or empty. */
  from: string;
  to: string;
}

interface Cursor {
  after?: string;
  before?: string;
}

function filtersOf(search: URLSearchParams): Filters {
  return {
    token: search.get('token') ?? '',
    action: search.get('action') ?? '',
    actor: search.get('actor') ?? '',
    from: search.get('from') ?? '',
    to: search.get('to') ?? '',
  };
}

function consoleQuery(filters: Filters, cursor: Cursor = {}): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filters, ...cursor })) if (value) query.set(name, value);
  return query;
}

function apiQuery(filters: Filters, cursor: Cursor): URLSearchParams {
  const query = new URLSearchParams({ 'page[size]': PAGE_SIZE });
  if (filters.token) {
    query.set('filter[source_type]', 'api_token');
    query.set('filter[source_id]', filters.token);
  }
  if (filters.action) query.set('filter[action]', filters.action);
  if (filters.actor) query.set('filter[actor_id]', filters.actor);
  if (filters.from || filters.to) {
    query.append('filter[created_at][]', filters.from || EARLIEST);
    query.append('filter[created_at][]', filters.to || LATEST);
  }
  if (cursor.after) query.set('page[after]', cursor.after);
  else if (cursor.before) query.set('page[before]', cursor.before);
  return query;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as a `datetime-local` value, in the browser's time zone. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value as an ISO instant (the API's format, without milliseconds). */
function fromLocalInput(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

type Load =
  | { status: 'loading' }
  | { status: 'ready'; page: AuditLogList }
  | { status: 'needs-enterprise'; message: string }
  | { status: 'error'; error: unknown };

interface Draft {
  token: string;
  action: string;
  actor: string;
  from: string;
  to: string;
}

const draftOf = (filters: Filters): Draft => ({ ...filters, from: filters.from && toLocalInput(filters.from), to: filters.to && toLocalInput(filters.to) });

function FilterForm({ filters, onApply }: { filters: Filters; onApply: (filters: Filters) => void }) {
  const tokens = useTokens();
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  const [problems, setProblems] = useState<Partial<Record<'actor' | 'to', string>>>({});
  useEffect(() => {
    setDraft(draftOf(filters));
    setProblems({});
  }, [filters.token, filters.action, filters.actor, filters.from, filters.to]);
  useEffect(() => tokens.load(), [tokens.load]);

  const options = useMemo(
    () => [...tokens.tokens].sort((a, b) => tokenName(a).localeCompare(tokenName(b))).map((token) => ({ value: String(token.id), label: `${tokenName(token)} (${token.visible_token})` })),
    [tokens.tokens],
  );
  const unlisted = draft.token && !options.some((option) => option.value === draft.token) ? draft.token : undefined;
  const set = (name: keyof Draft) => (event: Event) => setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value });

  const submit = (event: Event) => {
    event.preventDefault();
    const actor = draft.actor.trim();
    const from = draft.from ? fromLocalInput(draft.from) : '';
    const to = draft.to ? fromLocalInput(draft.to) : '';
    const found: typeof problems = {};
    if (actor !== '' && !ACTOR_ID.test(actor)) found.actor = 'Enter a user ID (a whole number), or -1 (Operator), -2 (Secret scanning) or -3 (Token sweep).';
    if (from && to && from > to) found.to = 'The end of the time range must not be before its start.';
    setProblems(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(found.actor ? 'audit-actor' : 'audit-to')?.focus();
      return;
    }
    onApply({ token: draft.token, action: draft.action, actor, from, to });
  };

  return (
    <form class="filters filters-audit" role="search" aria-label="Filter the audit log" onSubmit={submit} noValidate>
      <div class="field">
        <label for="audit-token">Token</label>
        <select id="audit-token" class="input" value={draft.token} onChange={set('token')}>
          <option value="">All tokens</option>
          {unlisted && <option value={unlisted}>Token {unlisted}</option>}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="audit-action">Action</label>
        <select id="audit-action" class="input" value={draft.action} onChange={set('action')}>
          <option value="">All actions</option>
          {ACTIONS.map((action) => (
            <option key={action.value} value={action.value}>
              {action.label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="audit-actor">Actor ID</label>
        <input
          id="audit-actor"
          class="input"
          type="text"
          inputMode="numeric"
          autocomplete="off"
          value={draft.actor}
          onInput={set('actor')}
          aria-invalid={problems.actor ? 'true' : undefined}
          aria-describedby={problems.actor ? 'audit-actor-hint audit-actor-error' : 'audit-actor-hint'}
          list="audit-system-actors"
        />
        <datalist id="audit-system-actors">
          {SYSTEM_ACTORS.map((actor) => (
            <option key={actor.id} value={actor.id} label={actor.name} />
          ))}
        </datalist>
        <p id="audit-actor-hint" class="field-hint">
          A user ID; -1 Operator, -2 Secret scanning, -3 Token sweep.
        </p>
        {problems.actor && (
          <p id="audit-actor-error" class="field-error">
            {problems.actor}
          </p>
        )}
      </div>
      <div class="field">
        <label for="audit-from">From</label>
        <input id="audit-from" class="input" type="datetime-local" value={draft.from} onInput={set('from')} />
      </div>
      <div class="field">
        <label for="audit-to">To</label>
        <input
          id="audit-to"
          class="input"
          type="datetime-local"
          value={draft.to}
          onInput={set('to')}
          aria-invalid={problems.to ? 'true' : undefined}
          aria-describedby={problems.to ? 'audit-to-error' : undefined}
        />
        {problems.to && (
          <p id="audit-to-error" class="field-error">
            {problems.to}
          </p>
        )}
      </div>
      <div class="filter-actions">
        <button type="submit" class="button button-primary">
          Apply filters
        </button>
        <button type="button" class="button" onClick={() => onApply({ token: '', action: '', actor: '', from: '', to: '' })}>
          Clear filters
        </button>
      </div>
    </form>
  );
}

function EntryRow({ entry, tokenLabel }: { entry: AuditLogEntry; tokenLabel: (id: number) => string }) {
  return (
    <tr>
      <td class="nowrap">
        <DateTime iso={entry.created_at} />
      </td>
      <td>
        {entry.actor_name}
        {entry.actor_api_token_id !== null && <span class="cell-note">with {tokenLabel(entry.actor_api_token_id)}</span>}
      </td>
      <td>{entry.action_label}</td>
      <td class="break">
        {entry.source_label}
        <span class="cell-note">{SOURCE_TYPE_LABELS[entry.source_type]}</span>
      </td>
      <td class="break cell-change">{entry.change_description}</td>
      <td class="mono">{entry.ip_address ?? <span class="muted">Not recorded</span>}</td>
    </tr>
  );
}

export function AuditLogPage() {
  const { session } = useSession();
  const tokens = useTokens();
  const location = useLocation();
  const search = useMemo(() => new URLSearchParams(location.search), [location.search]);
  const filters = useMemo(() => filtersOf(search), [search]);
  const cursor: Cursor = { after: search.get('after') ?? undefined, before: search.get('before') ?? undefined };
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (session.auditLog === 'needs-enterprise') {
      setLoad({ status: 'needs-enterprise', message: '' });
      return;
    }
    const controller = new AbortController();
    setLoad({ status: 'loading' });
    (async () => {
      let page = await session.client.auditLogs(apiQuery(filters, cursor), { signal: controller.signal });
      // Follow empty pages that say more may match, in the direction travelled.
      for (let hops = 0; page.audit_logs.length === 0 && page.meta.has_more && hops < MAX_EMPTY_PAGES_FOLLOWED; hops++) {
        const next: Cursor = cursor.before ? { before: page.meta.before_cursor ?? undefined } : { after: page.meta.after_cursor ?? undefined };
        if (!next.after && !next.before) break;
        page = await session.client.auditLogs(apiQuery(filters, next), { signal: controller.signal });
      }
      setLoad({ status: 'ready', page });
    })().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      if (error instanceof ApiError && error.kind === 'forbidden') setLoad({ status: 'needs-enterprise', message: error.message });
      else setLoad({ status: 'error', error });
    });
    return () => controller.abort();
  }, [location.search, session, attempt]);

  const tokenById = useMemo(() => new Map(tokens.tokens.map((token) => [token.id, token])), [tokens.tokens]);
  const tokenLabel = (id: number) => {
    const token = tokenById.get(id);
    return token ? tokenName(token) : `token ${id}`;
  };
  const filteredToken = filters.token ? tokenById.get(Number(filters.token)) : undefined;

  const apply = (next: Filters) => navigate(paths.auditLog(consoleQuery(next)));
  const go = (to: Cursor) => navigate(paths.auditLog(consoleQuery(filters, to)));

  if (load.status === 'needs-enterprise') {
    return (
      <>
        <h1 id="page-heading" tabIndex={-1}>
          Audit log
        </h1>
        <div class="notice notice-warning">
          <p>The audit log needs an Enterprise plan. Changes are recorded on every plan, so they appear here after an upgrade.</p>
        </div>
      </>
    );
  }

  const page = load.status === 'ready' ? load.page : undefined;
  const hasNewer = page?.links.prev != null && page.meta.before_cursor !== null;
  const hasOlder = page?.links.next != null && page.meta.after_cursor !== null;

  return (
    <>
      <h1 id="page-heading" tabIndex={-1}>
        Audit log
      </h1>
      {filters.token && (
        <p class="muted">
          Changes to <strong>{filteredToken ? tokenName(filteredToken) : `token ${filters.token}`}</strong>
        </p>
      )}
      <FilterForm filters={filters} onApply={apply} />
      {load.status === 'loading' && (
        <p class="loading" role="status">
          Loading the audit log…
        </p>
      )}
      {load.status === 'error' && <ErrorNotice error={load.error} onRetry={() => setAttempt((n) => n + 1)} />}
      {page && page.audit_logs.length === 0 && <p class="empty">No audit log entries match.</p>}
      {page && page.audit_logs.length > 0 && (
        <TableRegion label="Audit log entries" class="table-audit">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Item</th>
              <th scope="col">Change</th>
              <th scope="col">IP address</th>
            </tr>
          </thead>
          <tbody>
            {page.audit_logs.map((entry) => (
              <EntryRow key={entry.id} entry={entry} tokenLabel={tokenLabel} />
            ))}
          </tbody>
        </TableRegion>
      )}
      {page && (
        <nav class="pager" aria-label="Audit log pages">
          <button type="button" class="button" disabled={!hasNewer} onClick={() => go({ before: page.meta.before_cursor ?? undefined })}>
            Newer
          </button>
          <button type="button" class="button" disabled={!hasOlder} onClick={() => go({ after: page.meta.after_cursor ?? undefined })}>
            Older
          </button>
        </nav>
      )}
    </>
  );
}
