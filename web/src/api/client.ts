// The console's API client: same-origin relative URLs only, HTTP Basic `{email}/token:{token}` in an
// explicit Authorization header on every request, and `credentials: 'omit'` so that the browser never
// adds (or prompts for) credentials of its own when the API answers 401 with `WWW-Authenticate: Basic`.
// Absolute `url` and `links` fields of responses are never followed: behind CloudFront they may name
// another origin, so paging is built from the cursors in `meta`.
import type {
  ApiToken,
  ApiTokenList,
  AuditLogList,
  CreateApiTokenRequest,
  CreatedApiToken,
  RotateApiTokenRequest,
  Settings,
  UpdateApiTokenRequest,
  UpdateSettingsRequest,
  User,
} from './types';

export interface Credentials {
  email: string;
  token: string;
}

/** What went wrong, as the console tells it apart. */
export type ApiErrorKind =
  | 'unauthenticated' // 401: wrong credential, deactivated token, or API token access off
  | 'forbidden' // 403: not an admin, or a plan without the feature
  | 'not-found' // 404
  | 'invalid' // 422: field errors in `fieldErrors`
  | 'unavailable' // 503, or the service could not be reached
  | 'failed'; // anything else

export const UNAVAILABLE_MESSAGE = 'The service is temporarily unavailable; retry shortly.';
const UNREACHABLE_MESSAGE = 'The service could not be reached; retry shortly.';
const FAILED_MESSAGE = 'Something went wrong; retry shortly.';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number,
    message: string,
    /** 422 details by field (`description`, `base`, …), each a list of readable messages. */
    readonly fieldErrors: Readonly<Record<string, readonly string[]>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The readable messages of a RecordInvalid body's `details`, keyed by field. */
function fieldErrorsOf(body: unknown): Record<string, string[]> {
  const details = isRecord(body) && isRecord(body.details) ? body.details : {};
  const fields: Record<string, string[]> = {};
  for (const [field, problems] of Object.entries(details)) {
    if (!Array.isArray(problems)) continue;
    const messages = problems.flatMap((problem) => (isRecord(problem) && typeof problem.description === 'string' ? [problem.description] : []));
    if (messages.length > 0) fields[field] = messages;
  }
  return fields;
}

/** The API's own description, when the body is one of its error bodies; never raw JSON. */
function descriptionOf(body: unknown): string | undefined {
  return isRecord(body) && typeof body.description === 'string' && body.description.length <= 500 ? body.description : undefined;
}

async function errorOf(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  const { status } = response;
  if (status === 401) return new ApiError('unauthenticated', status, "Couldn't authenticate you");
  if (status === 503) return new ApiError('unavailable', status, UNAVAILABLE_MESSAGE);
  if (status === 403) return new ApiError('forbidden', status, descriptionOf(body) ?? 'You are not allowed to do this.');
  if (status === 404) return new ApiError('not-found', status, 'Not found.');
  if (status === 422) {
    const fieldErrors = fieldErrorsOf(body);
    const first = Object.values(fieldErrors)[0]?.[0];
    return new ApiError('invalid', status, first ?? descriptionOf(body) ?? 'The change was not accepted.', fieldErrors);
  }
  if (status >= 500) return new ApiError('failed', status, FAILED_MESSAGE);
  return new ApiError('failed', status, descriptionOf(body) ?? FAILED_MESSAGE);
}

/** `Basic base64("{email}/token:{token}")`, encoding the text as UTF-8 first. */
function basicAuthorization({ email, token }: Credentials): string {
  const bytes = new TextEncoder().encode(`${email}/token:${token}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
  signal?: AbortSignal;
}

export class ApiClient {
  constructor(
    private readonly credentials: Credentials,
    /** Called on every 401, so that the session can end wherever it happens. */
    private readonly onUnauthenticated: () => void = () => {},
  ) {}

  private async send<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    if (!path.startsWith('/api/v2/')) throw new Error('The console only calls its own origin.');
    const headers: Record<string, string> = { Authorization: basicAuthorization(this.credentials), Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError('unavailable', 0, UNREACHABLE_MESSAGE);
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (error.kind === 'unauthenticated') this.onUnauthenticated();
      throw error;
    }
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError('failed', response.status, FAILED_MESSAGE);
    }
  }

  currentUser(): Promise<User> {
    return this.send<{ user: User }>('GET', '/api/v2/users/me').then((body) => body.user);
  }

  user(id: number, options?: RequestOptions): Promise<User> {
    return this.send<{ user: User }>('GET', `/api/v2/users/${id}`, undefined, options).then((body) => body.user);
  }

  /** Every token of the account in one response (no `page[size]`), with the count and the limit in `meta`. */
  listTokens(options?: RequestOptions): Promise<ApiTokenList> {
    return this.send<ApiTokenList>('GET', '/api/v2/api_tokens', undefined, options);
  }

  token(id: number, options?: RequestOptions): Promise<ApiToken> {
    return this.send<{ api_token: ApiToken }>('GET', `/api/v2/api_tokens/${id}`, undefined, options).then((body) => body.api_token);
  }

  /** A new token; `fields` holds the optional policies, each left out when not given. */
  createToken(description: string, fields: Omit<NonNullable<CreateApiTokenRequest['api_token']>, 'description'> = {}): Promise<CreatedApiToken> {
    const body: CreateApiTokenRequest = { api_token: { description: description === '' ? null : description, ...fields } };
    return this.send<{ api_token: CreatedApiToken }>('POST', '/api/v2/api_tokens', body).then((response) => response.api_token);
  }

  updateToken(id: number, changes: UpdateApiTokenRequest['api_token']): Promise<ApiToken> {
    const body: UpdateApiTokenRequest = { api_token: changes };
    return this.send<{ api_token: ApiToken }>('PUT', `/api/v2/api_tokens/${id}`, body).then((response) => response.api_token);
  }

  deleteToken(id: number): Promise<void> {
    return this.send<void>('DELETE', `/api/v2/api_tokens/${id}`);
  }

  /** A new token in place of `id`, shown once; the old one is replaced at once or keeps working for `graceSeconds`. */
  rotateToken(id: number, graceSeconds: number): Promise<CreatedApiToken> {
    const body: RotateApiTokenRequest = { grace_seconds: graceSeconds };
    return this.send<{ api_token: CreatedApiToken }>('POST', `/api/v2/api_tokens/${id}/rotate`, body).then((response) => response.api_token);
  }

  /** One cursor page of the audit log; `query` holds the API's own parameter names. */
  auditLogs(query: URLSearchParams, options?: RequestOptions): Promise<AuditLogList> {
    return this.send<AuditLogList>('GET', `/api/v2/audit_logs?${query}`, undefined, options);
  }

  settings(): Promise<Settings> {
    return this.send<Settings>('GET', '/api/v2/account/settings');
  }

  updateSettings(apiTokenAccess: boolean): Promise<Settings> {
    const body: UpdateSettingsRequest = { settings: { api: { api_token_access: apiTokenAccess } } };
    return this.send<Settings>('PUT', '/api/v2/account/settings', body);
  }
}
