// Token format and Basic credentials parsing: shape, checksum, hashing, visible form, strictness.
import { parseBasicCredentials } from '../../shared/domain/credentials';
import { generateToken, hashToken, parseToken, redactTokens, tokenMatchesHash } from '../../shared/domain/token-format';

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('generated tokens', () => {
  const { token, secretHash, visibleToken } = generateToken('acme', 1764331200000123);

  test('have the documented shape and stay within 100 characters of [A-Za-z0-9_]', () => {
    expect(token).toMatch(/^apit_acme_1764331200000123_[0-9A-Za-z]{36}$/);
    expect(token.length).toBeLessThanOrEqual(100);
  });

  test('parse back to their account and token id', () => {
    expect(parseToken(token)).toEqual({ accountId: 'acme', tokenId: 1764331200000123 });
  });

  test('store only a hash, which matches the token and nothing else', () => {
    expect(secretHash).toBe(hashToken(token));
    expect(tokenMatchesHash(token, secretHash)).toBe(true);
    expect(tokenMatchesHash(token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a'), secretHash)).toBe(false);
  });

  test('show at most 4 characters of the secret', () => {
    const secret = token.split('_')[3]!.slice(0, 30);
    expect(visibleToken).toBe(`apit_acme_1764331200000123_${secret.slice(0, 4)}...`);
  });

  test('are different every time', () => {
    expect(generateToken('acme', 1).token).not.toBe(generateToken('acme', 1).token);
  });

  test('with any one character changed fail the checksum', () => {
    const body = token.slice('apit_acme_1764331200000123_'.length);
    for (let i = 0; i < body.length; i += 1) {
      const replacement = body[i] === 'x' ? 'y' : 'x';
      const changed = token.slice(0, token.length - body.length + i) + replacement + token.slice(token.length - body.length + i + 1);
      expect(parseToken(changed)).toBeUndefined();
    }
  });
});

describe('parseBasicCredentials', () => {
  const { token } = generateToken('acme', 42);

  test('accepts {email}/token:{token}, lower-casing the email', () => {
    expect(parseBasicCredentials(basic(`Admin@Example.com/token:${token}`))).toEqual({
      email: 'admin@example.com',
      token,
      accountId: 'acme',
      tokenId: 42,
    });
  });

  test.each([
    ['no header', undefined],
    ['empty header', ''],
    ['another scheme', `Bearer ${token}`],
    ['bad base64', 'Basic !!!notbase64'],
    ['base64 with garbage appended', `${basic(`a@b.co/token:${token}`)}*`],
    ['no /token suffix', basic(`a@b.co:${token}`)],
    ['password instead of token', basic('a@b.co/token:hunter2')],
    ['no colon', basic(`a@b.co/token${token}`)],
    ['not an email', basic(`not-an-email/token:${token}`)],
    ['token with bad checksum', basic(`a@b.co/token:${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`)],
    ['invalid UTF-8', `Basic ${Buffer.from([0xff, 0xfe, 0x3a]).toString('base64')}`],
    ['oversized header', `Basic ${'A'.repeat(2000)}`],
  ])('rejects %s', (_name, header) => {
    expect(parseBasicCredentials(header)).toBeUndefined();
  });
});

test('redactTokens cuts anything shaped like a token to its visible form', () => {
  const { token, visibleToken } = generateToken('acme', 42);
  expect(redactTokens(`GET /api/v2/api_tokens/${token}.json 404`)).toBe(`GET /api/v2/api_tokens/${visibleToken}.json 404`);
  expect(redactTokens('GET /api/v2/api_tokens/42.json 200')).toBe('GET /api/v2/api_tokens/42.json 200');
});

/** Percent-encodes the characters of `text` that `pick` selects, as a client may write them in a path. */
const percentEncode = (text: string, pick: (character: string, index: number) => boolean) =>
  [...text].map((character, index) => (pick(character, index) ? `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : character)).join('');

test('redactTokens cuts a percent-encoded token too, however much of it is encoded', () => {
  const { token, visibleToken } = generateToken('acme', 42);
  const secret = token.slice(visibleToken.length - 3);
  const encodings = {
    'the underscores': percentEncode(token, (character) => character === '_'),
    'every character': percentEncode(token, () => true),
    'every other character': percentEncode(token, (_, index) => index % 2 === 0),
    'lower-case hex': percentEncode(token, () => true).toLowerCase(),
    'only the secret': token.replace(secret, percentEncode(secret, () => true)),
  };
  for (const [name, encoded] of Object.entries(encodings)) {
    const line = redactTokens(`GET /api/v2/api_tokens/${encoded}.json 404 3ms`);
    expect({ name, line }).toEqual({ name, line: `GET /api/v2/api_tokens/${visibleToken}.json 404 3ms` });
  }
});

test('redactTokens leaves percent-encoded text that holds no token as it was', () => {
  for (const text of ['GET /api/v2/api_tokens/a%20b 404', 'GET /api/v2/%41pi%5Fv2 404', 'GET /x%2Fy%0A%25 404', `GET /${'%41'.repeat(5000)} 404`]) {
    expect(redactTokens(text)).toBe(text);
  }
});
