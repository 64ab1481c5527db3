/**
 * CIDR parsing and classification with ipaddr.js. Stricter than the library on purpose: only
 * dotted-quad IPv4 (the library also reads `0x0a.1` and octal `010.0.0.1`, which people misread),
 * no IPv6 zone ids, and a prefix length written plainly.
 */
import ipaddr from 'ipaddr.js';

export type Family = 'ipv4' | 'ipv6';
type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface Cidr {
  readonly family: Family;
  readonly address: Address;
  readonly prefix: number;
  /** `192.0.2.0/28`, or RFC 5952 form for IPv6 (`2001:db8::/48`). */
  readonly canonical: string;
}

export type CidrProblem = {
  readonly code: 'cidr.invalid' | 'cidr.missing-prefix' | 'cidr.host-bits' | 'cidr.ipv4-mapped';
  readonly message: string;
  readonly hint?: string;
  /**
   * For host bits: what the author may have meant, the network and the single address. The
   * caller, which knows the instance's policy, offers only those that would pass its rules.
   */
  readonly meant?: { readonly network: Cidr; readonly host: Cidr };
};

export type ParsedCidr = { readonly ok: true; readonly cidr: Cidr } | { readonly ok: false; readonly problem: CidrProblem };

const PREFIX = /^(0|[1-9][0-9]{0,2})$/;

export function parseCidr(text: string): ParsedCidr {
  const shown = JSON.stringify(text);
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  const family = familyOf(addressText);
  if (family === undefined) {
    return invalid('cidr.invalid', `${shown} is not a network in CIDR notation`, 'write it like 81.91.101.0/28 (IPv4) or 2a0e:1c80:9::/48 (IPv6)');
  }
  const max = family === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) {
    return invalid('cidr.missing-prefix', `${shown} has no prefix length`, `a single address is written ${addressText}/${max}`);
  }
  if (!PREFIX.test(prefixText) || Number(prefixText) > max) {
    return invalid('cidr.invalid', `${shown} has an invalid prefix length; ${family === 'ipv4' ? 'IPv4' : 'IPv6'} prefixes are 0 to ${max}`);
  }
  const prefix = Number(prefixText);
  const address = ipaddr.parse(addressText);
  const network = networkOf(address, prefix);
  if (network instanceof ipaddr.IPv6 && network.isIPv4MappedAddress() && prefix >= 96) {
    // Security group rules and pg_hba match an IPv4 client by its IPv4 address; the mapped form matches none.
    const ipv4 = `${network.toIPv4Address().toString()}/${prefix - 96}`;
    return invalid('cidr.ipv4-mapped', `${shown} is an IPv4 network written as IPv4-mapped IPv6 (::ffff:0:0/96); IPv4 clients are matched by their IPv4 address, so no client would match it`, `write it as ${ipv4}`);
  }
  const canonical = `${network.toString()}/${prefix}`;
  if (network.toString() !== address.toString()) {
    const meant = { network: { family, address: network, prefix, canonical }, host: { family, address, prefix: max, canonical: `${address.toString()}/${max}` } };
    return {
      ok: false,
      problem: { code: 'cidr.host-bits', message: `${shown} has host bits set: the network it names starts at ${network.toString()}`, hint: hostBitsHint(meant.network, meant.host), meant },
    };
  }
  return { ok: true, cidr: { family, address: network, prefix, canonical } };
}

/**
 * The host-bits hint from the suggestions that pass the caller's rules: both, one, or none (then
 * the error itself says enough, and no hint proposes a network that would be refused in turn).
 */
export function hostBitsHint(network: Cidr | undefined, host: Cidr | undefined): string | undefined {
  if (network && host) return `did you mean ${network.canonical}? (a single address is ${host.canonical})`;
  if (network) return `did you mean ${network.canonical}?`;
  if (host) return `for the single address write ${host.canonical}`;
  return undefined;
}

function familyOf(address: string): Family | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return 'ipv4';
  if (!address.includes('%') && ipaddr.IPv6.isValid(address)) return 'ipv6';
  return undefined;
}

function networkOf(address: Address, prefix: number): Address {
  const bytes = address.toByteArray();
  bytes.forEach((byte, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] = byte & ((0xff << (8 - keep)) & 0xff);
  });
  return ipaddr.fromByteArray(bytes);
}

const invalid = (code: CidrProblem['code'], message: string, hint?: string): ParsedCidr => ({
  ok: false,
  problem: { code, message, ...(hint === undefined ? {} : { hint }) },
});

/** Whether `outer` contains `inner` (a network contains itself). */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && inner.address.match(outer.address, outer.prefix);
}

interface SpecialRange {
  readonly cidr: Cidr;
  /** What it is, for the message: "a private network (RFC 1918)". */
  readonly what: string;
}

/**
 * Networks no client on the internet has an address in. Documentation ranges are among them:
 * an allowlist rule for 192.0.2.0/24 lets no real client in, so it is a mistake or a placeholder.
 * Every public IPv6 address is in 2000::/3 (global unicast); the ranges outside it a client could
 * plausibly be given are named, and anything else outside it is refused as not global unicast.
 */
const SPECIAL: readonly (readonly [string, string])[] = [
  ['0.0.0.0/8', '"this network" (RFC 791), not a real source address'],
  ['10.0.0.0/8', 'a private network (RFC 1918)'],
  ['100.64.0.0/10', 'shared address space for carrier-grade NAT (RFC 6598)'],
  ['127.0.0.0/8', 'loopback (RFC 1122)'],
  ['169.254.0.0/16', 'link-local (RFC 3927)'],
  ['172.16.0.0/12', 'a private network (RFC 1918)'],
  ['192.0.0.0/24', 'reserved for IETF protocol assignments (RFC 6890)'],
  ['192.0.2.0/24', 'documentation range TEST-NET-1 (RFC 5737)'],
  ['192.88.99.0/24', 'the retired 6to4 relay anycast range (RFC 7526)'],
  ['192.168.0.0/16', 'a private network (RFC 1918)'],
  ['198.18.0.0/15', 'reserved for benchmarking (RFC 2544)'],
  ['198.51.100.0/24', 'documentation range TEST-NET-2 (RFC 5737)'],
  ['203.0.113.0/24', 'documentation range TEST-NET-3 (RFC 5737)'],
  ['224.0.0.0/4', 'multicast (RFC 5771)'],
  ['240.0.0.0/4', 'reserved, including the broadcast address (RFC 1112)'],
  ['::/128', 'the unspecified address (RFC 4291), not a real source address'],
  ['::1/128', 'loopback (RFC 4291)'],
  ['64:ff9b::/96', 'the NAT64 prefix (RFC 6052), which stands for IPv4 addresses'],
  ['100::/64', 'discard-only (RFC 6666)'],
  ['2001::/23', 'reserved for IETF protocol assignments (RFC 2928)'],
  ['2001:db8::/32', 'the IPv6 documentation range (RFC 3849)'],
  ['2002::/16', '6to4 transition space (RFC 3056)'],
  ['3fff::/20', 'the IPv6 documentation range (RFC 9637)'],
  ['fc00::/7', 'unique local addresses (RFC 4193), private to a site like 10.0.0.0/8'],
  ['fe80::/10', 'link-local (RFC 4291), valid only on one network segment'],
  ['ff00::/8', 'multicast (RFC 4291)'],
];

const GLOBAL_UNICAST_V6 = mustParse('2000::/3');
const SPECIAL_RANGES: readonly SpecialRange[] = SPECIAL.map(([cidr, what]) => ({ cidr: mustParse(cidr), what }));

function mustParse(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(`bad built-in CIDR ${text}`);
  return parsed.cidr;
}

/**
 * Why no client on the internet connects from `cidr`, when that is so: the special range it lies
 * in, or else one it includes; the most specific first. `relation` reads after the network:
 * "10.1.0.0/16 lies in 10.0.0.0/8, a private network (RFC 1918)".
 */
export interface NonRoutable {
  readonly range: Cidr;
  readonly relation: string;
}

export function nonRoutable(cidr: Cidr): NonRoutable | undefined {
  const within = SPECIAL_RANGES.find((range) => contains(range.cidr, cidr));
  if (within) return { range: within.cidr, relation: within.cidr.canonical === cidr.canonical ? `is ${within.what}` : `lies in ${within.cidr.canonical}, ${within.what}` };
  const includes = SPECIAL_RANGES.find((range) => contains(cidr, range.cidr));
  if (includes) return { range: includes.cidr, relation: `includes ${includes.cidr.canonical}, ${includes.what}` };
  if (cidr.family === 'ipv6' && !contains(GLOBAL_UNICAST_V6, cidr)) {
    // Not named above, e.g. 4000::/3: unassigned (or, if broader than 2000::/3, more than it).
    return { range: GLOBAL_UNICAST_V6, relation: 'is not within the global unicast range 2000::/3 (RFC 4291), where every public IPv6 address is' };
  }
  return undefined;
}
