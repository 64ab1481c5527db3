/**
 * What `platon-db verify` reads and reports: who can reach which database, from the catalogs only.
 * Facts are plain data (src/inspect/access-facts.ts reads them); src/verify/ judges them.
 */
import type { AclEntry, LiveDatabase, LiveRole } from './state.js';

export interface AccessRole extends Pick<LiveRole, 'name' | 'login' | 'marker' | 'memberOf'> {
  readonly superuser: boolean;
  readonly createRole: boolean;
  readonly createDb: boolean;
  readonly replication: boolean;
  readonly bypassRls: boolean;
}

export interface AccessDatabase extends Pick<LiveDatabase, 'name' | 'owner' | 'marker'> {
  readonly template: boolean;
  /** The effective ACL (defaults made explicit), so PUBLIC's default CONNECT shows. */
  readonly acl: readonly AclEntry[];
}

/** What `has_database_privilege` answers for one role on one database (inheritance and PUBLIC included). */
export interface DatabasePrivileges {
  readonly role: string;
  readonly database: string;
  readonly connect: boolean;
  readonly create: boolean;
  readonly temp: boolean;
}

export interface AccessFacts {
  readonly roles: ReadonlyMap<string, AccessRole>;
  readonly databases: ReadonlyMap<string, AccessDatabase>;
  /** Managed roles on managed databases, only the pairs with at least one privilege. */
  readonly privileges: readonly DatabasePrivileges[];
}

export interface AccessFinding {
  /** `error` fails verify (exit 1); `warning` is reported only. */
  readonly severity: 'error' | 'warning';
  /** Stable, e.g. `access.cross-database`. */
  readonly code: string;
  /** The managed database it concerns, if any. */
  readonly database?: string;
  readonly role?: string;
  readonly message: string;
}

export interface AccessReport {
  readonly instance: string;
  /** The managed databases and roles checked, sorted. */
  readonly databases: readonly string[];
  readonly roles: readonly string[];
  readonly findings: readonly AccessFinding[];
}
