// The admin console on the local stack: the built console (dist/admin-console/, scripts/console-build.ts)
// under /admin/, on the API's own origin, with the response headers CloudFront sends
// (shared/http/console-headers.ts). `/` redirects to the console; any path under /admin/ that names no file
// gets the console's index.html, so the console's own routes can be reloaded and shared. Everything else is
// left to the API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import {
  CONSOLE_IMMUTABLE_CACHE_CONTROL,
  CONSOLE_IMMUTABLE_PREFIX,
  CONSOLE_PATH,
  CONSOLE_REVALIDATED_CACHE_CONTROL,
  CONSOLE_SECURITY_HEADERS,
} from '../shared/http/console-headers';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Answers the console's requests; resolves false for a request that is the API's. */
export type ConsoleSite = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

function plain(response: ServerResponse, statusCode: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(statusCode, { ...CONSOLE_SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(text);
}

/** The file a console path names inside `root`, or undefined for a path that tries to leave it. */
function fileOf(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname.slice(CONSOLE_PATH.length));
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = normalize(join(root, decoded));
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((stats) => stats.isFile(), () => false);
}

/** Serves the console built in `root` (an absolute directory). */
export function consoleSite(root: string): ConsoleSite {
  const base = normalize(root);
  return async (request, response) => {
    const pathname = (request.url ?? '/').split('?')[0]!;
    if (pathname === '/' || pathname === CONSOLE_PATH.slice(0, -1)) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      plain(response, 302, `See ${CONSOLE_PATH}\n`, { Location: CONSOLE_PATH });
      return true;
    }
    if (!pathname.startsWith(CONSOLE_PATH)) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      plain(response, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
      return true;
    }
    const named = fileOf(base, pathname);
    if (named === undefined) {
      plain(response, 400, 'Bad Request\n');
      return true;
    }
    // A path with an extension names a file; one without is a route of the console itself.
    const file = extname(named) === '' || pathname.endsWith('/') ? join(base, 'index.html') : named;
    if (!(await isFile(file))) {
      const missingBuild = file.endsWith('index.html');
      plain(response, 404, missingBuild ? 'The admin console is not built: run npm run build\n' : 'Not Found\n');
      return true;
    }
    const body = await readFile(file);
    response.writeHead(200, {
      ...CONSOLE_SECURITY_HEADERS,
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': String(body.length),
      'Cache-Control': pathname.startsWith(CONSOLE_IMMUTABLE_PREFIX) ? CONSOLE_IMMUTABLE_CACHE_CONTROL : CONSOLE_REVALIDATED_CACHE_CONTROL,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
    return true;
  };
}
