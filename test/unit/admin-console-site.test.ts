// The local server's admin console (local/admin-console.ts) over a real socket: `/` redirects to the
// console, its routes get index.html, hashed assets are cached for good, nothing outside the build is
// reachable, only GET and HEAD are answered, every answer carries the console's security headers, and
// anything else is left to the API.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleSite } from '../../local/admin-console';
import { CONSOLE_SECURITY_HEADERS } from '../../shared/http/console-headers';

const INDEX = '<!doctype html><title>console</title>';
const SCRIPT = 'console.log("app")';
let root: string;
let server: Server;
let base: string;

beforeAll(async () => {
  const parent = mkdtempSync(join(tmpdir(), 'console-site-'));
  root = join(parent, 'admin-console');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'index-abc123.js'), SCRIPT);
  // Beside the build, where a path escaping it would land.
  writeFileSync(join(parent, 'secret.txt'), 'not for the browser');
  const site = consoleSite(root);
  server = createServer((request, response) => {
    void site(request, response).then((handled) => {
      if (!handled) response.writeHead(418).end('api');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  rmSync(join(root, '..'), { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(`${base}${path}`, { redirect: 'manual', ...init });

function expectSecurityHeaders(response: Response): void {
  for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS)) expect(response.headers.get(name)).toBe(value);
}

test.each(['/', '/admin'])('%s redirects to /admin/', async (path) => {
  const response = await get(path);
  expect(response.status).toBe(302);
  expect(response.headers.get('location')).toBe('/admin/');
  expectSecurityHeaders(response);
});

test.each(['/admin/', '/admin/api-tokens/12', '/admin/audit-log?filter[source_id]=12', '/admin/settings/'])(
  '%s is the console: index.html, revalidated, with the security headers',
  async (path) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expectSecurityHeaders(response);
    expect(await response.text()).toBe(INDEX);
  },
);

test('hashed assets are served as they are and cached for good', async () => {
  const response = await get('/admin/assets/index-abc123.js');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expectSecurityHeaders(response);
  expect(await response.text()).toBe(SCRIPT);
});

test('a missing file is a 404, not the console', async () => {
  const response = await get('/admin/assets/missing.js');
  expect(response.status).toBe(404);
  expect(await response.text()).toBe('Not Found\n');
});

/** A GET with the path exactly as given: fetch would resolve dot segments before sending. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const request = httpRequest(`${base}/`, { path, method: 'GET' }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => done({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', fail);
    request.end();
  });
}

test.each(['/admin/../secret.txt', '/admin/assets/../../secret.txt', '/admin/%2e%2e/secret.txt', '/admin/..%2fsecret.txt', '/admin/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/admin/%00.js', '/admin/%E0%A4%A.js'])(
  '%s never reaches outside the build',
  async (path) => {
    const response = await rawGet(path);
    expect([400, 404]).toContain(response.status);
    expect(response.body).not.toContain('not for the browser');
  },
);

test('HEAD answers the headers without a body; other methods are a 405', async () => {
  const head = await get('/admin/', { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(head.headers.get('content-length')).toBe(String(INDEX.length));
  expect(await head.text()).toBe('');
  const post = await get('/admin/', { method: 'POST', body: '{}' });
  expect(post.status).toBe(405);
  expect(post.headers.get('allow')).toBe('GET, HEAD');
});

test.each(['/api/v2/users/me.json', '/administrator', '/adminx/'])('%s is left to the API', async (path) => {
  const response = await get(path);
  expect(response.status).toBe(418);
});

test('a console that was never built says how to build it', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'console-unbuilt-'));
  const site = consoleSite(empty);
  const unbuilt = createServer((request, response) => void site(request, response));
  await new Promise<void>((done) => unbuilt.listen(0, '127.0.0.1', done));
  try {
    const response = await fetch(`http://127.0.0.1:${(unbuilt.address() as AddressInfo).port}/admin/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('The admin console is not built: run npm run build\n');
  } finally {
    await new Promise((done) => unbuilt.close(done));
    rmSync(empty, { recursive: true, force: true });
  }
});
