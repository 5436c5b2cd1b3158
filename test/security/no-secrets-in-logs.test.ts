// No secret in logs: every byte of log output produced while an API scenario runs — process.stdout and
// process.stderr writes (Powertools Logger and Metrics write there), console.*, and the emulator's log lines —
// is captured with the logger at DEBUG and metrics enabled, through a scenario that creates tokens, uses
// them, fails authentication with wrong tokens in every shape, deactivates, reactivates, deletes, turns the
// kill switch, and hits 400/403/404/413/422, 500 and 503 paths (an unhandled handler error, an authorizer error,
// a failed last_used write). No full token, no secret (the 30 characters after the third `_`, nor any 8
// characters of it), no Authorization header value and no base64 payload of one appears in that output.
// A control test shows that the capture and the check do catch a secret written through the logger.

// First: log everything and emit metrics, before the product modules below create the logger and metrics.
import { previousLogEnvironment } from './debug-logging';
import * as api from '../support/api-stack';
import { logger } from '../../shared/platform/logger';
import * as services from '../../shared/runtime/services';
import { getAuthorizationServices } from '../../shared/runtime/authorizer-services';
import * as tokenFormat from '../../shared/domain/token-format';
import { ServiceUnavailableError } from '../../shared/domain/errors';

let stack: api.ApiStack;

beforeAll(async () => {
  stack = await api.startApiStack();
});

afterAll(async () => {
  await stack.close();
  for (const [name, value] of Object.entries(previousLogEnvironment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

// ---- capturing all output -----------------------------------------------------------------------

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** Starts capturing everything written to stdout, stderr and console; returns the function that stops it. */
function captureOutput(into: string[]): () => void {
  const restore: (() => void)[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    const capture = (chunk: unknown, ...rest: unknown[]): boolean => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const callback = rest.find((argument): argument is () => void => typeof argument === 'function');
      if (callback) process.nextTick(callback);
      return true;
    };
    stream.write = capture as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
  for (const method of CONSOLE_METHODS) {
    const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      into.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
    });
    restore.push(() => spy.mockRestore());
  }
  return () => restore.forEach((undo) => undo());
}

/** What must never be logged, with a label for the failure message. */
interface Secret {
  label: string;
  value: string;
}

/** A token's forbidden forms: the whole token, its secret, and every 8-character piece of the secret. */
function secretsOfToken(label: string, token: string): Secret[] {
  const secret = token.split('_')[3]?.slice(0, 30) ?? '';
  const pieces: Secret[] = [{ label: `${label} (full token)`, value: token }];
  if (secret.length === 30) {
    pieces.push({ label: `${label} (secret)`, value: secret });
    for (let at = 0; at + 8 <= secret.length; at += 1) pieces.push({ label: `${label} (secret[${at}..${at + 8}])`, value: secret.slice(at, at + 8) });
  }
  return pieces;
}

/** An Authorization value's forbidden forms: the value and, for Basic, its base64 payload. */
function secretsOfHeader(label: string, header: string): Secret[] {
  const pieces: Secret[] = [{ label: `${label} (Authorization value)`, value: header }];
  const payload = /^Basic (.+)$/i.exec(header)?.[1];
  if (payload !== undefined && payload.length >= 8) pieces.push({ label: `${label} (base64 payload)`, value: payload });
  return pieces;
}

/** Everything in the output that is a secret, or looks like a token or a Basic credential. */
function leaksIn(output: string, secrets: Secret[]): string[] {
  const leaks = secrets.filter(({ value }) => output.includes(value)).map(({ label, value }) => `${label}: ${value}`);
  for (const pattern of [/apit_[a-z0-9]{3,32}_[0-9]{1,16}_[0-9A-Za-z]{8,}/g, /Basic [A-Za-z0-9+/]{16,}={0,2}/gi]) {
    for (const match of output.matchAll(pattern)) leaks.push(`looks like a credential: ${match[0]}`);
  }
  return [...new Set(leaks)];
}

// ---- the tests ----------------------------------------------------------------------------------

test('control: the capture sees what the logger, console and emulator write, and the check reports it', async () => {
  const output: string[] = [];
  const { token } = tokenFormat.generateToken('control', 42);
  const header = api.basicAuth('someone@control.test', token);
  const stop = captureOutput(output);
  try {
    logger.debug('control debug', { value: token.split('_')[3]!.slice(5, 20) });
    logger.info('control info', { header });
    console.log(`control console ${token}`);
  } finally {
    stop();
  }
  const text = output.join('\n');
  expect(text).toContain('control debug');
  expect(text).toContain('control info');
  expect(text).toContain('control console');
  const leaks = leaksIn(text, [...secretsOfToken('control token', token), ...secretsOfHeader('control header', header)]);
  expect(leaks).toEqual(expect.arrayContaining([expect.stringContaining('control token (full token)'), expect.stringContaining('control header (Authorization value)')]));
  expect(leaks.some((leak) => leak.includes('(secret['))).toBe(true);
});

test('no token, secret or Authorization value appears in any log output of a full API scenario', async () => {
  const output: string[] = [];
  const secrets: Secret[] = [];
  const { request, basicAuth, provisionAccount, addUser, createToken, OPERATOR } = api;
  const logLinesBefore = stack.log.length;
  const statuses: number[] = [];

  /** Calls the API with an Authorization value, remembering the value as a secret. */
  const call = async (label: string, method: string, path: string, authorization: string | undefined, body?: unknown) => {
    if (authorization !== undefined) secrets.push(...secretsOfHeader(label, authorization));
    const response = await request<Record<string, unknown>>(stack, method, path, {
      headers: authorization === undefined ? {} : { Authorization: authorization },
      body,
    });
    statuses.push(response.status);
    return response;
  };
  const remember = (label: string, token: string) => {
    secrets.push(...secretsOfToken(label, token));
    return token;
  };

  const stop = captureOutput(output);
  try {
    // Provisioning (operator), then tokens created through the API.
    const account = await provisionAccount(stack, 'logs');
    remember('operator token', account.token);
    await addUser(stack, 'logs', 'agent@logs.test', 'agent');
    const admin = (token: string) => basicAuth(account.admin.email, token);
    const adminAuth = admin(account.token);
    secrets.push(...secretsOfHeader('admin', adminAuth));

    const created = await call('create', 'POST', '/api/v2/api_tokens.json', adminAuth, { api_token: { description: 'CI' } });
    expect(created.status).toBe(201);
    const apiToken = created.json.api_token as { id: number; token: string };
    const first = remember('API token', apiToken.token);
    const second = await call('create 2', 'POST', '/api/v2/api_tokens', adminAuth);
    const secondToken = second.json.api_token as { id: number; token: string };
    remember('second API token', secondToken.token);

    // Using them, as the admin and as the agent.
    expect((await call('me', 'GET', '/api/v2/users/me.json', admin(first))).status).toBe(200);
    expect((await call('agent me', 'GET', '/api/v2/users/me', basicAuth('agent@logs.test', first))).status).toBe(200);
    expect((await call('list', 'GET', '/api/v2/api_tokens.json?page[size]=1', admin(first))).status).toBe(200);
    expect((await call('show', 'GET', `/api/v2/api_tokens/${secondToken.id}.json`, admin(secondToken.token))).status).toBe(200);
    expect((await call('audit', 'GET', '/api/v2/audit_logs.json', admin(first))).status).toBe(200);

    // Failed authentication, in every shape a wrong or mangled token can take.
    const forged = remember('forged token', tokenFormat.generateToken('logs', apiToken.id).token);
    const badChecksum = remember('bad checksum', `${first.slice(0, -1)}${first.endsWith('A') ? 'B' : 'A'}`);
    const failures: [string, string][] = [
      ['forged secret', admin(forged)],
      ['bad checksum', admin(badChecksum)],
      ['unknown email', basicAuth('nobody@logs.test', first)],
      ['another account email', basicAuth('admin@elsewhere.test', first)],
      ['bearer', `Bearer ${first}`],
      ['basic raw token', `Basic ${first}`],
      ['unencoded', `Basic ${account.admin.email}/token:${first}`],
      ['raw', first],
      ['password form', basicAuth(account.admin.email, `${first}x`)],
      ['no /token', `Basic ${Buffer.from(`${account.admin.email}:${first}`).toString('base64')}`],
      ['lowercase scheme, bad base64', `basic ${Buffer.from(`${account.admin.email}/token:${first}`).toString('base64').slice(1)}`],
      ['over-long', `Basic ${Buffer.from(`${account.admin.email}/token:${first}`.repeat(20)).toString('base64')}`],
    ];
    for (const [label, header] of failures) {
      expect([label, (await call(label, 'GET', '/api/v2/users/me.json', header)).status]).toEqual([label, 401]);
    }

    // Deactivate (immediate), reactivate, deactivate again, delete; the token fails after each removal.
    const second2 = admin(secondToken.token);
    const tokenPath = `/api/v2/api_tokens/${secondToken.id}.json`;
    expect((await call('deactivate', 'PUT', tokenPath, adminAuth, { api_token: { active: false } })).status).toBe(200);
    expect((await call('deactivated', 'GET', '/api/v2/users/me', second2)).status).toBe(401);
    expect((await call('reactivate', 'PUT', tokenPath, adminAuth, { api_token: { active: true, description: 'back' } })).status).toBe(200);
    expect((await call('reactivated', 'GET', '/api/v2/users/me', second2)).status).toBe(200);
    expect((await call('still active', 'DELETE', tokenPath, adminAuth)).status).toBe(422);
    await call('deactivate again', 'PUT', tokenPath, adminAuth, { api_token: { active: false } });
    expect((await call('delete', 'DELETE', tokenPath, adminAuth)).status).toBe(204);
    expect((await call('deleted', 'GET', '/api/v2/users/me', second2)).status).toBe(401);

    // Client errors, some carrying a token where it does not belong.
    expect((await call('bad json', 'POST', '/api/v2/api_tokens.json', adminAuth, `{"token":"${first}"`)).status).toBe(400);
    expect((await call('token sent back', 'PUT', `/api/v2/api_tokens/${apiToken.id}`, adminAuth, { api_token: { token: first } })).status).toBe(422);
    expect((await call('unknown field', 'PUT', `/api/v2/api_tokens/${apiToken.id}`, adminAuth, { api_token: { secret: first } })).status).toBe(400);
    expect((await call('token as query', 'GET', `/api/v2/api_tokens.json?page[after]=${first}`, adminAuth)).status).toBe(400);
    expect((await call('filter as token', 'GET', `/api/v2/audit_logs.json?filter[source_id]=${first}`, adminAuth)).status).toBe(400);
    expect((await call('unknown id', 'GET', '/api/v2/api_tokens/12345.json', adminAuth)).status).toBe(404);
    expect((await call('agent on admin route', 'GET', '/api/v2/api_tokens', basicAuth('agent@logs.test', first))).status).toBe(403);
    expect((await call('too large', 'POST', '/api/v2/api_tokens', adminAuth, { api_token: { description: first.repeat(600) } })).status).toBe(413);
    expect((await call('bad settings', 'PUT', '/api/v2/account/settings', adminAuth, { settings: { api: { api_token_access: first } } })).status).toBe(400);
    expect((await call('unknown path', 'GET', '/api/v2/nothing_here', adminAuth)).status).toBe(404);
    expect((await call('no credentials', 'GET', '/api/v2/users/me', undefined)).status).toBe(401);

    // Server-side failures: an unhandled error in a handler, in the authorizer, and in the last_used write.
    const { accounts, store } = services.getServices();
    jest.spyOn(accounts, 'getUser').mockRejectedValueOnce(new Error('simulated handler failure'));
    expect((await call('handler failure', 'GET', '/api/v2/users/me.json', admin(first))).status).toBe(500);
    // A create that fails after its token was generated: that token is known only to the product, so only
    // the token-shaped pattern below would see it in the output.
    jest.spyOn(store, 'insertToken').mockRejectedValueOnce(new Error('simulated write failure'));
    expect((await call('create failure', 'POST', '/api/v2/api_tokens.json', adminAuth, { api_token: { description: 'lost' } })).status).toBe(500);
    jest.spyOn(getAuthorizationServices().store, 'getAuthorizationItems').mockRejectedValueOnce(new Error('simulated authorizer failure'));
    expect((await call('authorizer failure', 'GET', '/api/v2/users/me.json', admin(first))).status).toBe(503);
    const fresh = remember('fresh token', await createToken(stack, 'logs', 'fresh'));
    jest.spyOn(getAuthorizationServices().store, 'recordTokenUse').mockRejectedValueOnce(Object.assign(new Error('simulated last_used failure'), { name: 'ProvisionedThroughputExceededException' }));
    expect((await call('last_used failure', 'GET', '/api/v2/users/me.json', admin(fresh))).status).toBe(200);

    // Leak reports: each reported string is a secret, reported with or without credentials, in a report that
    // is taken, refused (400, 413) or fails (a handler error, then an outage of its reads).
    const leaked = remember('leaked token', await createToken(stack, 'logs', 'leaked'));
    const reported = [leaked, forged, badChecksum, remember('unknown token', tokenFormat.generateToken('nosuchaccount', 7).token)];
    const revocations = '/api/v2/api_tokens/revocations';
    expect((await call('leak report', 'POST', revocations, undefined, { tokens: reported })).status).toBe(202);
    expect((await call('leak report with credentials', 'POST', `${revocations}.json`, adminAuth, { tokens: [first] })).status).toBe(202);
    expect((await call('leak report, extra field', 'POST', revocations, undefined, { tokens: [first], [first]: first })).status).toBe(400);
    expect((await call('leak report, too many', 'POST', revocations, undefined, { tokens: Array.from({ length: 101 }, () => first) })).status).toBe(400);
    expect((await call('leak report, too large', 'POST', revocations, undefined, { tokens: Array.from({ length: 100 }, () => first.repeat(12)) })).status).toBe(413);
    jest.spyOn(store, 'getToken').mockRejectedValueOnce(new Error('simulated leak report failure'));
    expect((await call('leak report failure', 'POST', revocations, undefined, { tokens: [fresh] })).status).toBe(500);
    jest.spyOn(store, 'updateToken').mockRejectedValueOnce(new ServiceUnavailableError());
    expect((await call('leak report outage', 'POST', revocations, undefined, { tokens: [fresh] })).status).toBe(503);
    expect((await call('leak report retried', 'POST', revocations, undefined, { tokens: [fresh] })).status).toBe(202);

    // The kill switch, then an operator turns access back on.
    expect((await call('kill switch', 'PUT', '/api/v2/account/settings.json', adminAuth, { settings: { api: { api_token_access: false } } })).status).toBe(200);
    expect((await call('killed', 'GET', '/api/v2/users/me', adminAuth)).status).toBe(401);
    await stack.accounts.updateAccount(OPERATOR, 'logs', { apiTokenAccess: true });
    expect((await call('restored', 'GET', '/api/v2/users/me', adminAuth)).status).toBe(200);
  } finally {
    stop();
    jest.restoreAllMocks();
  }

  const text = [...output, ...stack.log.slice(logLinesBefore)].join('\n');
  // The capture saw the product's own logs, metrics and the emulator's lines, at every level used.
  expect(text).toContain('Authentication denied');
  expect(text).toContain('Unhandled error');
  expect(text).toContain('Could not record token use');
  expect(text).toContain('authorizer failed');
  expect(text).toContain('AuthenticationDenied');
  expect(text).toContain('GET /api/v2/users/me.json 200');
  expect(text).toContain('POST /api/v2/api_tokens/revocations 202');
  expect(text).toContain('simulated leak report failure');
  expect(statuses.length).toBeGreaterThan(40);
  expect(secrets.length).toBeGreaterThan(100);

  expect(leaksIn(text, secrets)).toEqual([]);
});

test('a token that a client puts in the URL path is not logged either', async () => {
  // Clients do paste a token where its id belongs (`GET /api_tokens/{token}`); the request fails, and its
  // log line must not keep the token (the emulator logs the path; so does the deployed stage's access log).
  const output: string[] = [];
  const account = await api.provisionAccount(stack, 'paths');
  const secrets = secretsOfToken('token in path', account.token);
  const logLinesBefore = stack.log.length;
  const stop = captureOutput(output);
  try {
    for (const path of [`/api/v2/api_tokens/${account.token}`, `/api/v2/api_tokens/${account.token}.json`, `/api/v2/${account.token}`]) {
      const response = await api.request(stack, 'GET', path, { auth: account.adminAuth });
      expect(response.status).toBe(404);
    }
  } finally {
    stop();
  }
  const text = [...output, ...stack.log.slice(logLinesBefore)].join('\n');
  expect(text).toContain('GET /api/v2/');
  expect(leaksIn(text, secrets)).toEqual([]);
});
