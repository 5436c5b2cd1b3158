// API token format: `{prefix}_{accountId}_{tokenId}_{secret}{checksum}`.
// The prefix lets secret scanners find leaked tokens; account and token id route the lookup (no index);
// the secret carries 178 bits from crypto.randomBytes; the CRC32 checksum rejects typos and forgeries
// before any database call. Only SHA-256 of the whole token is ever stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const TOKEN_PREFIX = 'apit';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 30; // 30 base62 characters = 178 bits
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32
const VISIBLE_SECRET_CHARS = 4;

/** An account id, as it stands inside a token and in keys. */
const ACCOUNT_ID = '[a-z0-9]{3,32}';
export const ACCOUNT_ID_PATTERN = new RegExp(`^${ACCOUNT_ID}$`);
const TOKEN_PATTERN = new RegExp(
  `^${TOKEN_PREFIX}_(${ACCOUNT_ID})_([1-9][0-9]{0,15})_([0-9A-Za-z]{${SECRET_LENGTH}})([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`,
);
const MAX_TOKEN_LENGTH = 100;

export interface ParsedToken {
  accountId: string;
  tokenId: number;
}

export interface GeneratedToken {
  token: string;
  secretHash: string;
  visibleToken: string;
}

/** Base62 without modulo bias: bytes at or above 248 (= 4 × 62) are drawn again. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

function checksum(body: string): string {
  let value = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i += 1) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64');
}

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatchesHash(token: string, storedHash: string): boolean {
  const presented = createHash('sha256').update(token, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'base64');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** The form shown after creation: everything up to the first 4 characters of the secret, then `...`. */
function visibleForm(accountId: string, tokenId: number, secret: string): string {
  return `${TOKEN_PREFIX}_${accountId}_${tokenId}_${secret.slice(0, VISIBLE_SECRET_CHARS)}...`;
}

export function generateToken(accountId: string, tokenId: number): GeneratedToken {
  const secret = randomBase62(SECRET_LENGTH);
  const body = `${TOKEN_PREFIX}_${accountId}_${tokenId}_${secret}`;
  const token = body + checksum(body);
  return { token, secretHash: hashToken(token), visibleToken: visibleForm(accountId, tokenId, secret) };
}

const TOKEN_ANYWHERE = new RegExp(`${TOKEN_PREFIX}_(${ACCOUNT_ID})_([0-9]{1,16})_([0-9A-Za-z]{0,${VISIBLE_SECRET_CHARS}})[0-9A-Za-z]*`, 'g');

/** A run of token characters and percent-escapes: where a token, plain or encoded, can be. Linear to scan. */
const TOKEN_RUN = /(?:[0-9A-Za-z_]|%[0-9A-Fa-f]{2})+/g;
/** A percent-escape of a character a token can hold (`0-9`, `A-Z`, `_`, `a-z`), and no other. */
const TOKEN_CHARACTER_ESCAPE = /%(3[0-9]|4[1-9A-Fa-f]|5[0-9Aa]|5[Ff]|6[1-9A-Fa-f]|7[0-9Aa])/g;

const cutTokens = (text: string) => text.replace(TOKEN_ANYWHERE, `${TOKEN_PREFIX}_$1_$2_$3...`);

/**
 * Text fit for a log line: anything shaped like a token is cut to its visible form, also when some or all
 * of its characters are percent-encoded (`apit%5F…` in a path is the same token once decoded). Only the
 * escapes of token characters are decoded, and only in a run that held a token, so no other text changes
 * and decoding cannot smuggle a line break or a separator into the line.
 */
export function redactTokens(text: string): string {
  // A token, plain or encoded, lies within one run: each run is judged once, decoded.
  return text.replace(TOKEN_RUN, (run) => {
    const decoded = run.includes('%')
      ? run.replace(TOKEN_CHARACTER_ESCAPE, (_escape, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      : run;
    const cut = cutTokens(decoded);
    return cut === decoded ? run : cut;
  });
}

/** Strict parse: shape, id ranges and checksum. Undefined for anything else. */
export function parseToken(token: string): ParsedToken | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return undefined;
  const [, accountId, tokenIdText, secret, sum] = match as unknown as [string, string, string, string, string];
  const tokenId = Number(tokenIdText);
  if (!Number.isSafeInteger(tokenId)) return undefined;
  if (checksum(`${TOKEN_PREFIX}_${accountId}_${tokenIdText}_${secret}`) !== sum) return undefined;
  return { accountId, tokenId };
}
