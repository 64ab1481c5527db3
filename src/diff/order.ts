/**
 * Apply order. Cluster-wide changes run phase by phase across all databases (every role exists
 * before any database needs it as owner); the work inside one database stays together so it runs
 * in one transaction on one connection.
 */
import { CHANGE_ORDER, type Change } from '../model/change.js';
import { placement } from '../sql/describe.js';

const INSIDE_DATABASE_PHASE = CHANGE_ORDER.indexOf('grant-schema-read');

function sortKey(change: Change): [number, string, number, string] {
  const kindIndex = CHANGE_ORDER.indexOf(change.kind);
  const inside = placement(change).target === 'database';
  const phase = inside ? INSIDE_DATABASE_PHASE : kindIndex;
  return [phase, inside ? change.database : '', kindIndex, change.database];
}

const compare = (a: Change, b: Change): number => {
  const [ka, kb] = [sortKey(a), sortKey(b)];
  for (let i = 0; i < ka.length; i++) {
    const [x, y] = [ka[i]!, kb[i]!];
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
};

/**
 * Stable: changes of the same kind and database keep the order the diff produced them in. A
 * membership between two databases' roles (shop_rw in wiki_owner) is drift of both: revoked once.
 */
export const orderChanges = (changes: readonly Change[]): Change[] => [...once(changes)].sort(compare);

function once(changes: readonly Change[]): Change[] {
  const revoked = new Set<string>();
  return changes.filter((change) => {
    if (change.kind !== 'revoke-membership') return true;
    const key = JSON.stringify([change.role, change.member]);
    if (revoked.has(key)) return false;
    revoked.add(key);
    return true;
  });
}
