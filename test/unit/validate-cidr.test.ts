import { describe, expect, it } from 'vitest';
import { contains, nonRoutable, parseCidr } from '../../src/validate/cidr.js';

const canonical = (text: string) => {
  const parsed = parseCidr(text);
  return parsed.ok ? parsed.cidr.canonical : parsed.problem.code;
};

/** A network the test knows to parse. */
const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(text);
  return parsed.cidr;
};

describe('parseCidr', () => {
  it.each([
    ['81.91.101.0/28', '81.91.101.0/28'],
    ['81.91.101.7/32', '81.91.101.7/32'],
    ['2a0e:1c80:9::/48', '2a0e:1c80:9::/48'],
    ['2A0E:1C80:0009:0000::/48', '2a0e:1c80:9::/48'],
    ['2a0e:1c80:9::1/128', '2a0e:1c80:9::1/128'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    // refused
    ['81.91.101.5/28', 'cidr.host-bits'],
    ['2a0e:1c80:9::1/48', 'cidr.host-bits'],
    ['81.91.101.7', 'cidr.missing-prefix'],
    ['2a0e::1', 'cidr.missing-prefix'],
    ['81.91.101.0/33', 'cidr.invalid'],
    ['2a0e::/129', 'cidr.invalid'],
    ['81.91.101.0/08', 'cidr.invalid'],
    ['81.91.101.0/+8', 'cidr.invalid'],
    ['81.91.101.0/', 'cidr.invalid'],
    ['010.1.2.0/24', 'cidr.invalid'],
    ['0x51.91.101.0/24', 'cidr.invalid'],
    ['1364993280/24', 'cidr.invalid'],
    ['81.91.101/24', 'cidr.invalid'],
    ['fe80::1%eth0/64', 'cidr.invalid'],
    ['::ffff:81.91.101.0/120', 'cidr.ipv4-mapped'],
    ['::ffff:515b:6500/120', 'cidr.ipv4-mapped'],
    ['81.91.101.0 /28', 'cidr.invalid'],
    ['example.org/32', 'cidr.invalid'],
    ['', 'cidr.invalid'],
  ])('%s -> %s', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it('suggests the IPv4 form of an IPv4-mapped network, echoing it as typed', () => {
    const parsed = parseCidr('::ffff:81.91.101.5/120');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.message).toMatch(/^"::ffff:81\.91\.101\.5\/120" is an IPv4 network written as IPv4-mapped IPv6/);
    expect(parsed.problem.hint).toBe('write it as 81.91.101.0/24');
  });

  it('suggests the network for host bits', () => {
    const parsed = parseCidr('81.91.101.5/28');
    expect(!parsed.ok && parsed.problem.hint).toContain('did you mean 81.91.101.0/28?');
  });
});

describe('nonRoutable', () => {
  const range = (text: string) => nonRoutable(cidr(text))?.range.canonical;
  it.each([
    ['10.1.0.0/16', '10.0.0.0/8'],
    ['172.20.0.0/16', '172.16.0.0/12'],
    ['192.168.1.0/24', '192.168.0.0/16'],
    ['127.0.0.1/32', '127.0.0.0/8'],
    ['169.254.10.0/24', '169.254.0.0/16'],
    ['100.64.0.0/16', '100.64.0.0/10'],
    ['192.0.2.0/28', '192.0.2.0/24'],
    ['198.51.100.0/24', '198.51.100.0/24'],
    ['203.0.113.64/26', '203.0.113.0/24'],
    ['198.18.0.0/16', '198.18.0.0/15'],
    ['224.0.0.0/8', '224.0.0.0/4'],
    ['255.255.255.255/32', '240.0.0.0/4'],
    ['0.0.0.0/8', '0.0.0.0/8'],
    // a broad network that includes a special range is refused too
    ['8.0.0.0/6', '10.0.0.0/8'],
    ['fd00::/48', 'fc00::/7'],
    ['fd00:1::/48', 'fc00::/7'],
    ['fe80::/64', 'fe80::/10'],
    ['::1/128', '::1/128'],
    ['ff02::/16', 'ff00::/8'],
    ['64:ff9b::/96', '64:ff9b::/96'],
    ['4000::/3', '2000::/3'],
    ['2001:db8:1::/48', '2001:db8::/32'],
    ['3fff:1::/48', '3fff::/20'],
    ['2002:5b5b::/32', '2002::/16'],
    // public
    ['81.91.101.0/28', undefined],
    ['11.0.0.0/8', undefined],
    ['2a0e:1c80:9::/48', undefined],
  ])('%s -> %s', (text, expected) => {
    expect(range(text)).toBe(expected);
  });
});

describe('nonRoutable says what the range is', () => {
  const relation = (text: string) => nonRoutable(cidr(text))?.relation;
  it.each([
    ['10.0.0.0/8', 'is a private network (RFC 1918)'],
    ['10.1.0.0/16', 'lies in 10.0.0.0/8, a private network (RFC 1918)'],
    ['8.0.0.0/6', 'includes 10.0.0.0/8, a private network (RFC 1918)'],
    ['fd00:1::/48', 'lies in fc00::/7, unique local addresses (RFC 4193), private to a site like 10.0.0.0/8'],
    ['fe80::/64', 'lies in fe80::/10, link-local (RFC 4291), valid only on one network segment'],
    ['4000::/3', 'is not within the global unicast range 2000::/3 (RFC 4291), where every public IPv6 address is'],
  ])('%s %s', (text, expected) => {
    expect(relation(text)).toBe(expected);
  });
});

describe('contains', () => {
  it.each([
    ['81.91.0.0/16', '81.91.101.0/24', true],
    ['81.91.101.0/24', '81.91.0.0/16', false],
    ['81.91.101.0/24', '81.91.101.0/24', true],
    ['81.91.0.0/16', '2a0e::/16', false],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(contains(cidr(outer), cidr(inner))).toBe(expected);
  });
});
