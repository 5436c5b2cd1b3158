// The API as clients see it, for API tests: the emulator in this process on a free port, with the real
// authorizer and handlers, against a fresh table on the run's DynamoDB Local; plus helpers to provision
// accounts, users and tokens through the domain services and to call the API with Basic token credentials.
//
// One stack per test file: the handlers keep their DynamoDB client and table name in module scope
// (shared/runtime/services.ts), and jest gives each test file its own module registry.
//
// Every `url` field of every JSON answer `request` receives is collected, and `close` follows each one as an
// admin of the account that received it: each must answer 200, except the urls of records the test deleted
// (a DELETE of the url answered 204, or the record was deleted through `stack.tokens` / `stack.accounts`).
import { operatorContext } from '../../shared/domain/audit-entries';
import { AccountService, type NewAccount } from '../../shared/domain/account-service';
import type { ChangeContext } from '../../shared/domain/audit-entries';
import type { ApiToken, Plan, Role, User } from '../../shared/domain/model';
import type { TokenStore } from '../../shared/domain/store';
import { TokenService } from '../../shared/domain/token-service';
import { createEmulator } from '../../local/emulator';
import { recordLogLine } from '../setup/api-log-guard';
import { openApiProblems } from './openapi-validator';
import { createTestTable, type TestTable } from './tables';

export interface ApiStack {
  /** e.g. `http://127.0.0.1:41234`, no trailing slash. */
  baseUrl: string;
  table: TestTable;
  accounts: AccountService;
  tokens: TokenService;
  /** Lines the emulator logged (one per request and per failure), to help when a test fails. */
  log: string[];
  /** The `url` fields received so far and the records deleted since; `close` follows the urls. */
  urls: UrlLedger;
  /** Follows the collected urls (see `unresolvedUrls`), then stops the emulator; rejects when one does not resolve. */
  close(): Promise<void>;
}

export interface Credentials {
  email: string;
  token: string;
}

export interface UrlLedger {
  /** Each `url` value received, with the id of the account whose caller received it. */
  seen: Map<string, string>;
  /** Urls (without `.json`) of records the test deleted: not followed. */
  gone: Set<string>;
  /** Credentials seen per account, oldest first: `close` follows an account's urls with one that still works as an admin. */
  credentials: Map<string, Credentials[]>;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  json: T;
  text: string;
}

export interface RequestOptions {
  /** Basic credentials `{email}/token:{token}`; no Authorization header when absent. */
  auth?: { email: string; token: string };
  /** Sent as JSON (a string is sent as is, for malformed-body tests). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Operator context for provisioning, as tokenctl would act. */
export const OPERATOR = operatorContext('jest', '203.0.113.10');

/** What customers read never names operator tooling (they cannot run it). */
const OPERATOR_TOOLING = /tokenctl/i;

let started = false;

type OperationContext = Omit<ChangeContext, 'now'>;

/** TokenService for provisioning: a token deleted through it is a url the stack does not follow. */
class TrackedTokenService extends TokenService {
  constructor(
    store: TokenStore,
    private readonly onDeleted: (path: string) => void,
  ) {
    super(store);
  }

  override async delete(context: OperationContext, tokenId: number): Promise<ApiToken> {
    const token = await super.delete(context, tokenId);
    this.onDeleted(`/api/v2/api_tokens/${token.tokenId}`);
    return token;
  }
}

/** AccountService for provisioning: a user removed through it is a url the stack does not follow. */
class TrackedAccountService extends AccountService {
  constructor(
    store: TokenStore,
    private readonly onDeleted: (path: string) => void,
  ) {
    super(store);
  }

  override async removeUser(context: Omit<OperationContext, 'accountId'>, accountId: string, email: string): Promise<User> {
    const user = await super.removeUser(context, accountId, email);
    this.onDeleted(`/api/v2/users/${user.userId}`);
    return user;
  }
}

/** Starts the stack; call in beforeAll and close in afterAll. */
export async function startApiStack(): Promise<ApiStack> {
  if (started) throw new Error('startApiStack: one API stack per test file (the handlers cache their table in module scope)');
  started = true;
  // Leak reports wait 2 s before they answer; a file that tests that wait sets its own floor first.
  process.env.LEAK_REPORT_RESPONSE_FLOOR_MS ??= '0';
  const table = await createTestTable();
  const log: string[] = [];
  // The API log guard checks the emulator's lines too.
  const emulator = createEmulator({
    log: (line) => {
      log.push(line);
      recordLogLine(line);
    },
  });
  emulator.preload();
  const baseUrl = await emulator.listen(0);
  const urls: UrlLedger = { seen: new Map(), gone: new Set(), credentials: new Map() };
  const markGone = (path: string) => urls.gone.add(resourceOf(`${baseUrl}${path}`));
  const stack: ApiStack = {
    baseUrl,
    table,
    accounts: new TrackedAccountService(table.store, markGone),
    tokens: new TrackedTokenService(table.store, markGone),
    log,
    urls,
    async close() {
      try {
        const problems = await unresolvedUrls(stack);
        if (problems.length > 0) throw new Error(`url fields that do not resolve (GET as an admin of the account must answer 200):\n${problems.join('\n')}`);
      } finally {
        await emulator.close();
        table.documentClient.destroy();
      }
    },
  };
  return stack;
}

/** A url without its `.json` suffix: both spellings name one resource. */
const resourceOf = (url: string) => url.replace(/\.json$/, '');

/** The account a token belongs to: `apit_{accountId}_{tokenId}_{secret}`. */
const accountOfToken = (token: string) => /^apit_([a-z0-9]+)_/.exec(token)?.[1];

function rememberCredentials(stack: ApiStack, credentials: Credentials): string | undefined {
  const accountId = accountOfToken(credentials.token);
  if (accountId === undefined) return undefined;
  const known = stack.urls.credentials.get(accountId) ?? [];
  if (!known.some((candidate) => candidate.email === credentials.email && candidate.token === credentials.token)) known.push(credentials);
  stack.urls.credentials.set(accountId, known);
  return accountId;
}

/** `{email}/token:{token}` back out of a Basic Authorization header, when it is one. */
function credentialsOfHeader(value: string | undefined): Credentials | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(value ?? '');
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const separator = decoded.indexOf('/token:');
  return separator > 0 ? { email: decoded.slice(0, separator), token: decoded.slice(separator + '/token:'.length) } : undefined;
}

/** Every string value of a `url` key, at any depth. */
function urlFieldsOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => urlFieldsOf(item, found));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, field] of Object.entries(value)) {
      if (key === 'url' && typeof field === 'string') found.push(field);
      else urlFieldsOf(field, found);
    }
  }
  return found;
}

/**
 * The newest credential of the account that still acts as an admin: asked of an admin-only route, since a
 * token's role ceiling can make an admin's request act as less than the user's role.
 */
async function workingAdmin(stack: ApiStack, accountId: string): Promise<Credentials | undefined> {
  for (const credentials of [...(stack.urls.credentials.get(accountId) ?? [])].reverse()) {
    const response = await fetch(`${stack.baseUrl}/api/v2/account/settings.json`, { headers: { Authorization: basicAuth(credentials.email, credentials.token) } });
    if (response.status === 200) return credentials;
  }
  return undefined;
}

/**
 * Follows `urls` (by default every one collected, less the gone) with GET as an admin of the account that
 * received each, and returns what did not answer 200 (empty when all resolve). Never names a credential.
 */
export async function unresolvedUrls(stack: ApiStack, urls: ReadonlyMap<string, string> = stack.urls.seen): Promise<string[]> {
  const problems: string[] = [];
  const byAccount = new Map<string, string[]>();
  for (const [url, accountId] of urls) {
    if (!stack.urls.gone.has(resourceOf(url))) byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), url]);
  }
  for (const [accountId, accountUrls] of byAccount) {
    const admin = await workingAdmin(stack, accountId);
    if (!admin) {
      problems.push(`account ${accountId}: no credential seen for it still works as an admin, so ${accountUrls.length} url(s) were not followed`);
      continue;
    }
    const headers = { Authorization: basicAuth(admin.email, admin.token) };
    // A few at a time: a file can collect hundreds (the token limit test creates 256 tokens).
    for (let start = 0; start < accountUrls.length; start += 8) {
      const answers = await Promise.all(
        accountUrls.slice(start, start + 8).map(async (url) => {
          if (!url.startsWith(`${stack.baseUrl}/`)) return `${url}: not a url of this API (${stack.baseUrl})`;
          const response = await fetch(url, { headers });
          const text = await response.text();
          return response.status === 200 ? undefined : `${url} → ${response.status} ${text.slice(0, 120)}`;
        }),
      );
      problems.push(...answers.filter((answer): answer is string => answer !== undefined));
    }
  }
  return problems;
}

/** The API path of one token. */
export const tokenPath = (id: number) => `/api/v2/api_tokens/${id}.json`;

/** The id a token's routing part names (`apit_{account}_{id}_…`). */
export const tokenIdOf = (token: string) => Number(token.split('_')[2]);

/** The Authorization header value for `{email}/token:{token}`. */
export function basicAuth(email: string, token: string): string {
  return `Basic ${Buffer.from(`${email}/token:${token}`, 'utf8').toString('base64')}`;
}

export interface ProvisionedAccount {
  accountId: string;
  admin: User;
  /** A token of the account, created by an operator. */
  token: string;
  /** Credentials of the admin with that token, ready for `request`. */
  adminAuth: { email: string; token: string };
}

export interface AccountSetup {
  plan?: Plan;
  apiTokenAccess?: boolean;
  legacy?: boolean;
  adminEmail?: string;
}

/** An account with a verified admin and one token; token access on and Enterprise plan unless told otherwise. */
export async function provisionAccount(stack: ApiStack, accountId: string, setup: AccountSetup = {}): Promise<ProvisionedAccount> {
  const account: NewAccount = {
    accountId,
    name: `Account ${accountId}`,
    plan: setup.plan ?? 'enterprise',
    legacy: setup.legacy ?? false,
    // Tokens can only be created while access is on; it is turned off after, when asked.
    apiTokenAccess: true,
  };
  await stack.accounts.createAccount(OPERATOR, account);
  const email = setup.adminEmail ?? `admin@${accountId}.test`;
  const admin = await addUser(stack, accountId, email, 'admin');
  const token = await createToken(stack, accountId);
  if (setup.apiTokenAccess === false) await stack.accounts.updateAccount(OPERATOR, accountId, { apiTokenAccess: false });
  rememberCredentials(stack, { email, token });
  return { accountId, admin, token, adminAuth: { email, token } };
}

export function addUser(stack: ApiStack, accountId: string, email: string, role: Role, verified = true): Promise<User> {
  return stack.accounts.addUser(OPERATOR, { accountId, email, role, verified });
}

/** A new token's plaintext, created by an operator. */
export async function createToken(stack: ApiStack, accountId: string, description: string | null = null): Promise<string> {
  const { token } = await stack.tokens.create({ ...OPERATOR, accountId }, description);
  return token;
}

/** Calls the API: `path` is relative to the base URL, e.g. `/api/v2/users/me.json`. */
export async function request<T = unknown>(stack: ApiStack, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth) headers.Authorization = basicAuth(options.auth.email, options.auth.token);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${stack.baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  const json = parseJson(text, response.status);
  // Every answer the API tests receive must conform to the published API reference.
  const problems = openApiProblems(method, response.url, response.status, json);
  if (problems.length > 0) throw new Error(`Response does not match docs/openapi.json:\n${problems.join('\n')}`);
  if (response.status >= 400 && OPERATOR_TOOLING.test(text)) throw new Error(`An error body names operator tooling: ${method} ${path} → ${response.status} ${text}`);
  const credentials = options.auth ?? credentialsOfHeader(Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1]);
  const accountId = credentials && response.status < 300 ? rememberCredentials(stack, credentials) : undefined;
  if (accountId !== undefined) for (const url of urlFieldsOf(json)) stack.urls.seen.set(url, accountId);
  if (method === 'DELETE' && response.status === 204) stack.urls.gone.add(resourceOf(`${stack.baseUrl}${path.split('?')[0]}`));
  return { status: response.status, headers: response.headers, text, json: json as T };
}

/** Every answer of the API is JSON (or empty, for 204); anything else fails the test with what came back. */
function parseJson(text: string, status: number): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`Expected a JSON body with status ${status}, got: ${text.slice(0, 200)}`);
  }
}
