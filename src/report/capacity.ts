/**
 * The capacity report from what was read: pure, so its arithmetic is tested on plain data.
 * Connection limits are summed per database (its login users) and over the instance, against
 * max_connections less the superuser reserve; a database over the instance's size limit gets the
 * hint that a dedicated instance is where it belongs.
 */
import type { CapacityDatabase, CapacityFinding, CapacityReport, CapacityState } from '../model/capacity.js';
import type { DatabaseSpec, InstanceSpec } from '../model/spec.js';
import type { LiveState } from '../model/state.js';
import type { UsageFacts } from '../inspect/capacity.js';
import { isManagedDatabase } from '../diff/ownership.js';
import { opensNetworks } from '../diff/allowlist.js';
import { roleNamesOf, roleNames } from '../model/role-names.js';

const GB = 1024 ** 3;
/** Databases that belong to the server, not to a team. */
const SYSTEM = new Set(['postgres', 'rdsadmin', 'template0', 'template1']);

export interface CapacityInput {
  readonly instance: InstanceSpec;
  readonly declared: readonly DatabaseSpec[];
  readonly live: LiveState;
  readonly usage: UsageFacts;
  readonly generatedAt: string;
}

export function buildCapacityReport({ instance, declared, live, usage, generatedAt }: CapacityInput): CapacityReport {
  const files = new Map(declared.map((d) => [d.name, d]));
  const maxGb = instance.limits.maxDatabaseSizeGb;
  const databases: CapacityDatabase[] = [...live.databases.values()]
    .filter((db) => !SYSTEM.has(db.name) && db.name !== instance.connection.adminDatabase)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((db) => {
      const spec = files.get(db.name);
      const managed = isManagedDatabase(db, live);
      // A retired database's users cannot log in, but their limits still say what they were given.
      const users = usersOf(db.name, spec).flatMap((r) => live.roles.get(r) ?? []);
      const limits = users.map((r) => r.connectionLimit);
      const use = usage.databases.get(db.name);
      const sizeBytes = use?.sizeBytes ?? null;
      const state: CapacityState = !managed ? 'unmanaged' : db.marker?.state === 'retired' ? 'retired' : 'active';
      // Retiring turns its users NOLOGIN and revokes CONNECT: whatever their limits say, no one can use them.
      const slotsUnusable = state === 'retired' || (managed && users.length > 0 && users.every((r) => !r.login));
      return {
        name: db.name,
        ...(spec?.team ?? db.marker?.team ? { team: spec?.team ?? db.marker?.team } : {}),
        state,
        sizeBytes,
        connections: use?.connections ?? 0,
        connectionLimit: limits.length === 0 ? 'unknown' : limits.includes(-1) ? 'unlimited' : limits.reduce((a, b) => a + b, 0),
        extensions: (db.contents?.extensions.map((e) => e.name) ?? spec?.extensions ?? []).filter((e) => e !== 'plpgsql'),
        slotsUnusable,
        // What the allowlist opens for it: nothing once the file or the instance says it is retired.
        externalNetworks: spec && opensNetworks(spec) && state === 'active' ? spec.access.external : [],
        oversized: maxGb !== undefined && sizeBytes !== null && sizeBytes > maxGb * GB,
      };
    });
  const retiredUsers = new Set(databases.filter((d) => d.state === 'retired').flatMap((d) => usersOf(d.name, files.get(d.name))));
  const managedLogins = [...live.roles.values()].filter((r) => r.login && r.marker && !retiredUsers.has(r.name));
  const totals = {
    sizeBytes: databases.reduce((sum, d) => sum + (d.sizeBytes ?? 0), 0),
    connections: [...usage.databases.values()].reduce((sum, d) => sum + d.connections, 0),
    connectionLimits: managedLogins.filter((r) => r.connectionLimit >= 0).reduce((sum, r) => sum + r.connectionLimit, 0),
    unusableConnectionLimits: databases.reduce((sum, d) => sum + (d.slotsUnusable && typeof d.connectionLimit === 'number' ? d.connectionLimit : 0), 0),
    unlimitedRoles: managedLogins.filter((r) => r.connectionLimit < 0).map((r) => r.name).sort(),
  };
  return {
    instance: instance.name,
    generatedAt,
    serverVersion: usage.serverVersion,
    maxConnections: usage.maxConnections,
    reservedConnections: usage.reservedConnections,
    ...(maxGb === undefined ? {} : { maxDatabaseSizeGb: maxGb }),
    totals,
    databases,
    findings: findings(databases, totals, usage, maxGb),
  };
}

/** The names of a database's login users: from its file, else the naming convention. */
function usersOf(database: string, spec: DatabaseSpec | undefined): string[] {
  const names = spec ? roleNamesOf(spec) : roleNames(database);
  return [...new Set([names.rw, names.ro])];
}

function findings(databases: readonly CapacityDatabase[], totals: CapacityReport['totals'], usage: UsageFacts, maxGb: number | undefined): CapacityFinding[] {
  const out: CapacityFinding[] = [];
  const available = usage.maxConnections - usage.reservedConnections;
  if (totals.connectionLimits > available) {
    out.push({
      severity: 'warning',
      message: `the team users may open ${totals.connectionLimits} connections together, but the server accepts ${available} (max_connections ${usage.maxConnections} less ${usage.reservedConnections} reserved)`,
      hint: 'lower connectionLimit where it is unused, or raise max_connections (instance class or parameter group)',
    });
  }
  if (totals.unlimitedRoles.length > 0) {
    out.push({ severity: 'warning', message: `login roles without a connection limit: ${totals.unlimitedRoles.join(', ')}`, hint: 'give their databases a connectionLimit' });
  }
  for (const db of databases.filter((d) => d.oversized)) {
    out.push({
      severity: 'warning',
      message: `${db.name} is ${formatBytes(db.sizeBytes ?? 0)}, more than the ${maxGb} GB the shared instance is meant for`,
      hint: `move it to a dedicated instance: platon-db move ${db.name} --to <instance>`,
    });
  }
  const unmanaged = databases.filter((d) => d.state === 'unmanaged').map((d) => d.name);
  if (unmanaged.length > 0) out.push({ severity: 'info', message: `not managed by platon-db: ${unmanaged.join(', ')}`, hint: 'platon-db import <database> describes one as a file' });
  return out;
}

/** 1536 -> `1.5 kB`: powers of 1024, as pg_size_pretty, one decimal below 10. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
