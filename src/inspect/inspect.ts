/**
 * LiveState from the catalogs: three cluster-wide queries, then one connection per managed
 * database (bounded concurrency) for what lives inside it.
 */
import pLimit from 'p-limit';
import type pg from 'pg';
import type { AclEntry, DatabaseContents, DefaultPrivilegeObject, LiveDatabase, LiveRole, LiveState, RoleAttribute } from '../model/state.js';
import { roleNames } from '../model/role-names.js';
import type { Connector } from '../adapters/postgres/connector.js';
import { withClient } from '../adapters/postgres/connector.js';
import { readOnlyBatch } from '../adapters/postgres/read-only.js';
import { isManagedDatabase } from '../diff/ownership.js';
import { parseMarker } from '../sql/marker.js';
import * as q from './queries.js';

export interface InspectOptions {
  /** How many team databases are read at once. */
  readonly concurrency?: number;
  /** Look inside only these databases (e.g. those a plan concerns); default: every managed one. */
  readonly only?: ReadonlySet<string>;
  /**
   * Databases whose read-only grants matter (those with a read-only user); the others skip the
   * schema and default-privilege catalogs and report none. Default: all.
   */
  readonly readOnlyChecks?: ReadonlySet<string>;
  /**
   * The read-only role and the roles owning the team's objects, per database, when not the
   * derived ones (an adopted database's hand-made roles). Their relations count as fixable before
   * the admin is a member of them: adoption grants that membership in the same apply.
   */
  readonly teamRoles?: ReadonlyMap<string, { readonly ro: string; readonly owners: readonly string[] }>;
  /**
   * Connected as the instance's read-only plan role: the plan is still made for the admin that
   * will apply it (memberships are planned for that role, not for the one reading).
   */
  readonly planningFor?: { readonly planUser: string; readonly admin: string };
}

const OBJECT_TYPES: Record<string, DefaultPrivilegeObject> = {
  r: 'tables',
  S: 'sequences',
  f: 'functions',
  T: 'types',
  n: 'schemas',
};

export async function inspect(connector: Connector, options: InspectOptions = {}): Promise<LiveState> {
  const limit = pLimit(options.concurrency ?? 4);
  // The cluster queries come first, so only databases that exist are connected to: reading
  // speculatively alongside them saved little and cost a failed login per database being created.
  const full = (name: string) => !options.readOnlyChecks || options.readOnlyChecks.has(name);
  const roles = (name: string) => options.teamRoles?.get(name) ?? { ro: roleNames(name).ro, owners: [] };
  const read = (name: string) => limit(() => readContents(connector, name, full(name), roles(name)));
  const cluster = await withClient(connector, undefined, async (client) => {
    const [server, roles, databases] = await readOnlyBatch(client, [q.SERVER, q.ROLES, q.DATABASES]);
    return { server: server!.rows[0] as { admin: string; major: number }, roles: roles!.rows.map(toRole), databases: databases!.rows.map(toDatabase) };
  });
  const shell: LiveState = {
    admin: options.planningFor?.planUser === cluster.server.admin ? options.planningFor.admin : cluster.server.admin,
    serverMajor: cluster.server.major,
    roles: new Map(cluster.roles.map((r) => [r.name, r])),
    databases: new Map(cluster.databases.map((d) => [d.name, d])),
  };
  // Declared databases are read whether managed or not: one being adopted needs its contents planned.
  const wanted = (db: LiveDatabase) => (options.only ? options.only.has(db.name) : isManagedDatabase(db, shell));
  const databases = await Promise.all(
    cluster.databases.map(async (db) =>
      wanted(db) ? { ...db, contents: await read(db.name) } : db,
    ),
  );
  return { ...shell, databases: new Map(databases.map((d) => [d.name, d])) };
}

/** Contents of one database, or undefined when the admin cannot connect (the diff reports it for managed ones). */
async function readContents(
  connector: Connector,
  database: string,
  full: boolean,
  { ro, owners }: { readonly ro: string; readonly owners: readonly string[] },
): Promise<DatabaseContents | undefined> {
  try {
    // One round trip per database: the read-only transaction travels with the query.
    return await withClient(connector, database, async (client): Promise<DatabaseContents> => {
      if (!full) {
        const [{ rows }] = (await readOnlyBatch(client, [q.EXTENSIONS])) as [pg.QueryResult<{ name: string; version: string }>];
        return { extensions: rows, schemas: [], defaultPrivileges: [] };
      }
      const [{ rows }] = (await readOnlyBatch(client, [q.contents(ro, owners)])) as [pg.QueryResult];
      const row = rows[0]!;
      return {
        extensions: (row.extensions as { name: string; version: string }[]).map((e) => ({ name: e.name, version: e.version })),
        schemas: (row.schemas as pg.QueryResultRow[]).map((s) => ({
          name: s.name,
          owner: s.owner,
          acl: s.acl as AclEntry[],
          unreadableByReadOnly: s.unreadable,
        })),
        defaultPrivileges: (row.default_privileges as pg.QueryResultRow[]).flatMap((d) => {
          const objectType = OBJECT_TYPES[d.object_type as string];
          return objectType ? [{ owner: d.owner, schema: d.schema ?? null, objectType, acl: d.acl as AclEntry[] }] : [];
        }),
      };
    });
  } catch {
    return undefined;
  }
}

function toRole(row: pg.QueryResultRow): LiveRole {
  return {
    name: row.name,
    login: row.login,
    connectionLimit: row.connection_limit,
    marker: parseMarker(row.comment),
    settings: toSettings(row.settings as string[]),
    memberOf: row.member_of as string[],
    attributes: row.attributes as RoleAttribute[],
  };
}

function toDatabase(row: pg.QueryResultRow): LiveDatabase {
  return {
    name: row.name,
    owner: row.owner,
    marker: parseMarker(row.comment),
    acl: row.acl as AclEntry[],
    isTemplate: row.is_template,
    allowConnections: row.allow_connections,
    connectionLimit: row.connection_limit,
    settings: toSettings(row.settings as string[]),
  };
}

/** pg_db_role_setting's `name=value` entries. */
function toSettings(entries: readonly string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at > 0) settings[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return settings;
}
