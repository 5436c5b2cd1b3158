// The API as clients see it, for API tests: the emulator in this process on a free port, with the real
// authorizer and handlers, against a fresh table on the run's DynamoDB Local; plus helpers to provision
// accounts, users and tokens through the domain services and to call the API with Basic token credentials.
//
// One stack per test file: the handlers keep their DynamoDB client and table name in module scope
// (shared/services.ts), and jest gives each test file its own module registry.
import { AccountService, type NewAccount } from '../../shared/accounts';
import type { Plan, Role, User } from '../../shared/model';
import { TokenService } from '../../shared/tokens';
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
  close(): Promise<void>;
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
export const OPERATOR = { actor: { kind: 'operator' as const }, request: { ipAddress: '203.0.113.10', userAgent: 'jest' } };

/** What customers read never names operator tooling (they cannot run it). */
const OPERATOR_TOOLING = /tokenctl/i;

let started = false;

/** Starts the stack; call in beforeAll and close in afterAll. */
export async function startApiStack(): Promise<ApiStack> {
  if (started) throw new Error('startApiStack: one API stack per test file (the handlers cache their table in module scope)');
  started = true;
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
  return {
    baseUrl,
    table,
    accounts: new AccountService(table.store),
    tokens: new TokenService(table.store),
    log,
    async close() {
      await emulator.close();
      table.documentClient.destroy();
    },
  };
}

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
