/**
 * A plan is data: an ordered list of typed changes. The union below documents the apply order
 * (see `CHANGE_ORDER`). No change ever holds a secret's value, only a `SecretRef` naming it.
 */
import type { OwnershipMarker, RoleAttribute } from './state.js';

/** Where a secret lives (e.g. a Vault KV v2 path); never the value. */
export interface SecretRef {
  /** The store kind, for display: `vault` or `file`. */
  readonly store: string;
  /** Human-readable location, e.g. `secret/platon/rds/shared-pg15/studentweb/rw`. */
  readonly path: string;
  readonly database: string;
  readonly user: 'rw' | 'ro';
  /** The login role, when the file names it by hand (an adopted database); else it is derived. */
  readonly role?: string;
}

/** The privilege object kinds we grant default privileges on. */
export type DefaultPrivilegeTarget = 'tables' | 'sequences' | 'schemas';

/** Fields every change carries. `database` is the team database it belongs to (for grouping). */
interface ChangeBase {
  readonly database: string;
}

/**
 * The `database` of changes, notes and errors that concern the whole instance (the IP allowlist,
 * the RDS checks). No database can have this name, and it sorts before every other.
 */
export const INSTANCE_WIDE = '';

/** An allowlist change: instance-wide (`database` is INSTANCE_WIDE), described by the network's users. */
interface IngressChangeBase extends ChangeBase {
  readonly groupId: string;
  readonly cidr: string;
  /** The team databases that list the network, sorted; empty for a baseline-only network. */
  readonly usedBy: readonly string[];
  /** The instance file's description of a baseline network (office, VPN). */
  readonly baseline?: string;
}

export type Change =
  /** A role for a team database: `_owner` (NOLOGIN) or a login user whose password comes from `secret`. */
  | (ChangeBase & {
      readonly kind: 'create-role';
      readonly role: string;
      readonly login: boolean;
      readonly connectionLimit?: number;
      readonly marker: OwnershipMarker;
      readonly secret?: SecretRef;
    })
  /**
   * RDS workaround: the admin is not a superuser, so it must be a member of `<d>_owner` before
   * `CREATE DATABASE ... OWNER` and `ALTER DEFAULT PRIVILEGES FOR ROLE`. Also used for `_rw`.
   */
  | (ChangeBase & { readonly kind: 'grant-membership'; readonly role: string; readonly member: string })
  /** A membership in one of our roles that the model does not have (drift). */
  | (ChangeBase & { readonly kind: 'revoke-membership'; readonly role: string; readonly member: string })
  /** Runs outside a transaction: PostgreSQL refuses CREATE DATABASE inside one. */
  | (ChangeBase & {
      readonly kind: 'create-database';
      readonly owner: string;
      readonly marker: OwnershipMarker;
      /** Its roles exist but the database does not: dropped outside platon-db; it comes back empty. */
      readonly vanished?: true;
    })
  /**
   * What the team changed with ALTER DATABASE on its own database, put back: IS_TEMPLATE false,
   * ALLOW_CONNECTIONS true, CONNECTION LIMIT -1, and RESET of the settings no team may keep. Only
   * the fields present change; `was` holds the live values, for the plan.
   */
  | (ChangeBase & {
      readonly kind: 'alter-database';
      readonly isTemplate?: false;
      readonly allowConnections?: true;
      readonly connectionLimit?: number;
      readonly resetSettings?: readonly string[];
      readonly was: { readonly connectionLimit?: number; readonly settings?: Readonly<Record<string, string>> };
    })
  /** On a shared instance no other team's user may connect: REVOKE ALL ON DATABASE d FROM PUBLIC. */
  | (ChangeBase & { readonly kind: 'revoke-public'; readonly privileges: readonly string[] })
  | (ChangeBase & { readonly kind: 'grant-connect'; readonly role: string })
  /** `ALTER ROLE d_rw SET role = d_owner`, so what the team creates is owned by `d_owner`. */
  | (ChangeBase & {
      readonly kind: 'set-role-setting';
      readonly role: string;
      readonly setting: string;
      readonly value: string;
    })
  /** Read-only access to one schema: USAGE plus SELECT on its existing tables and sequences. */
  | (ChangeBase & { readonly kind: 'grant-schema-read'; readonly schema: string; readonly role: string })
  /** `ALTER DEFAULT PRIVILEGES FOR ROLE owner GRANT ... TO role`, so future objects are readable. */
  | (ChangeBase & {
      readonly kind: 'grant-default-privileges';
      readonly owner: string;
      readonly role: string;
      readonly target: DefaultPrivilegeTarget;
    })
  /** Created as `<d>_owner` (SET LOCAL ROLE) so the team can manage it. */
  | (ChangeBase & { readonly kind: 'create-extension'; readonly extension: string })
  /** Drift correction on a managed role. Only the fields present change. */
  | (ChangeBase & {
      readonly kind: 'alter-role';
      readonly role: string;
      readonly login?: boolean;
      readonly connectionLimit?: number;
      /** Attributes a team role must not have (ALTER ROLE ... NOCREATEDB NOCREATEROLE). */
      readonly remove?: readonly RoleAttribute[];
    })
  /** A managed login role whose secret is gone: a new password, stored first, then set (a rotation). */
  | (ChangeBase & {
      readonly kind: 'reset-password';
      readonly role: string;
      readonly secret: SecretRef;
      /** `missing`: a new password is issued; `rotation-pending`: the stored latest one is set, then confirmed. */
      readonly reason?: 'missing' | 'rotation-pending';
    })
  /** Records the file, team and commit on a managed object after it changed. */
  | (ChangeBase & {
      readonly kind: 'set-marker';
      readonly object: 'database' | 'role';
      readonly name: string;
      readonly marker: OwnershipMarker;
      /**
       * On a database whose comment disagrees with the owner role's marker (the team can COMMENT
       * ON its database; the role's marker only the admin can write): what was wrong with it.
       */
      readonly repair?: string;
    })
  /** Destructive: only with --allow-destroy. Never CASCADE. */
  | (ChangeBase & { readonly kind: 'drop-extension'; readonly extension: string })
  /** Retiring: a team user may no longer connect to the database (REVOKE CONNECT). */
  | (ChangeBase & { readonly kind: 'revoke-connect'; readonly role: string })
  /** Retiring: NOLOGIN stops new sessions only, so the team's open sessions on the database end too. */
  | (ChangeBase & { readonly kind: 'terminate-sessions'; readonly roles: readonly string[] })
  /** `state: dropped` of a database an earlier apply retired; only with --allow-destroy. Outside a transaction. */
  | (ChangeBase & { readonly kind: 'drop-database' })
  /** A role of a dropped database, after the database (its objects went with it). */
  | (ChangeBase & { readonly kind: 'drop-role'; readonly role: string })
  /** The credentials of a dropped login role leave the secret store (every version). */
  | (ChangeBase & { readonly kind: 'delete-secret'; readonly role: string; readonly secret: SecretRef })
  /**
   * A TCP rule for the instance's port from one network (EC2 AuthorizeSecurityGroupIngress).
   * Applied before anything else, so a new database is reachable once its credentials exist.
   */
  | (IngressChangeBase & { readonly kind: 'authorize-ingress'; readonly port: number; readonly description: string })
  /** The set of databases using a network changed: the rule's description follows (ModifySecurityGroupRules). */
  | (IngressChangeBase & {
      readonly kind: 'update-ingress-description';
      readonly ruleId: string;
      readonly port: number;
      readonly description: string;
      readonly previous: string;
    })
  /**
   * A managed rule nothing asks for any more (RevokeSecurityGroupIngress by rule id). Applied last,
   * after everything else succeeded. Not behind --allow-destroy: see README, "IP allowlist".
   */
  | (IngressChangeBase & {
      readonly kind: 'revoke-ingress';
      readonly ruleId: string;
      readonly protocol: string;
      readonly fromPort: number;
      readonly toPort: number;
      readonly description: string;
      /** `unused`: no file lists the network; `duplicate`: another rule for it is kept; `other-port`: not the instance's port. */
      readonly reason: 'unused' | 'duplicate' | 'other-port';
    });

export type ChangeKind = Change['kind'];

/** The order changes are applied in; the diff sorts by it. */
export const CHANGE_ORDER: readonly ChangeKind[] = [
  // Access first: the network works by the time a team reads its new credentials.
  'authorize-ingress',
  'update-ingress-description',
  'create-role',
  'grant-membership',
  'create-database',
  // Before anything connects into the database: ALLOW_CONNECTIONS false or CONNECTION LIMIT 0
  // would refuse the admin too.
  'alter-database',
  'revoke-public',
  'grant-connect',
  'set-role-setting',
  'grant-schema-read',
  'grant-default-privileges',
  'create-extension',
  'alter-role',
  'reset-password',
  'revoke-membership',
  'drop-extension',
  // Retiring: no new sessions, then the open ones end.
  'revoke-connect',
  'terminate-sessions',
  'set-marker',
  // Dropping a retired database: the database, then its roles, then their secrets.
  'drop-database',
  'drop-role',
  'delete-secret',
  // Access last: a failure anywhere before leaves clients connected rather than cut off mid-change.
  'revoke-ingress',
];

/** Something the plan reports but does not change. */
export type Note =
  /** A managed database whose file is gone: kept, with its roles and data. */
  | { readonly kind: 'retained-database'; readonly database: string; readonly file: string }
  /** An extension no longer in the file, kept because --allow-destroy was not given. */
  | { readonly kind: 'extension-kept'; readonly database: string; readonly extension: string }
  /** Something unexpected but harmless on a managed object, reported to Platon. */
  | { readonly kind: 'warning'; readonly database: string; readonly message: string }
  /**
   * A login role named by hand in an adopted database has no secret in the store: its password
   * is the one the team already has (RDS hides hashes, so it cannot be copied). Never reset by a
   * plan, which would lock the team's application out; `platon-db rotate` issues and stores one.
   */
  | { readonly kind: 'password-unknown'; readonly database: string; readonly role: string; readonly secret: SecretRef }
  /** `state: dropped` of a retired database, not dropped because --allow-destroy was not given. */
  | { readonly kind: 'drop-pending'; readonly database: string }
  /** The database was moved to another instance (`platon-db move`): this copy stays, retired. */
  | { readonly kind: 'moved'; readonly database: string; readonly to: string };

/** A reason the plan cannot be applied at all (nothing is applied when any exists). */
export interface PlanError {
  readonly code: string;
  readonly database: string;
  /** The file that declares the database, for locating the error. */
  readonly file: string;
  readonly message: string;
  readonly hint?: string;
}

/** One SQL statement. Where `password` is set, `sql` holds the placeholder `:password`,
 * replaced at apply time by the quoted SCRAM-SHA-256 verifier of that secret. */
export interface Statement {
  readonly sql: string;
  readonly password?: SecretRef;
}

/** Where a change runs: on the admin's maintenance connection, or inside a team database. */
export type Placement =
  | { readonly target: 'cluster'; readonly transactional: boolean }
  | { readonly target: 'database'; readonly database: string; readonly transactional: true }
  /** Not SQL: an AWS API call (or the local file allowlist) through the Allowlist adapter. */
  | { readonly target: 'allowlist'; readonly groupId: string; readonly transactional: false }
  /** Not SQL: a call to the secret store (Vault, or the local file store). */
  | { readonly target: 'secrets'; readonly transactional: false };

/** An AWS API call a change makes instead of SQL, with the request exactly as sent. */
export interface ApiCall {
  readonly service: 'ec2';
  readonly operation: 'AuthorizeSecurityGroupIngress' | 'RevokeSecurityGroupIngress' | 'ModifySecurityGroupRules';
  readonly input: Readonly<Record<string, unknown>>;
}

/** A change with the exact SQL it will run. */
export interface PlannedChange {
  readonly change: Change;
  readonly action: 'create' | 'update' | 'delete';
  /** One line a reviewer reads, e.g. `create role studentweb_rw (login, password in Vault ...)`. */
  readonly summary: string;
  readonly placement: Placement;
  readonly statements: readonly Statement[];
  /** For allowlist changes (no statements): the API call it makes. */
  readonly apiCall?: ApiCall;
}

export interface Plan {
  readonly instance: string;
  readonly commit: string;
  readonly changes: readonly PlannedChange[];
  readonly notes: readonly Note[];
  readonly errors: readonly PlanError[];
}

/**
 * Whether the live instance still differs from the files: changes to apply, or a drop the files
 * ask for that waits for `apply --allow-destroy`. `plan --detailed-exitcode` exits 2 for either,
 * so the scheduled drift check reports a retired database whose drop nobody has carried out.
 */
export const hasPendingWork = (plan: Plan): boolean => plan.changes.length > 0 || plan.notes.some((note) => note.kind === 'drop-pending');

export const PASSWORD_PLACEHOLDER = ':password';
