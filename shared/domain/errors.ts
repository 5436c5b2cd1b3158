// Named domain errors, each with an explicit code. shared/http/error-responses.ts maps every code to its
// HTTP answer in one exhaustive table; the CLI prints the messages. Renaming a class changes nothing.

/** Every kind of domain error; the HTTP mapping must answer each (the type checker holds it to that). */
export type ErrorCode =
  | 'NotFound'
  | 'Unauthenticated'
  | 'Forbidden'
  | 'ApiTokenAccessDisabled'
  | 'AccountSuspended'
  | 'TokenLimitReached'
  | 'TokenActive'
  | 'TokenAlreadyRotated'
  | 'AlreadyExists'
  | 'Validation'
  | 'BadRequest'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'ServiceUnavailable'
  | 'StaleWrite';

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A record that does not exist, or belongs to another account (never reveal which). */
export class NotFoundError extends DomainError {
  readonly code = 'NotFound' as const;

  constructor(message = 'Not found') {
    super(message);
  }
}

/**
 * The credentials a request was let in with no longer hold: the token was deactivated or deleted, the user
 * suspended, unverified or removed, the account suspended or its API token access turned off in the meantime.
 * Answered exactly like the authorizer's own 401.
 */
export class UnauthenticatedError extends DomainError {
  readonly code = 'Unauthenticated' as const;

  constructor() {
    super("Couldn't authenticate you");
  }
}

export class ForbiddenError extends DomainError {
  readonly code: ErrorCode = 'Forbidden';

  constructor(message = 'You do not have access to this page. Please contact the account owner of this help desk for further help.') {
    super(message);
  }
}

/** Its message is a 403 body: it says what is wrong and nothing about operator tooling (tokenctl adds its own hint). */
export class ApiTokenAccessDisabledError extends ForbiddenError {
  override readonly code = 'ApiTokenAccessDisabled' as const;

  constructor() {
    super('API token access is turned off for this account.');
  }
}

export class AccountSuspendedError extends ForbiddenError {
  override readonly code = 'AccountSuspended' as const;

  constructor() {
    super('The account is suspended.');
  }
}

export class TokenLimitReachedError extends DomainError {
  readonly code = 'TokenLimitReached' as const;

  constructor(readonly limit: number) {
    super(`The account has reached its limit of ${limit} API tokens; delete a deactivated token to free a slot.`);
  }
}

export class TokenActiveError extends DomainError {
  readonly code = 'TokenActive' as const;

  constructor() {
    super('An active API token cannot be deleted; deactivate it first.');
  }
}

/** A token rotated with a grace already has its successor: it is not rotated twice. */
export class TokenAlreadyRotatedError extends DomainError {
  readonly code = 'TokenAlreadyRotated' as const;

  constructor(readonly rotatedTo: number) {
    super(`This API token was already rotated: token ${rotatedTo} replaces it.`);
  }
}

export class AlreadyExistsError extends DomainError {
  readonly code = 'AlreadyExists' as const;
}

/** Field-level validation failures: `{ field: [message, ...] }`. */
export class ValidationError extends DomainError {
  readonly code = 'Validation' as const;

  constructor(readonly fields: Record<string, string[]>) {
    super(Object.entries(fields).map(([field, messages]) => `${field}: ${messages.join(', ')}`).join('; '));
  }
}

export class BadRequestError extends DomainError {
  readonly code = 'BadRequest' as const;
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'PayloadTooLarge' as const;
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'UnsupportedMediaType' as const;
}

/** The store could not complete the operation in time (throttling, conflicts, DynamoDB down). */
export class ServiceUnavailableError extends DomainError {
  readonly code: ErrorCode = 'ServiceUnavailable';

  constructor(message = 'The service is temporarily unavailable; retry shortly.', readonly retryAfterSeconds = 1) {
    super(message);
  }
}

/** A write lost a race (stale version or id collision); the operation re-reads and tries again. */
export class StaleWriteError extends DomainError {
  readonly code = 'StaleWrite' as const;
}
