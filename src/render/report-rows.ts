/** One row per database in words, shared by the text, markdown and HTML reports so they agree. */
import type { CapacityDatabase, CapacityReport } from '../model/capacity.js';
import { formatBytes } from '../report/capacity.js';

export interface ReportRow {
  readonly name: string;
  readonly team: string;
  readonly state: string;
  readonly size: string;
  readonly connections: string;
  readonly extensions: string;
  readonly networks: string;
}

export const REPORT_COLUMNS: readonly [keyof ReportRow, string][] = [
  ['name', 'database'],
  ['team', 'team'],
  ['state', 'state'],
  ['size', 'size'],
  ['connections', 'connections (in use / limit)'],
  ['extensions', 'extensions'],
  ['networks', 'external networks'],
];

export function reportRow(db: CapacityDatabase): ReportRow {
  return {
    name: db.name,
    team: db.team ?? '-',
    state: db.state,
    size: `${db.sizeBytes === null ? 'unknown' : formatBytes(db.sizeBytes)}${db.oversized ? ' (over the limit)' : ''}`,
    connections: `${db.connections} / ${db.connectionLimit}${db.slotsUnusable ? ' unusable (logins off)' : ''}`,
    extensions: db.extensions.join(', ') || '-',
    networks: db.externalNetworks.map((n) => `${n.cidr} (${n.description})`).join(', ') || '-',
  };
}

/** The retired databases' slots, said apart so no one reads them as capacity in use or free. */
export const unusable = (report: CapacityReport): string =>
  report.totals.unusableConnectionLimits > 0 ? `; ${report.totals.unusableConnectionLimits} more belong to retired databases, whose users cannot log in` : '';

/** The instance totals as sentences. */
export function totalLines(report: CapacityReport): string[] {
  const available = report.maxConnections - report.reservedConnections;
  const { totals } = report;
  return [
    `Databases: ${report.databases.length}, ${formatBytes(totals.sizeBytes)} in all${report.maxDatabaseSizeGb === undefined ? '' : ` (each meant to stay under ${report.maxDatabaseSizeGb} GB)`}`,
    `Connections in use: ${totals.connections} of ${available} (max_connections ${report.maxConnections} less ${report.reservedConnections} reserved)`,
    `Connection limits of the team users, summed: ${totals.connectionLimits} of ${available}${totals.unlimitedRoles.length > 0 ? `, plus ${totals.unlimitedRoles.length} without a limit` : ''}${unusable(report)}`,
  ];
}
