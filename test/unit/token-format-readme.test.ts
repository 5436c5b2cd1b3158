// The README's "Token format" is what secret scanners build on: its regular expression matches every token
// the service generates, in text too, and none of the near-misses; and its description of the checksum,
// implemented here from the README's words alone, gives the checksum of every generated token.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { generateToken, parseToken } from '../../shared/domain/token-format';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The one ```regex block of the README. */
function publishedPattern(): string {
  const blocks = [...README.matchAll(/```regex\n(.+)\n```/g)].map((match) => match[1]!);
  expect(blocks).toHaveLength(1);
  return blocks[0]!;
}

const scanner = () => new RegExp(publishedPattern(), 'g');
/** The published pattern as a whole-string match. */
const matchesExactly = (text: string) => [...text.matchAll(scanner())].some((match) => match[0] === text);

/** The README's checksum: CRC-32 of the text before it, in base 62 (`0-9A-Za-z`), most significant first, 6 digits. */
function readmeChecksum(body: string): string {
  const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let value = crc32(body);
  let out = '';
  while (value > 0) {
    out = digits[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out.padStart(6, '0');
}

const generated = [
  generateToken('abc', 1),
  generateToken('acme', 1796214966923509),
  generateToken('a'.repeat(32), Number.MAX_SAFE_INTEGER),
  ...Array.from({ length: 200 }, (_, index) => generateToken(`acct${index}`, 1_000_000 + index * 7919)),
].map(({ token }) => token);

test('the pattern matches every generated token, alone and inside text, and the length stays within 47–91', () => {
  for (const token of generated) {
    expect(matchesExactly(token)).toBe(true);
    expect([...`leaked: "${token}", and (${token}).`.matchAll(scanner())].map((match) => match[0])).toEqual([token, token]);
    expect(token.length).toBeGreaterThanOrEqual(47);
    expect(token.length).toBeLessThanOrEqual(91);
  }
  expect(Math.min(...generated.map((token) => token.length))).toBe(47);
  expect(Math.max(...generated.map((token) => token.length))).toBe(91);
});

test('the checksum as the README states it is the checksum of every generated token', () => {
  for (const token of generated) expect(token.slice(-6)).toBe(readmeChecksum(token.slice(0, -6)));
});

test('near-misses are not matched, and the service refuses them as well', () => {
  const token = generateToken('acme', 1234).token;
  const tail = token.slice('apit_acme_1234_'.length);
  const nearMisses = [
    `apik_acme_1234_${tail}`,
    `APIT_acme_1234_${tail}`,
    `apit_Acme_1234_${tail}`,
    `apit_ac_1234_${tail}`,
    `apit_${'a'.repeat(33)}_1234_${tail}`,
    `apit_ac-me_1234_${tail}`,
    `apit_acme_01234_${tail}`,
    `apit_acme_0_${tail}`,
    `apit_acme_${'1'.repeat(17)}_${tail}`,
    `apit_acme__${tail}`,
    `apit_acme_1234_${tail.slice(1)}`,
    `apit_acme_1234_${tail}x`,
    `apit_acme_1234_${tail.slice(0, -1)}-`,
    `apit_acme_1234${tail}`,
    `xapit_acme_1234_${tail}`,
    `${token}_`,
  ];
  for (const text of nearMisses) {
    expect([text, [...text.matchAll(scanner())].length]).toEqual([text, 0]);
    expect([text, parseToken(text)]).toEqual([text, undefined]);
  }
});

test('what the pattern matches and the service refuses differs only in what the README says the pattern cannot check', () => {
  const token = generateToken('acme', 1234).token;
  const wrongChecksum = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
  const idTooLarge = generateToken('acme', 1).token.replace('_1_', `_${'9'.repeat(16)}_`);
  for (const text of [wrongChecksum, idTooLarge]) {
    expect(matchesExactly(text)).toBe(true);
    expect(parseToken(text)).toBeUndefined();
  }
});
