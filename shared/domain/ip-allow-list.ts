// A token's IP allow-list: up to 16 IPv4 or IPv6 CIDR blocks, read strictly and stored in one canonical
// form (a bare address is its /32 or /128), and the match of a request's source address against it, which
// node:net's BlockList does. The authorizer matches on every request of a token that has a list, so the
// BlockLists of each list are built once per container and kept (docs/decisions.md, 2026-12-02).
import { BlockList, isIP, isIPv4, isIPv6 } from 'node:net';

export const MAX_ALLOWED_IPS = 16;

/** ASCII hex digits, dots and colons, then an optional decimal prefix: anything else (zones, spaces, other scripts' digits) is refused. */
const ENTRY = /^[0-9A-Fa-f.:]+(?:\/(?:0|[1-9][0-9]{0,2}))?$/;

type Parsed = { cidr: string } | { problem: string };

/** An entry as it may be quoted back: printable ASCII as it is, anything else escaped, and not too long. */
function quote(entry: string): string {
  const shown = entry.length > 60 ? `${entry.slice(0, 60)}…` : entry;
  return JSON.stringify(shown).replace(/[^\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The 16 bytes of an IPv6 address, through the URL parser's canonical form (hex groups, `::` for the longest zero run). */
function ipv6Bytes(address: string): number[] {
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const before = groupsOf(head);
  const after = tail === undefined ? [] : groupsOf(tail);
  const groups = [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

function ipv6Text(bytes: number[]): string {
  const groups = [];
  for (let index = 0; index < 16; index += 2) groups.push(((bytes[index]! << 8) | bytes[index + 1]!).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** The bytes with every bit after the first `prefix` cleared. */
function networkOf(bytes: number[], prefix: number): number[] {
  return bytes.map((byte, index) => {
    const kept = Math.min(8, Math.max(0, prefix - index * 8));
    return byte & ((0xff << (8 - kept)) & 0xff);
  });
}

function parseEntry(entry: string): Parsed {
  if (!ENTRY.test(entry)) return { problem: `${quote(entry)} is not an IPv4 or IPv6 address or CIDR block` };
  const [address = '', prefixText] = entry.split('/');
  const ipv4 = isIPv4(address);
  if (!ipv4 && !isIPv6(address)) return { problem: `${quote(entry)} is not an IPv4 or IPv6 address or CIDR block` };
  const bits = ipv4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return { problem: `${quote(entry)} has a prefix longer than /${bits}` };
  const bytes = ipv4 ? address.split('.').map(Number) : ipv6Bytes(address);
  if (!ipv4 && isIpv4Mapped(bytes)) {
    return { problem: `${quote(entry)} is an IPv4 address written as IPv6; write it as ${bytes.slice(12).join('.')}` };
  }
  const network = networkOf(bytes, prefix);
  const text = ipv4 ? network.join('.') : ipv6Text(network);
  if (network.some((byte, index) => byte !== bytes[index])) {
    return { problem: `${quote(entry)} has bits set after its /${prefix} prefix; the block is ${text}/${prefix}` };
  }
  return { cidr: `${text}/${prefix}` };
}

/**
 * The allow-list in canonical form (each block once, in the order given), or what is wrong with it. An
 * empty list is no list: the token is not restricted by address.
 */
export function normalizeAllowedIps(entries: readonly string[]): { allowedIps: string[] | undefined; problems: string[] } {
  const problems: string[] = [];
  if (entries.length > MAX_ALLOWED_IPS) problems.push(`allowed_ips holds at most ${MAX_ALLOWED_IPS} blocks (got ${entries.length})`);
  const allowedIps: string[] = [];
  for (const entry of entries.slice(0, MAX_ALLOWED_IPS)) {
    const parsed = parseEntry(entry);
    if ('problem' in parsed) problems.push(parsed.problem);
    else if (!allowedIps.includes(parsed.cidr)) allowedIps.push(parsed.cidr);
  }
  return { allowedIps: problems.length > 0 || allowedIps.length === 0 ? undefined : allowedIps, problems };
}

const MAX_CACHED_LISTS = 256;

/** A list's blocks by family: an IPv4 client is matched against the IPv4 blocks only. */
interface BlockLists {
  ipv4: BlockList;
  ipv6: BlockList;
}
const blockLists = new Map<string, BlockLists>();

/** The BlockLists of a stored (canonical) list: made on first use, then kept; the oldest goes when too many are kept. */
function blockListsOf(allowedIps: readonly string[]): BlockLists {
  const key = allowedIps.join(' ');
  let lists = blockLists.get(key);
  if (!lists) {
    lists = { ipv4: new BlockList(), ipv6: new BlockList() };
    for (const cidr of allowedIps) {
      const [address = '', prefix] = cidr.split('/');
      if (isIPv4(address)) lists.ipv4.addSubnet(address, Number(prefix), 'ipv4');
      else lists.ipv6.addSubnet(address, Number(prefix), 'ipv6');
    }
    if (blockLists.size >= MAX_CACHED_LISTS) blockLists.delete(blockLists.keys().next().value!);
    blockLists.set(key, lists);
  }
  return lists;
}

const isIpv4Mapped = (bytes: readonly number[]) => bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;

/**
 * Whether a request from `sourceIp` may use a token with this allow-list. No address, or one that is not an
 * address, is outside every list. An IPv4 client is matched against the IPv4 blocks only, also when its
 * address comes IPv4-mapped (`::ffff:192.0.2.1`): `::/0` means every IPv6 address, not IPv4 too, although
 * BlockList alone would match the mapped range inside it.
 */
export function ipAllowed(allowedIps: readonly string[], sourceIp: string | undefined): boolean {
  if (sourceIp === undefined) return false;
  const family = isIP(sourceIp);
  if (family === 0) return false;
  const lists = blockListsOf(allowedIps);
  if (family === 4) return lists.ipv4.check(sourceIp, 'ipv4');
  const bytes = ipv6Bytes(sourceIp);
  return isIpv4Mapped(bytes) ? lists.ipv4.check(bytes.slice(12).join('.'), 'ipv4') : lists.ipv6.check(sourceIp, 'ipv6');
}
