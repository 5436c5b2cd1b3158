// The IP allow-list's rules without a network: what is accepted and in which canonical form, what is refused
// and how it is quoted back, and the match of source addresses (node:net's BlockList, per family).
import { ipAllowed, MAX_ALLOWED_IPS, normalizeAllowedIps } from '../../shared/domain/ip-allow-list';

describe('normalizeAllowedIps', () => {
  test.each([
    ['192.0.2.1', '192.0.2.1/32'],
    ['192.0.2.0/24', '192.0.2.0/24'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:DB8::', '2001:db8::/128'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1/128'],
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['::/0', '::/0'],
    ['::1', '::1/128'],
  ])('%s is stored as %s', (given, stored) => {
    expect(normalizeAllowedIps([given])).toEqual({ allowedIps: [stored], problems: [] });
  });

  test('each block once, in the order given; an empty list is no list', () => {
    expect(normalizeAllowedIps(['10.0.0.0/8', '192.0.2.1', '10.0.0.0/8', '192.0.2.1/32']).allowedIps).toEqual(['10.0.0.0/8', '192.0.2.1/32']);
    expect(normalizeAllowedIps([])).toEqual({ allowedIps: undefined, problems: [] });
  });

  test.each([
    ['10.0.0.256', /is not an IPv4 or IPv6 address/],
    ['1.2.3', /is not an IPv4 or IPv6 address/],
    ['010.0.0.1', /is not an IPv4 or IPv6 address/],
    ['10.0.0.0/33', /prefix longer than \/32/],
    ['2001:db8::/129', /prefix longer than \/128/],
    ['10.0.0.0/08', /is not an IPv4 or IPv6 address/],
    ['10.0.0.0/-1', /is not an IPv4 or IPv6 address/],
    ['10.1.2.3/8', /bits set after its \/8 prefix; the block is 10\.0\.0\.0\/8/],
    ['2001:db8::1/64', /bits set after its \/64 prefix; the block is 2001:db8::\/64/],
    ['fe80::1%eth0', /is not an IPv4 or IPv6 address/],
    ['::ffff:192.0.2.1', /IPv4 address written as IPv6; write it as 192\.0\.2\.1/],
    ['::ffff:c000:201/128', /IPv4 address written as IPv6; write it as 192\.0\.2\.1/],
    ['1:2:3:4:5:6:7:8:9', /is not an IPv4 or IPv6 address/],
    ['\u0661\u0660.0.0.1', /is not an IPv4 or IPv6 address/],
  ])('%p is refused: %p', (given, message) => {
    const { allowedIps, problems } = normalizeAllowedIps([given]);
    expect(allowedIps).toBeUndefined();
    expect(problems).toEqual([expect.stringMatching(message)]);
  });

  test('what is refused is quoted back in printable ASCII, and cut when long', () => {
    const [problem] = normalizeAllowedIps(['\u202e10.0.0.1\u200b']).problems;
    expect(problem).toBe('"\\u202e10.0.0.1\\u200b" is not an IPv4 or IPv6 address or CIDR block');
    expect(normalizeAllowedIps(['1'.repeat(500)]).problems[0]!.length).toBeLessThan(120);
  });

  test(`at most ${MAX_ALLOWED_IPS} blocks, counted as given`, () => {
    const blocks = (count: number) => Array.from({ length: count }, (_, index) => `10.${index}.0.0/16`);
    expect(normalizeAllowedIps(blocks(MAX_ALLOWED_IPS)).allowedIps).toHaveLength(MAX_ALLOWED_IPS);
    expect(normalizeAllowedIps(blocks(MAX_ALLOWED_IPS + 1)).problems).toEqual([`allowed_ips holds at most ${MAX_ALLOWED_IPS} blocks (got ${MAX_ALLOWED_IPS + 1})`]);
  });
});

describe('ipAllowed', () => {
  const list = ['192.0.2.0/24', '198.51.100.7/32', '2001:db8::/32'];

  test.each([
    ['192.0.2.200', true],
    ['198.51.100.7', true],
    ['198.51.100.8', false],
    ['2001:db8:ffff::1', true],
    ['2001:db9::1', false],
    // An IPv4 client whose address comes IPv4-mapped is matched as the IPv4 address it is.
    ['::ffff:192.0.2.1', true],
    ['::ffff:c000:201', true],
    ['::ffff:203.0.113.1', false],
  ])('%s: %p', (sourceIp, allowed) => {
    expect(ipAllowed(list, sourceIp)).toBe(allowed);
  });

  test('no source address, or one that is not an address, is outside every list', () => {
    expect(ipAllowed(['0.0.0.0/0', '::/0'], undefined)).toBe(false);
    expect(ipAllowed(['0.0.0.0/0', '::/0'], '')).toBe(false);
    expect(ipAllowed(['0.0.0.0/0', '::/0'], 'localhost')).toBe(false);
  });

  test('IPv6 blocks never take in an IPv4 client, not even ::/0, and IPv4 blocks no IPv6 one', () => {
    expect(ipAllowed(['::/0'], '192.0.2.1')).toBe(false);
    expect(ipAllowed(['::/0'], '::ffff:192.0.2.1')).toBe(false);
    expect(ipAllowed(['0.0.0.0/0'], '2001:db8::1')).toBe(false);
    expect(ipAllowed(['0.0.0.0/0'], '192.0.2.1')).toBe(true);
  });

  test('many different lists in one container: each still matches as its own', () => {
    for (let index = 0; index < 300; index += 1) {
      const own = [`10.${index % 256}.${Math.floor(index / 256)}.0/24`];
      expect(ipAllowed(own, `10.${index % 256}.${Math.floor(index / 256)}.9`)).toBe(true);
      expect(ipAllowed(own, `10.${(index + 1) % 256}.${Math.floor(index / 256)}.9`)).toBe(false);
    }
  });
});
