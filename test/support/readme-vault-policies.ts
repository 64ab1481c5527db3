/**
 * The Vault policies the README tells operators to write (`vault policy write NAME FILE`), read
 * from the README itself so that tests run the tool under exactly what is documented.
 */
import { readFileSync } from 'node:fs';
import { parsePolicy, type Policy } from './vault-double-acl.js';

export interface ReadmePolicies {
  /** `platon-db-apply`, under "OIDC trust for Vault". */
  readonly apply: Policy;
  /** `platon-db-plan`, same block. */
  readonly plan: Policy;
  /** "The applier's policy" quoted under "Credentials in Vault". */
  readonly applier: Policy;
}

export function readmeVaultPolicies(readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')): ReadmePolicies {
  const blocks = [...readme.matchAll(/```hcl\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const both = blocks.find((b) => b.includes('# platon-db-apply') && b.includes('# platon-db-plan'));
  const applier = blocks.find((b) => !b.includes('# platon-db-apply') && b.includes('secret/data/platon/rds/'));
  if (!both || !applier) throw new Error('README: the Vault policy blocks (```hcl) were not found');
  const [apply, plan] = both.split('# platon-db-plan') as [string, string];
  return { apply: parsePolicy(apply), plan: parsePolicy(plan), applier: parsePolicy(applier) };
}
