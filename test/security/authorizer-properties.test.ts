// Property-based tests of the authorizer (functions/authorizer.ts) against DynamoDB Local: whatever the
// Authorization header holds — arbitrary strings, base64 of arbitrary bytes, arbitrary
// `{email}/token:{token}` credentials, mutations of a valid credential — the handler allows exactly the
// canonical Basic encoding of `{email}/token:{token}` for a verified, unsuspended user of an active account
// with API token access on and an active token of that account, with that user's context; everything else
// is answered with exactly the Deny policy (never an error, never an allow). Also: every
// token with one character changed (any position, any character of the token alphabet) is denied, including
// forgeries whose checksum was recomputed so that they reach the hash comparison.
//
// Seeds are random on each run; a failure prints the seed and path. Replay with FC_SEED=<seed> (and FC_PATH).
import { operatorContext } from '../../shared/domain/audit-entries';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { handler } from '../../functions/authorizer';
import { AccountService } from '../../shared/domain/account-service';
import type { Plan, Role } from '../../shared/domain/model';
import { generateToken } from '../../shared/domain/token-format';
import { TokenService } from '../../shared/domain/token-service';
import { isDenialOf } from '../support/authorizer-answers';
import { createTestTable, type TestTable } from '../support/tables';

const OPERATOR = operatorContext('jest');
const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/api/v2/users/me';
const STAGE_WILDCARD = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Every character a token may contain. */
const TOKEN_ALPHABET = `${BASE62}_`;

fc.configureGlobal({
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
});

/** A credential the authorizer must allow, and the context it must hand on. */
interface ValidCredential {
  accountId: string;
  email: string;
  token: string;
  tokenId: number;
  userId: number;
  role: Role;
}

let table: TestTable;
const valid: ValidCredential[] = [];
/** Every email and token the fixtures know, valid or not, for the generators to combine. */
const knownEmails: string[] = [];
const knownTokens: string[] = [];
/** Account ids and token ids that exist, for forgeries with a correct checksum. */
const knownRoutes: { accountId: string; tokenId: number }[] = [];

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
const tokenIdOf = (token: string) => Number(token.split('_')[2]);

/** The token format's checksum (CRC32 in 6 base62 digits), to forge tokens that pass the parser. */
function checksum(body: string): string {
  let value = crc32(body);
  let out = '';
  for (let i = 0; i < 6; i += 1) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}
const withChecksum = (body: string) => body + checksum(body);

beforeAll(async () => {
  table = await createTestTable();
  const accounts = new AccountService(table.store);
  const tokens = new TokenService(table.store);
  const account = async (accountId: string, plan: Plan) =>
    accounts.createAccount(OPERATOR, { accountId, name: `Account ${accountId}`, plan, legacy: false, apiTokenAccess: true });
  const user = async (accountId: string, email: string, role: Role, verified = true) => {
    knownEmails.push(email);
    return accounts.addUser(OPERATOR, { accountId, email, role, verified });
  };
  const token = async (accountId: string) => {
    const { token: created } = await tokens.create({ ...OPERATOR, accountId }, null);
    knownTokens.push(created);
    knownRoutes.push({ accountId, tokenId: tokenIdOf(created) });
    return created;
  };

  // alpha: a normal account with users in every state and tokens in every state.
  await account('alpha', 'enterprise');
  const alphaUsers = [await user('alpha', 'admin@alpha.test', 'admin'), await user('alpha', 'agent@alpha.test', 'agent'), await user('alpha', 'end.user+tag@alpha.test', 'end_user')];
  await user('alpha', 'unverified@alpha.test', 'agent', false);
  await user('alpha', 'suspended@alpha.test', 'agent');
  await accounts.updateUser(OPERATOR, 'alpha', 'suspended@alpha.test', { suspended: true });
  const alphaActive = [await token('alpha'), await token('alpha')];
  const deactivated = await token('alpha');
  await tokens.update({ ...OPERATOR, accountId: 'alpha' }, tokenIdOf(deactivated), { active: false });
  const deleted = await token('alpha');
  await tokens.update({ ...OPERATOR, accountId: 'alpha' }, tokenIdOf(deleted), { active: false });
  await tokens.delete({ ...OPERATOR, accountId: 'alpha' }, tokenIdOf(deleted));
  for (const t of alphaActive) {
    for (const u of alphaUsers) valid.push({ accountId: 'alpha', email: u.email, token: t, tokenId: tokenIdOf(t), userId: u.userId, role: u.role });
  }

  // bravo: another healthy account, so that cross-account pairs are generated.
  await account('bravo', 'team');
  const bravoAdmin = await user('bravo', 'admin@bravo.test', 'admin');
  const bravoToken = await token('bravo');
  valid.push({ accountId: 'bravo', email: bravoAdmin.email, token: bravoToken, tokenId: tokenIdOf(bravoToken), userId: bravoAdmin.userId, role: 'admin' });

  // closed (API token access off) and frozen (suspended): their tokens never authenticate.
  await account('closed', 'enterprise');
  await user('closed', 'admin@closed.test', 'admin');
  await token('closed');
  await accounts.updateAccount(OPERATOR, 'closed', { apiTokenAccess: false });
  await account('frozen', 'enterprise');
  await user('frozen', 'admin@frozen.test', 'admin');
  await token('frozen');
  await accounts.updateAccount(OPERATOR, 'frozen', { status: 'suspended' });
  // An email that belongs to no account.
  knownEmails.push('nobody@alpha.test');
});

afterAll(() => table.documentClient.destroy());

// ---- the oracle ---------------------------------------------------------------------------------

const CREDENTIAL_SEPARATOR = '/token:';

/**
 * The valid credential a header carries, if it is exactly `Basic base64({email}/token:{token})`: the scheme
 * in any case, one space, canonical base64 of valid UTF-8, the email matching a valid pair up to ASCII case,
 * the token exactly. Undefined for everything else.
 */
function validCredentialIn(header: string): ValidCredential | undefined {
  if (header.length < 7 || header.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const encoded = header.slice(6);
  const bytes = Buffer.from(encoded, 'base64');
  if (encoded === '' || bytes.toString('base64') !== encoded) return undefined;
  const decoded = bytes.toString('utf8');
  if (!Buffer.from(decoded, 'utf8').equals(bytes)) return undefined;
  return valid.find((candidate) => {
    const suffix = `${CREDENTIAL_SEPARATOR}${candidate.token}`;
    if (!decoded.endsWith(suffix)) return false;
    const email = decoded.slice(0, -suffix.length);
    // eslint-disable-next-line no-control-regex -- ASCII only: case-folding applies to ASCII letters
    return /^[\x00-\x7f]*$/.test(email) && email.toLowerCase() === candidate.email;
  });
}

/** `denied`: exactly the Deny policy; `allowed`: any other answer (checked against the oracle); `failed`: it threw. */
type Outcome = { answer: 'allowed'; result: APIGatewayAuthorizerResult } | { answer: 'denied' } | { answer: 'failed'; error: unknown };

async function authorize(header: string, headerName = 'Authorization'): Promise<Outcome> {
  const event = { type: 'REQUEST', methodArn: METHOD_ARN, headers: { [headerName]: header } } as unknown as APIGatewayRequestAuthorizerEvent;
  try {
    const result = await handler(event);
    return isDenialOf(METHOD_ARN, result) ? { answer: 'denied' } : { answer: 'allowed', result };
  } catch (error) {
    return { answer: 'failed', error };
  }
}

const denied = (outcome: Outcome) => outcome.answer === 'denied';

/** Runs the authorizer on a header and checks its answer against the oracle; throws to fail the property. */
async function checkHeader(header: string, headerName?: string): Promise<void> {
  const expected = validCredentialIn(header);
  const outcome = await authorize(header, headerName);
  if (!expected) {
    if (outcome.answer === 'failed') throw new Error(`threw instead of denying: ${String(outcome.error)}`);
    if (outcome.answer === 'allowed') {
      throw new Error(`did not deny a header that is not an exact valid credential: ${JSON.stringify(header)} → ${JSON.stringify(outcome.result)}`);
    }
    return;
  }
  if (outcome.answer === 'failed') throw new Error(`threw on a valid credential (${expected.email}, token ${expected.tokenId}): ${String(outcome.error)}`);
  if (outcome.answer === 'denied') throw new Error(`denied a valid credential (${expected.email}, token ${expected.tokenId})`);
  expect(outcome.result.principalId).toBe(`${expected.accountId}:${expected.userId}`);
  expect(outcome.result.context).toEqual({
    accountId: expected.accountId,
    userId: String(expected.userId),
    email: expected.email,
    role: expected.role,
    tokenId: String(expected.tokenId),
    authType: 'api_token',
  });
  expect(outcome.result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: STAGE_WILDCARD }]);
}

// ---- generators ---------------------------------------------------------------------------------

const validCredential = () => fc.constantFrom(...valid);
const headerName = fc.constantFrom('Authorization', 'authorization', 'AUTHORIZATION');

/** Random ASCII case of a string (the scheme and the email are case-insensitive; the token is not). */
const randomCase = (text: string) => fc.mixedCase(fc.constant(text));

const anyEmail = () =>
  fc.oneof(
    fc.constantFrom(...knownEmails).chain(randomCase),
    fc.emailAddress(),
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('', '@', 'a@b', 'admin@alpha.test ', ' admin@alpha.test', 'admin@alpha.test\u0000', 'admin@alpha.test/token', 'ADMİN@alpha.test'),
  );

/** Tokens: known ones (valid or not), forgeries with a correct checksum, token-shaped noise, arbitrary text. */
const anyToken = () =>
  fc.oneof(
    fc.constantFrom(...knownTokens),
    fc.constantFrom(...knownRoutes).map(({ accountId, tokenId }) => generateToken(accountId, tokenId).token),
    fc
      .record({
        accountId: fc.constantFrom('alpha', 'bravo', 'closed', 'frozen', 'zulu'),
        tokenId: fc.oneof(fc.constantFrom(...knownRoutes.map((route) => route.tokenId)), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
        secret: fc.string({ unit: fc.constantFrom(...BASE62), minLength: 30, maxLength: 30 }),
      })
      .map(({ accountId, tokenId, secret }) => withChecksum(`apit_${accountId}_${tokenId}_${secret}`)),
    fc.string({ unit: fc.constantFrom(...TOKEN_ALPHABET), maxLength: 120 }),
    fc.string({ maxLength: 120 }),
    fc.constantFrom(...knownTokens).map((token) => `${token} `),
    fc.constantFrom(...knownTokens).map((token) => token.toLowerCase()),
  );

const separator = fc.oneof(
  { weight: 4, arbitrary: fc.constant(CREDENTIAL_SEPARATOR) },
  { weight: 1, arbitrary: fc.constantFrom('/Token:', '/token', ':', '/token::', '/token: ', '/TOKEN:', '/token/', '\\token:', '') },
);

/** `{email}{separator}{token}` from pieces that are often right and often almost right. */
const anyCredentialText = () =>
  fc.oneof(
    fc.tuple(anyEmail(), separator, anyToken()).map(([email, sep, token]) => `${email}${sep}${token}`),
    // Fixture pairs: mostly the wrong user, token state or account for each other.
    fc.tuple(fc.constantFrom(...knownEmails).chain(randomCase), fc.constantFrom(...knownTokens)).map(([email, token]) => `${email}${CREDENTIAL_SEPARATOR}${token}`),
  );

/** One edit of a string: replace, insert or delete a character, truncate, or append. */
const edit = (text: string, characters: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.tuple(fc.nat({ max: Math.max(0, text.length - 1) }), characters).map(([at, c]) => text.slice(0, at) + c + text.slice(at + 1)),
    fc.tuple(fc.nat({ max: text.length }), characters).map(([at, c]) => text.slice(0, at) + c + text.slice(at)),
    fc.nat({ max: Math.max(0, text.length - 1) }).map((at) => text.slice(0, at) + text.slice(at + 1)),
    fc.nat({ max: text.length }).map((at) => text.slice(0, at)),
    characters.map((c) => text + c),
    characters.map((c) => c + text),
  );

/** Mutations of a valid credential, at the header level and at the decoded-credential level. */
const mutatedValidHeader = () =>
  validCredential().chain((credential) => {
    const text = `${credential.email}/token:${credential.token}`;
    const header = basic(text);
    const encoded = header.slice(6);
    return fc.oneof(
      edit(header, fc.oneof(fc.constantFrom(...'ABab+/= \t:'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }))),
      edit(text, fc.oneof(fc.constantFrom(...`${TOKEN_ALPHABET}@./: `), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }))).map(basic),
      fc.constantFrom(
        `Basic  ${encoded}`,
        `Basic\t${encoded}`,
        `Basic ${encoded} `,
        ` Basic ${encoded}`,
        `Bearer ${encoded}`,
        `Basic ${encoded.replace(/=+$/, '')}`,
        `Basic ${Buffer.from(text).toString('base64url')}`,
        `Basic ${encoded}${encoded}`,
        `Basic ${encoded},Basic ${encoded}`,
        `Basic ${Buffer.from(text, 'utf16le').toString('base64')}`,
        `Basic ${Buffer.from(`${text}\n`).toString('base64')}`,
        `Basic ${Buffer.from(`${credential.email}/token:${credential.token}:${credential.token}`).toString('base64')}`,
        basic(`${credential.email}:${credential.token}`),
        basic(`${credential.email}/token:`),
        basic(`/token:${credential.token}`),
        credential.token,
        `Basic ${credential.token}`,
      ),
    );
  });

// ---- properties ---------------------------------------------------------------------------------

describe('the authorizer allows exactly the valid credentials and otherwise answers only the Deny policy', () => {
  test('arbitrary header strings', async () => {
    const header = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'binary', minLength: 1000, maxLength: 1400 }),
      fc.string({ maxLength: 200 }).map((rest) => `Basic ${rest}`),
      fc.string({ unit: fc.constantFrom(...'ABCDabcd0189+/= '), maxLength: 200 }).map((rest) => `Basic ${rest}`),
    );
    await fc.assert(fc.asyncProperty(header, headerName, (value, name) => checkHeader(value, name)), { numRuns: 400 });
  });

  test('base64 of arbitrary bytes', async () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.uint8Array({ minLength: 700, maxLength: 900 }));
    await fc.assert(
      fc.asyncProperty(bytes, randomCase('Basic'), (value, scheme) => checkHeader(`${scheme} ${Buffer.from(value).toString('base64')}`)),
      { numRuns: 300 },
    );
  });

  test('arbitrary {email}/token:{token} credentials', async () => {
    await fc.assert(fc.asyncProperty(anyCredentialText(), (text) => checkHeader(basic(text))), { numRuns: 400 });
  });

  test('mutations of a valid credential', async () => {
    await fc.assert(fc.asyncProperty(mutatedValidHeader(), (header) => checkHeader(header)), { numRuns: 400 });
  });

  test('exact valid credentials are allowed, in any case of the scheme and the email, under any spelling of the header name', async () => {
    const header = fc
      .tuple(validCredential(), randomCase('Basic'))
      .chain(([credential, scheme]) => randomCase(credential.email).map((email) => `${scheme} ${Buffer.from(`${email}/token:${credential.token}`).toString('base64')}`));
    await fc.assert(
      fc.asyncProperty(header, headerName, async (value, name) => {
        expect(validCredentialIn(value)).toBeDefined();
        await checkHeader(value, name);
      }),
      { numRuns: 100 },
    );
  });

  test('every pairing of a fixture email with a fixture token (exhaustive)', async () => {
    // Users unverified, suspended or of another account; tokens deactivated, deleted, of another account,
    // of an account with API token access off or suspended: only the valid pairs are allowed.
    let allowed = 0;
    for (const email of knownEmails) {
      for (const token of knownTokens) {
        const header = basic(`${email}/token:${token}`);
        await checkHeader(header);
        if (validCredentialIn(header)) allowed += 1;
      }
    }
    expect(allowed).toBe(valid.length);
  });

  test('the oracle is not vacuous: it accepts the fixtures and rejects a deactivated token', () => {
    expect(valid.length).toBeGreaterThanOrEqual(7);
    for (const credential of valid) expect(validCredentialIn(basic(`${credential.email}/token:${credential.token}`))).toBe(credential);
    const inactive = knownTokens.filter((token) => !valid.some((credential) => credential.token === token));
    expect(inactive.length).toBe(4);
    for (const token of inactive) expect(validCredentialIn(basic(`admin@alpha.test/token:${token}`))).toBeUndefined();
  });
});

describe('a token with one character changed never verifies', () => {
  test('every position, every replacement from the token alphabet (exhaustive)', async () => {
    const credential = valid[0]!;
    expect((await authorize(basic(`${credential.email}/token:${credential.token}`))).answer).toBe('allowed');
    const { token } = credential;
    let tried = 0;
    for (let at = 0; at < token.length; at += 1) {
      for (const replacement of TOKEN_ALPHABET) {
        if (replacement === token[at]) continue;
        const changed = token.slice(0, at) + replacement + token.slice(at + 1);
        const outcome = await authorize(basic(`${credential.email}/token:${changed}`));
        if (!denied(outcome)) throw new Error(`one-character change at ${at} to ${replacement} was not denied`);
        tried += 1;
      }
    }
    expect(tried).toBe(token.length * (TOKEN_ALPHABET.length - 1));
  });

  test('also when the checksum is recomputed, so that the forgery reaches the stored hash', async () => {
    const forgery = validCredential().chain((credential) => {
      const body = credential.token.slice(0, -6);
      return fc
        .tuple(fc.nat({ max: body.length - 1 }), fc.constantFrom(...TOKEN_ALPHABET))
        .filter(([at, replacement]) => body[at] !== replacement)
        .map(([at, replacement]) => ({ credential, forged: withChecksum(body.slice(0, at) + replacement + body.slice(at + 1)) }));
    });
    await fc.assert(
      fc.asyncProperty(forgery, async ({ credential, forged }) => {
        const outcome = await authorize(basic(`${credential.email}/token:${forged}`));
        if (!denied(outcome)) throw new Error(`forged token ${forged} was not denied`);
      }),
      { numRuns: 200 },
    );
  });
});
