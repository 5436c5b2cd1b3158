// For Lambda handlers behind TokenAuthorizer (`@api-token-service/cdk/identity`): who is calling, read from
// the authorizer's context in the REST API proxy event, exactly as the service's own handlers read it
// (shared/http/caller.ts). No dependencies: bundle it into any Node.js handler.
import { type AuthorizedEvent, type Caller, callerFrom } from '../shared/http/caller';

/**
 * The caller the API token authorizer verified. `role` is the role the request acts with: the user's role in
 * the account, lowered to the token's role ceiling when it has one.
 */
export type AuthorizerIdentity = Caller;
export type { AuthorizedEvent };

/** The event holds no identity from the API token authorizer: the method is not behind TokenAuthorizer. */
export class MissingIdentityError extends Error {
  constructor() {
    super('The event carries no API token identity: is the method protected by TokenAuthorizer?');
    this.name = 'MissingIdentityError';
  }
}

/** The verified caller of a REST API proxy event; throws MissingIdentityError when there is none. */
export function authorizerIdentity(event: AuthorizedEvent): AuthorizerIdentity {
  const identity = callerFrom(event);
  if (identity === undefined) throw new MissingIdentityError();
  return identity;
}

/** The verified caller, or undefined when the event carries none (a method without the authorizer). */
export function findAuthorizerIdentity(event: AuthorizedEvent): AuthorizerIdentity | undefined {
  return callerFrom(event);
}
