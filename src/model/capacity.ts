/** The capacity report (`platon-db report`): what each database uses of the instance, and the totals. */

export type CapacityState = 'active' | 'retired' | 'unmanaged';

export interface CapacityDatabase {
  readonly name: string;
  /** From the file or the marker; absent for an unmanaged database. */
  readonly team?: string;
  readonly state: CapacityState;
  /** pg_database_size; null when the admin may not read it. */
  readonly sizeBytes: number | null;
  /** Sessions on the database now (pg_stat_activity). */
  readonly connections: number;
  /**
   * The sum of its users' connection limits; `unlimited` when one has none; `unknown` when its
   * users are not known (an unmanaged database whose roles platon-db cannot tell).
   */
  readonly connectionLimit: number | 'unlimited' | 'unknown';
  /**
   * Its users may not connect (retiring makes them NOLOGIN and revokes CONNECT), so its
   * connectionLimit is slots no one can use: not capacity the instance has given out.
   */
  readonly slotsUnusable: boolean;
  readonly extensions: readonly string[];
  /**
   * External networks from its file (access is instance-wide, but this database asked for them);
   * none once retired, as the apply removes a retired database's allowlist rules.
   */
  readonly externalNetworks: readonly { readonly cidr: string; readonly description: string }[];
  /** Larger than the instance's limits.maxDatabaseSizeGb. */
  readonly oversized: boolean;
}

export interface CapacityFinding {
  readonly severity: 'warning' | 'info';
  readonly message: string;
  readonly hint?: string;
}

export interface CapacityReport {
  readonly instance: string;
  /** ISO 8601; fixed in tests. */
  readonly generatedAt: string;
  readonly serverVersion: string;
  readonly maxConnections: number;
  /** Connections only superusers (on RDS: rdsadmin) may use. */
  readonly reservedConnections: number;
  readonly maxDatabaseSizeGb?: number;
  readonly totals: {
    readonly sizeBytes: number;
    readonly connections: number;
    /**
     * The sum of the limits of every managed role that may log in (unlimited ones not counted,
     * listed below; a retired database's users not counted, see unusableConnectionLimits).
     */
    readonly connectionLimits: number;
    /** The summed limits of retired databases' users: given once, usable by no one now. */
    readonly unusableConnectionLimits: number;
    readonly unlimitedRoles: readonly string[];
  };
  /** By name. */
  readonly databases: readonly CapacityDatabase[];
  readonly findings: readonly CapacityFinding[];
}
