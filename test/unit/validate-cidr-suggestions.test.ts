/**
 * A suggestion is never itself invalid (issue 15): every CIDR a host-bits hint proposes is fed
 * back through validate in place of the mistake, and draws no error. The network of 81.91.7.7/8
 * is 81.0.0.0/8, broader than the /16 the instance allows (README: "no broader than /16"); the
 * network of an address in a documentation or private range lies in that range too (RFC 5737,
 * RFC 1918), where no client on the internet connects from.
 */
import { describe, expect, it } from 'vitest';
import { validDatabase, validateInMemory } from './validate-helpers.js';

const external = (...cidrs: string[]) => `access:\n  external:\n${cidrs.map((c) => `    - cidr: "${c}"\n      description: Partner\n`).join('')}`;
const file = (cidrs: string[], instance: string) => validDatabase('app', `instance: ${instance}\n${external(...cidrs)}`);
const check = (cidrs: string[], instance: string) => validateInMemory({ 'databases/app.yaml': file(cidrs, instance) }).diagnostics;
const CIDR = /[0-9a-f:.]+\/\d+/gi;

/** [mistake, other entries of the same list]: wide and narrow prefixes, both families, special ranges. */
const CASES: readonly (readonly [string, readonly string[]])[] = [
  ['81.91.101.7/28', []],
  ['81.91.101.7/24', []],
  ['81.91.101.7/16', []],
  ['81.91.101.7/12', []],
  ['81.91.101.7/8', []],
  ['81.91.101.7/1', []],
  ['203.0.113.7/24', []],
  ['192.168.1.5/24', []],
  ['10.1.2.3/8', []],
  ['81.91.101.7/24', ['81.91.101.0/24']],
  ['81.91.101.7/8', ['81.91.101.7/32']],
  ['2a0e:1c80:9::1/48', []],
  ['2a0e:1c80:9::1/64', []],
  ['2a0e:1c80:9::1/32', []],
  ['2a0e:1c80:9::1/16', []],
  ['2001:db8::1/48', []],
  ['2a0e:1c80:9::1/48', ['2a0e:1c80:9::/48']],
];

describe('every CIDR a host-bits hint suggests passes validate', () => {
  const rows = CASES.flatMap(([mistake, others]) => ['shared-pg15', 'local'].map((instance) => [mistake, others, instance] as const));
  it.each(rows)('%s (beside %j) on %s', (mistake, others, instance) => {
    const [hostBits] = check([...others, mistake], instance).filter((d) => d.code === 'cidr.host-bits');
    expect(hostBits).toBeDefined();
    const suggestions = hostBits!.hint?.match(CIDR) ?? [];
    for (const suggestion of suggestions) {
      const errors = check([...others, suggestion], instance).filter((d) => d.severity === 'error');
      expect({ suggestion, errors: errors.map((e) => `${e.code}: ${e.message}`) }).toEqual({ suggestion, errors: [] });
    }
  });

  it('still offers the network, and the single address, when both are fine', () => {
    const [d] = check(['81.91.101.7/28'], 'shared-pg15');
    expect(d!.hint).toBe('did you mean 81.91.101.0/28? (a single address is 81.91.101.7/32)');
  });

  it('offers only the single address when the network is broader than the instance allows', () => {
    const [d] = check(['81.91.101.7/8'], 'shared-pg15');
    expect(d!.hint).toBe('for the single address write 81.91.101.7/32');
  });

  it('offers nothing for an address no client on the internet has', () => {
    const [d] = check(['203.0.113.7/24'], 'shared-pg15');
    expect(d!.code).toBe('cidr.host-bits');
    expect(d!.hint).toBeUndefined();
  });
});
