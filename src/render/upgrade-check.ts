/** The upgrade readiness check in text (per database, blockers first) and JSON. */
import type { UpgradeCheck, UpgradeFindingKind } from '../upgrade/check.js';

const LABEL: Record<UpgradeFindingKind, string> = {
  missing: 'blocks',
  update: 'update',
  preload: 'preload',
  unconfirmed: 'confirm',
  note: 'note',
};
const ORDER: readonly UpgradeFindingKind[] = ['missing', 'update', 'preload', 'unconfirmed', 'note'];

export function renderUpgradeCheckText(check: UpgradeCheck): string {
  const source = check.live ? 'installed extensions on the live instance' : 'extensions declared in the files';
  const out = [`Upgrade of instance ${check.instance} from PostgreSQL ${check.from} to ${check.to}: ${source} against ${check.catalog}`, ''];
  for (const db of check.databases) {
    const team = db.team ? ` (${db.team})` : '';
    if (db.findings.length === 0) {
      out.push(`${db.name}${team}: ready`);
      continue;
    }
    out.push(`${db.name}${team}:`);
    const sorted = [...db.findings].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
    for (const f of sorted) out.push(`  ${LABEL[f.kind]}: ${f.message}`);
  }
  const blocked = check.databases.filter((db) => db.findings.some((f) => f.kind === 'missing')).map((db) => db.name);
  out.push('', check.ready ? `Ready: every extension in use is offered on PostgreSQL ${check.to}.` : `Not ready: ${blocked.join(', ')} ${blocked.length === 1 ? 'uses' : 'use'} extensions PostgreSQL ${check.to} does not offer.`);
  return `${out.join('\n')}\n`;
}

export const renderUpgradeCheckJson = (check: UpgradeCheck): string => `${JSON.stringify({ formatVersion: 'platon-db.upgrade-check.v1', ...check }, null, 2)}\n`;
