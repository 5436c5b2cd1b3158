// The frame of the token-policy API test files (expiry, role ceiling, binding, IP allow-list): one local
// stack for the file, a fresh account per call, and the create and edit requests they all make, with the
// answer shapes those requests give.
import type { ApiTokenJson } from '../../shared/http/presenters';
import { provisionAccount, request, startApiStack, tokenPath, type ApiResponse, type ApiStack, type ProvisionedAccount } from './api-stack';

export type TokenBody = { api_token: ApiTokenJson & { token?: string } };
export type ErrorBody = { error: string; description: string; details?: Record<string, { error: string; description: string }[]> };

/** The API's one 401, as `answerOf` reads it. */
export const UNAUTHORIZED_ANSWER = { status: 401, json: { error: "Couldn't authenticate you" }, challenge: 'Basic realm="Web Password"' };

/** What a denial is made of: status, body and Basic challenge. */
export const answerOf = (response: ApiResponse) => ({ status: response.status, json: response.json, challenge: response.headers.get('www-authenticate') });

export interface TokenPolicySuite {
  /** The file's stack; usable inside tests. */
  readonly stack: ApiStack;
  /** A new account (admin and one token), named after the file's prefix. */
  account(): Promise<ProvisionedAccount>;
  create(owner: ProvisionedAccount, apiToken: Record<string, unknown>): Promise<ApiResponse<TokenBody & ErrorBody>>;
  edit(owner: ProvisionedAccount, id: number, apiToken: Record<string, unknown>): Promise<ApiResponse<TokenBody & ErrorBody>>;
}

/** Registers the file's hooks; `accountPrefix` keeps the file's accounts apart from each other. */
export function tokenPolicySuite(accountPrefix: string): TokenPolicySuite {
  let started: ApiStack | undefined;
  let accountCount = 0;
  beforeAll(async () => {
    started = await startApiStack();
  });
  afterAll(() => started?.close());

  const suite: TokenPolicySuite = {
    get stack() {
      if (!started) throw new Error('the stack starts in beforeAll');
      return started;
    },
    account() {
      accountCount += 1;
      return provisionAccount(suite.stack, `${accountPrefix}${accountCount}`);
    },
    create: (owner, apiToken) =>
      request<TokenBody & ErrorBody>(suite.stack, 'POST', '/api/v2/api_tokens.json', { auth: owner.adminAuth, body: { api_token: apiToken } }),
    edit: (owner, id, apiToken) =>
      request<TokenBody & ErrorBody>(suite.stack, 'PUT', tokenPath(id), { auth: owner.adminAuth, body: { api_token: apiToken } }),
  };
  return suite;
}
