// Client-side routes under /admin/ with the History API. The server answers index.html for every
// extension-less path under /admin/, so each route can be reloaded and shared. Only page state goes into
// the URL (the audit log's filters and cursor); credentials and created tokens never do.
import { useEffect, useState } from 'preact/hooks';

export const BASE_PATH = '/admin/';

export type Route =
  | { page: 'tokens' }
  | { page: 'token'; id: number }
  | { page: 'audit-log' }
  | { page: 'settings' }
  | { page: 'not-found' };

export const paths = {
  tokens: () => BASE_PATH,
  token: (id: number) => `${BASE_PATH}api-tokens/${id}`,
  auditLog: (query?: URLSearchParams) => `${BASE_PATH}audit-log${query && [...query.keys()].length > 0 ? `?${query}` : ''}`,
  settings: () => `${BASE_PATH}settings`,
};

export function routeOf(pathname: string): Route {
  const path = pathname.startsWith(BASE_PATH) ? pathname.slice(BASE_PATH.length).replace(/\/+$/, '') : undefined;
  if (path === undefined) return { page: 'not-found' };
  if (path === '' || path === 'api-tokens') return { page: 'tokens' };
  if (path === 'audit-log') return { page: 'audit-log' };
  if (path === 'settings') return { page: 'settings' };
  const token = /^api-tokens\/([1-9][0-9]{0,15})$/.exec(path);
  if (token) return { page: 'token', id: Number(token[1]) };
  return { page: 'not-found' };
}

export interface Location {
  pathname: string;
  search: string;
}

const listeners = new Set<() => void>();
const current = (): Location => ({ pathname: window.location.pathname, search: window.location.search });

window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (to === `${window.location.pathname}${window.location.search}`) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  listeners.forEach((listener) => listener());
}

/** The current location; re-renders the caller on every navigation. */
export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    return () => listeners.delete(update);
  }, []);
  return location;
}

/** Lets a plain click on a same-origin link navigate in the page; modified clicks keep the browser's behaviour. */
export function followLink(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.currentTarget as HTMLAnchorElement | null) ?? undefined;
  if (!anchor || anchor.origin !== window.location.origin) return;
  event.preventDefault();
  navigate(`${anchor.pathname}${anchor.search}`);
}
