/** The validated, normalised content of the repository's YAML files. */

/** A client network allowed to reach an instance (one security-group rule per CIDR). */
export interface NetworkSpec {
  /** Canonical CIDR, e.g. `192.0.2.0/28` or `2001:db8::/48`; a single address is /32 or /128. */
  readonly cidr: string;
  readonly description: string;
}

/**
 * `retired`: the team's users lose CONNECT and LOGIN, the data stays. `dropped`: the database and
 * its roles are dropped (only with --allow-destroy, and only after an earlier apply retired it).
 */
export type DatabaseState = 'active' | 'retired' | 'dropped';

/** One team database, from `databases/<name>.yaml`. Defaults are already filled in. */
export interface DatabaseSpec {
  readonly name: string;
  /** Path relative to the repository root, e.g. `databases/studentweb.yaml`. */
  readonly file: string;
  /** GitHub team slug that owns the database. */
  readonly team: string;
  readonly project: string;
  readonly contact: string;
  /** The instance name, resolved (the default instance when the file names none). */
  readonly instance: string;
  readonly users: {
    /** Whether `<name>_ro` exists. The read/write user `<name>_rw` always does. */
    readonly readOnly: boolean;
    /**
     * Hand-made role names of an adopted database (`adopt: true`), used instead of the derived
     * `<name>_owner`, `<name>_rw`, `<name>_ro`. `owner` may equal `rw`: e-mail orders were often
     * `CREATE DATABASE d OWNER d_user`. See `roleNamesOf`.
     */
    readonly owner?: string;
    readonly rw?: string;
    readonly ro?: string;
  };
  /**
   * The database existed before platon-db (written by `platon-db import`): its unmarked database
   * and named roles are taken over on purpose instead of being an error.
   */
  readonly adopt?: boolean;
  /** Where the database is in its life; absent means `active`. */
  readonly state?: DatabaseState;
  /** Sorted, unique. */
  readonly extensions: readonly string[];
  readonly access: { readonly external: readonly NetworkSpec[] };
  readonly backup: { readonly retentionDays?: number };
  /** Per login role; the instance's default when the file names none. */
  readonly connectionLimit: number;
}

export type SecretBackend =
  | {
      readonly store: 'file';
      /** Folder relative to the repository root, e.g. `.platon/secrets`. */
      readonly directory: string;
      readonly pathTemplate: string;
    }
  | {
      readonly store: 'vault';
      readonly address: string;
      /** KV v2 mount, e.g. `secret`. */
      readonly mount: string;
      /** e.g. `platon/rds/{instance}/{database}/{user}` */
      readonly pathTemplate: string;
      readonly auth:
        | { readonly method: 'token' }
        | { readonly method: 'approle'; readonly mount?: string }
        | { readonly method: 'jwt'; readonly mount: string; readonly role: string };
    };

/** One PostgreSQL server, from `instances/<name>.yaml`. */
export interface InstanceSpec {
  readonly name: string;
  readonly file: string;
  /** Exactly one instance is the default for files that name none. */
  readonly default: boolean;
  /** `rds` for AWS RDS; `local` for the embedded PostgreSQL that `npm start` uses. */
  readonly kind: 'rds' | 'local';
  readonly postgresMajor: number;
  readonly connection: {
    /** Host name; for RDS the endpoint (discovery may confirm it). */
    readonly host: string;
    readonly port: number;
    /** The RDS master-like admin role the applier connects as (NOSUPERUSER CREATEDB CREATEROLE). */
    readonly adminUser: string;
    /**
     * A read-only role pull-request plans connect as, so the plan job never holds the admin's
     * password. The applier grants it CONNECT on every managed database, nothing else.
     */
    readonly planUser?: string;
    /** The maintenance database the admin connects to for cluster-wide work. */
    readonly adminDatabase: string;
  };
  readonly aws?: {
    readonly region: string;
    readonly dbInstanceIdentifier: string;
    /** Security groups owned by platon-db, attached to the instance, holding the allowlist rules. */
    readonly allowlistSecurityGroupIds: readonly string[];
  };
  /** Networks every database on the instance can be reached from (office, VPN). */
  readonly baselineNetworks: readonly NetworkSpec[];
  readonly externalNetworkPolicy: {
    /** No IPv4 prefix shorter (broader) than this, e.g. 16. */
    readonly minIpv4PrefixLength: number;
    /** No IPv6 prefix shorter (broader) than this, e.g. 48. */
    readonly minIpv6PrefixLength: number;
  };
  readonly limits: {
    /** Backup retention the instance gives; more needs a dedicated instance. */
    readonly backupRetentionDays: number;
    readonly defaultConnectionLimit: number;
    readonly maxConnectionLimit: number;
    /** Security-group inbound rules per group and IP family (AWS default 60). */
    readonly rulesPerSecurityGroup: number;
    /** The largest database the instance is meant for; the capacity report flags larger ones. */
    readonly maxDatabaseSizeGb?: number;
  };
  readonly secrets: SecretBackend;
  /** `shared_preload_libraries` of the instance, e.g. `[pg_stat_statements]`. */
  readonly preloadLibraries: readonly string[];
}

/** Everything the repository declares, after validation. */
export interface RepositorySpec {
  readonly root: string;
  readonly databases: readonly DatabaseSpec[];
  readonly instances: readonly InstanceSpec[];
}
