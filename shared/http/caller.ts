// Who is calling, as the authorizer established it: its context in a REST API proxy event
// (`requestContext.authorizer`), read into a typed identity. The service's handlers read it here, and so
// does the helper other teams' Lambda handlers behind TokenAuthorizer use (library/identity.ts).
import { parseId } from '../domain/ids';
import { ROLES, type Role } from '../domain/model';

export interface Caller {
  accountId: string;
  userId: number;
  email: string;
  /** The role the request acts with: the user's, lowered to the token's role ceiling when it has one. */
  role: Role;
  tokenId: number;
  /** The token's IP allow-list as the authorizer checked it (canonical CIDR blocks); absent when the token has none. */
  allowedIps?: string[];
}

/** The part of a REST API proxy event that carries the authorizer's context; any such event fits. */
export interface AuthorizedEvent {
  readonly requestContext?: { readonly authorizer?: unknown } | null;
}

/**
 * The authorizer's flat context (API Gateway may pass numbers as strings); anything missing or malformed
 * means the request is not authenticated.
 */
export function callerFrom(event: AuthorizedEvent): Caller | undefined {
  const authorizer = event.requestContext?.authorizer;
  if (typeof authorizer !== 'object' || authorizer === null) return undefined;
  const { accountId, userId, email, role, tokenId, allowedIps } = authorizer as Record<string, unknown>;
  if (typeof accountId !== 'string' || typeof email !== 'string' || typeof role !== 'string') return undefined;
  const user = parseId(String(userId));
  const token = parseId(String(tokenId));
  if (user === undefined || token === undefined || !(ROLES as readonly string[]).includes(role)) return undefined;
  if (allowedIps !== undefined && (typeof allowedIps !== 'string' || allowedIps === '')) return undefined;
  const caller: Caller = { accountId, userId: user, email, role: role as Role, tokenId: token };
  return allowedIps === undefined ? caller : { ...caller, allowedIps: allowedIps.split(' ') };
}
