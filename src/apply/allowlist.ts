/**
 * Allowlist changes are not SQL: they go through the Allowlist adapter (EC2, or the local file).
 * Each call is idempotent, so an apply that stopped half-way converges when run again.
 */
import type { Allowlist } from '../model/allowlist.js';
import type { Change } from '../model/change.js';

export async function applyAllowlistChange(change: Change, allowlist: Allowlist | undefined): Promise<void> {
  if (!allowlist) throw new Error(`no allowlist to apply "${change.kind}" to: this run did not connect one`);
  switch (change.kind) {
    case 'authorize-ingress':
      return allowlist.authorize(change);
    case 'update-ingress-description':
      return allowlist.setDescription(change);
    case 'revoke-ingress':
      return allowlist.revoke(change);
    default:
      throw new Error(`${change.kind} is not an allowlist change`);
  }
}
