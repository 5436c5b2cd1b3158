// What the measurements run against: a seeded account with a verified user and one token (created through
// the domain services, as tokenctl would), the Basic credentials built from them, garbage credentials of
// several kinds, and authorizer events shaped exactly as the local API Gateway emulator shapes them.
import { operatorContext } from '../shared/domain/audit-entries';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { routeList } from '../shared/http/routes';
import { authorizerEventOf, type IncomingRequest } from '../local/gateway-events';
import { RouteTable } from '../local/route-table';
import type { AccountService } from '../shared/domain/account-service';
import type { TokenService } from '../shared/domain/token-service';
import { generateToken } from '../shared/domain/token-format';

export const OPERATOR = operatorContext('bench');
export const PROBE_PATH = '/api/v2/users/me.json';

export interface Fixture {
  accountId: string;
  email: string;
  tokenId: number;
  token: string;
  /** `Basic base64("{email}/token:{token}")` of the seeded credential. */
  authorization: string;
}

export interface SeedServices {
  accounts: AccountService;
  tokens: TokenService;
}

export const basicAuthorization = (email: string, token: string): string =>
  `Basic ${Buffer.from(`${email}/token:${token}`, 'utf8').toString('base64')}`;

/** A fresh account id, so that a persisted or reused table never collides with an earlier run. */
export const freshAccountId = (prefix: string): string => `${prefix}${randomUUID().replace(/-/g, '').slice(0, 12)}`;

export async function seedFixture({ accounts, tokens }: SeedServices): Promise<Fixture> {
  const accountId = freshAccountId('bench');
  const email = `agent@${accountId}.test`;
  await accounts.createAccount(OPERATOR, { accountId, name: 'Bench', plan: 'enterprise', legacy: false, apiTokenAccess: true });
  await accounts.addUser(OPERATOR, { accountId, email, role: 'agent', verified: true });
  const created = await tokens.create({ ...OPERATOR, accountId }, 'bench');
  return { accountId, email, tokenId: created.apiToken.tokenId, token: created.token, authorization: basicAuthorization(email, created.token) };
}

/** Replaces the character at `index` (negative: from the end) with another one of the same class. */
function flipCharacter(text: string, index: number): string {
  const at = index < 0 ? text.length + index : index;
  const replacement = text[at] === 'A' ? 'B' : 'A';
  return `${text.slice(0, at)}${replacement}${text.slice(at + 1)}`;
}

/** Credentials that must be denied, by kind; the first three never reach DynamoDB. */
export function garbageCredentials(fixture: Fixture): Record<string, string> {
  const valid = fixture.authorization;
  const encoded = valid.slice('Basic '.length);
  const unknownId = generateToken(fixture.accountId, fixture.tokenId + 1_000_000).token;
  const wrongSecret = generateToken(fixture.accountId, fixture.tokenId).token;
  return {
    'not Basic': `Bearer ${encoded}`,
    'bad base64': `Basic ${encoded.slice(0, 10)}*${encoded.slice(11)}`,
    'bad checksum': basicAuthorization(fixture.email, flipCharacter(fixture.token, -1)),
    'forged: unknown token id': basicAuthorization(fixture.email, unknownId),
    'forged: wrong secret': basicAuthorization(fixture.email, wrongSecret),
  };
}

/** Kinds of garbage the authorizer must reject without a DynamoDB call. */
export const MALFORMED_KINDS = ['not Basic', 'bad base64', 'bad checksum'] as const;

const routeTable = new RouteTable(routeList);

/**
 * The REQUEST authorizer event API Gateway (here: the emulator's event builder) sends for GET /users/me;
 * without an Authorization header when `authorization` is undefined.
 */
export function authorizerEvent(authorization: string | undefined): APIGatewayRequestAuthorizerEvent {
  const lookup = routeTable.lookup('GET', PROBE_PATH);
  if (!lookup.found) throw new Error(`No route for GET ${PROBE_PATH}`);
  const request: IncomingRequest = {
    requestId: randomUUID(),
    receivedAt: new Date(),
    method: 'GET',
    path: PROBE_PATH,
    rawQuery: '',
    headerPairs: [
      ['Host', 'api.example.test'],
      ['User-Agent', 'bench-client/1.0'],
      ['Accept', 'application/json'],
      ...(authorization === undefined ? [] : [['Authorization', authorization] as [string, string]]),
    ],
    body: null,
    sourceIp: '203.0.113.7',
    origin: 'https://api.example.test',
  };
  return authorizerEventOf(request, lookup.match);
}
