// Named domain errors. shared/http/error-responses.ts maps them to HTTP once; the CLI prints their messages.

export abstract class DomainError extends Error {
  constructor(message?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A record that does not exist, or belongs to another account (never reveal which). */
export class NotFoundError extends DomainError {
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
  constructor() {
    super("Couldn't authenticate you");
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You do not have access to this page. Please contact the account owner of this help desk for further help.') {
    super(message);
  }
}

/** Its message is a 403 body: it says what is wrong and nothing about operator tooling (tokenctl adds its own hint). */
export class ApiTokenAccessDisabledError extends ForbiddenError {
  constructor() {
    super('API token access is turned off for this account.');
  }
}

export class AccountSuspendedError extends ForbiddenError {
  constructor() {
    super('The account is suspended.');
  }
}

export class TokenLimitReachedError extends DomainError {
  constructor(readonly limit: number) {
    super(`The account has reached its limit of ${limit} API tokens; delete a deactivated token to free a slot.`);
  }
}

export class TokenActiveError extends DomainError {
  constructor() {
    super('An active API token cannot be deleted; deactivate it first.');
  }
}

export class AlreadyExistsError extends DomainError {}

/** Field-level validation failures: `{ field: [message, ...] }`. */
export class ValidationError extends DomainError {
  constructor(readonly fields: Record<string, string[]>) {
    super(Object.entries(fields).map(([field, messages]) => `${field}: ${messages.join(', ')}`).join('; '));
  }
}

export class BadRequestError extends DomainError {}

export class PayloadTooLargeError extends DomainError {}

export class UnsupportedMediaTypeError extends DomainError {}

/** The store could not complete the operation in time (throttling, conflicts, DynamoDB down). */
export class ServiceUnavailableError extends DomainError {
  constructor(message = 'The service is temporarily unavailable; retry shortly.', readonly retryAfterSeconds = 1) {
    super(message);
  }
}

/** A write lost a race (stale version or id collision); the operation re-reads and tries again. */
export class StaleWriteError extends DomainError {}
