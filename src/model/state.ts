/**
 * The live state of one instance, read from PostgreSQL's catalogs, in the shape the pure diff
 * compares against the desired state. Sorted by name so output is stable.
 */
import type { IngressRule } from './allowlist.js';
import type { RdsFacts } from './rds.js';

/** The JSON we write into COMMENT ON DATABASE/ROLE so we only ever touch what we created. */
export interface OwnershipMarker {
  readonly managedBy: 'platon-db';
  /** The database file that declares the object, e.g. `databases/studentweb.yaml`. */
  readonly file: string;
  readonly team: string;
  /** The commit the object was last changed from (`unknown` outside git). */
  readonly commit: string;
  /**
   * On a database only: `retired` once an apply retired it. Dropping checks this on the live
   * instance, so a drop always follows a retirement that an earlier apply carried out.
   */
  readonly state?: 'retired';
  /** Read only: a `state` in the comment that this version does not know (see sql/marker.ts). */
  readonly unknownState?: string;
  /** On a retired database that `platon-db move` copied elsewhere: the target instance. */
  readonly movedTo?: string;
}

/** One entry of an ACL after `aclexplode`: `grantee` is `PUBLIC` for the pseudo-role. */
export interface AclEntry {
  readonly grantee: string;
  /** Upper-case privilege names, e.g. `CONNECT`, `USAGE`, `SELECT`. */
  readonly privilege: string;
}

export interface LiveRole {
  readonly name: string;
  readonly login: boolean;
  /** -1 means no limit, as in pg_roles.rolconnlimit. */
  readonly connectionLimit: number;
  /** Our marker, or null when the comment is absent or not ours (then the role is unmanaged). */
  readonly marker: OwnershipMarker | null;
  /** Role-wide settings (pg_db_role_setting with setdatabase = 0), e.g. `{ role: 'd_owner' }`. */
  readonly settings: Readonly<Record<string, string>>;
  /** Roles this role is a direct member of, sorted. */
  readonly memberOf: readonly string[];
  /** Which of the attributes a team role must not have it has; absent when not read. */
  readonly attributes?: readonly RoleAttribute[];
}

/** pg_roles' attributes that give a role power beyond its own database, as ALTER ROLE spells them. */
export type RoleAttribute = 'SUPERUSER' | 'CREATEDB' | 'CREATEROLE' | 'REPLICATION' | 'BYPASSRLS';

/**
 * What a role owns or holds in one database, from pg_shdepend (shared: it lists every database's
 * objects, though the other catalogs show only the connected database's). `database` is where the
 * objects are, or the database itself when `onDatabase`; null for other shared objects (tablespaces).
 */
export interface RoleFootprint {
  readonly database: string | null;
  readonly onDatabase: boolean;
  /** `owns` objects, holds `privileges` on them, or is named in row-level security `policies`. */
  readonly kind: 'owns' | 'privileges' | 'policies';
  readonly objects: number;
}

/** What lives inside one managed database, read over a connection to that database. */
export interface DatabaseContents {
  /** Installed extensions (plpgsql included), sorted by name. */
  readonly extensions: readonly { readonly name: string; readonly version: string }[];
  /** Non-system schemas. */
  readonly schemas: readonly LiveSchema[];
  /** pg_default_acl rows, `schema` null for the global ones. */
  readonly defaultPrivileges: readonly DefaultPrivilege[];
}

export interface LiveSchema {
  readonly name: string;
  /** `pg_database_owner` counts as the database owner (the `public` schema on PostgreSQL 15). */
  readonly owner: string;
  readonly acl: readonly AclEntry[];
  /** Tables, views and sequences in the schema that the database's read-only role cannot SELECT. */
  readonly unreadableByReadOnly: number;
}

export type DefaultPrivilegeObject = 'tables' | 'sequences' | 'functions' | 'types' | 'schemas';

export interface DefaultPrivilege {
  /** The role whose future objects get the privileges (FOR ROLE ...). */
  readonly owner: string;
  readonly schema: string | null;
  readonly objectType: DefaultPrivilegeObject;
  readonly acl: readonly AclEntry[];
}

export interface LiveDatabase {
  readonly name: string;
  readonly owner: string;
  readonly marker: OwnershipMarker | null;
  /** The effective ACL (defaults made explicit with acldefault), so PUBLIC's CONNECT shows. */
  readonly acl: readonly AclEntry[];
  /** Read only for managed databases; absent for the others. */
  readonly contents?: DatabaseContents;
  /**
   * What the database's owner (the team) can change with ALTER DATABASE: pg_database's
   * datistemplate, datallowconn and datconnlimit, and its database-wide settings
   * (pg_db_role_setting with setrole = 0). Absent in hand-built states: as CREATE DATABASE leaves them.
   */
  readonly isTemplate?: boolean;
  readonly allowConnections?: boolean;
  /** -1 means no limit. */
  readonly connectionLimit?: number;
  readonly settings?: Readonly<Record<string, string>>;
}

export interface LiveState {
  /** The admin role the applier connects as. */
  readonly admin: string;
  /** Server major version, e.g. 15. */
  readonly serverMajor: number;
  readonly roles: ReadonlyMap<string, LiveRole>;
  readonly databases: ReadonlyMap<string, LiveDatabase>;
  /**
   * Existing managed login roles whose secret is missing from the secret store (e.g. deleted by
   * hand): the plan issues them a new password. Absent when the store was not read.
   */
  readonly missingSecrets?: ReadonlySet<string>;
  /** Declared login roles whose secret exists in the store (dropping deletes them); absent when not read. */
  readonly secretsPresent?: ReadonlySet<string>;
  /**
   * Managed login roles whose latest secret version a crashed `rotate` stored but may not have
   * set on the role: the plan sets it (and confirms the rotation).
   */
  readonly pendingRotations?: ReadonlySet<string>;
  /** The rules of the instance's allowlist groups, managed or not; absent when not read. */
  readonly allowlist?: readonly IngressRule[];
  /** What RDS reports about the instance; absent off RDS. */
  readonly rds?: RdsFacts;
  /** Where the roles a file adopts own or hold things, by role; absent when not read. */
  readonly footprints?: ReadonlyMap<string, readonly RoleFootprint[]>;
}
