/** Builders for allowlist tests: an instance's allowlist target and live rules. */
import type { AllowlistTarget, IngressRule } from '../../src/model/allowlist.js';

export const PORT = 5432;

export const target = (overrides: Partial<AllowlistTarget> = {}): AllowlistTarget => ({
  instanceFile: 'instances/shared-pg15.yaml',
  groupIds: ['sg-a'],
  port: PORT,
  rulesPerGroup: 60,
  baseline: [],
  ...overrides,
});

let next = 0;
/** A TCP rule on PORT; `ruleId` defaults to a fresh `sgr-t<n>`. */
export const rule = (cidr: string | undefined, description: string, fields: Partial<IngressRule> = {}): IngressRule => ({
  groupId: 'sg-a',
  ruleId: `sgr-t${String(++next).padStart(4, '0')}`,
  ...(cidr === undefined ? {} : { cidr }),
  protocol: 'tcp',
  fromPort: PORT,
  toPort: PORT,
  description,
  ...fields,
});

/** `n` distinct IPv4 /32s in 203.0.113.0/24 (documentation range; the diff does not care). */
export const v4s = (n: number, from = 1): string[] => Array.from({ length: n }, (_, i) => `203.0.113.${from + i}/32`);
/** `n` distinct IPv6 /128s. */
export const v6s = (n: number, from = 1): string[] => Array.from({ length: n }, (_, i) => `2001:db8::${(from + i).toString(16)}/128`);
