// Strict parser of `Authorization: Basic base64("{email}/token:{token}")`. Anything that is not exactly
// that shape is rejected here, before any DynamoDB call.
import { parseToken, type ParsedToken } from './token-format';

export interface ApiTokenCredentials extends ParsedToken {
  email: string;
  token: string;
}

const MAX_HEADER_LENGTH = 1024;
const BASIC = /^Basic ([A-Za-z0-9+/]+={0,2})$/i;
const TOKEN_SUFFIX = '/token';
// Practical email shape: local part, @, dotted domain; no spaces, controls or a second @.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const MAX_EMAIL_LENGTH = 254;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function isEmail(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && EMAIL.test(value);
}

export function parseBasicCredentials(header: string | undefined): ApiTokenCredentials | undefined {
  if (header === undefined || header.length > MAX_HEADER_LENGTH) return undefined;
  const encoded = BASIC.exec(header)?.[1];
  if (encoded === undefined || encoded.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(encoded, 'base64');
  // Buffer.from ignores what it cannot decode; a strict decode must round-trip.
  if (bytes.toString('base64') !== encoded) return undefined;
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const username = decoded.slice(0, colon);
  const token = decoded.slice(colon + 1);
  if (!username.endsWith(TOKEN_SUFFIX)) return undefined;
  const email = username.slice(0, -TOKEN_SUFFIX.length);
  if (!isEmail(email)) return undefined;
  const parsed = parseToken(token);
  if (!parsed) return undefined;
  return { email: email.toLowerCase(), token, ...parsed };
}
