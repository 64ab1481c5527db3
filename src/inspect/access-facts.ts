/**
 * AccessFacts for `platon-db verify`, in one READ ONLY transaction on the maintenance database:
 * roles and databases first, then PostgreSQL's own privilege answers for the managed ones.
 */
import type pg from 'pg';
import type { AccessDatabase, AccessFacts, AccessRole, DatabasePrivileges } from '../model/access.js';
import type { AclEntry } from '../model/state.js';
import type { Connector } from '../adapters/postgres/connector.js';
import { withReadOnlyClient } from '../adapters/postgres/read-only.js';
import { isManagedDatabase } from '../diff/ownership.js';
import { parseMarker } from '../sql/marker.js';
import { ACCESS_DATABASES, ACCESS_PRIVILEGES, ACCESS_ROLES } from './access-queries.js';

export async function readAccessFacts(connector: Connector): Promise<AccessFacts> {
  // READ ONLY: verify must be safe to run on the production instance at any time.
  return withReadOnlyClient(connector, undefined, read);
}

async function read(client: pg.Client): Promise<AccessFacts> {
  const roles = new Map((await client.query(ACCESS_ROLES)).rows.map((row) => [row.name as string, toRole(row)]));
  const databases = new Map((await client.query(ACCESS_DATABASES)).rows.map((row) => [row.name as string, toDatabase(row)]));
  const managedRoles = [...roles.values()].filter((r) => r.marker).map((r) => r.name);
  const managedDatabases = [...databases.values()].filter((d) => isManagedDatabase(d, { roles })).map((d) => d.name);
  const privileges = (await client.query<DatabasePrivileges>(ACCESS_PRIVILEGES, [managedRoles, managedDatabases])).rows;
  return { roles, databases, privileges };
}

function toRole(row: pg.QueryResultRow): AccessRole {
  return {
    name: row.name,
    login: row.login,
    marker: parseMarker(row.comment),
    memberOf: row.member_of as string[],
    superuser: row.superuser,
    createRole: row.create_role,
    createDb: row.create_db,
    replication: row.replication,
    bypassRls: row.bypass_rls,
  };
}

function toDatabase(row: pg.QueryResultRow): AccessDatabase {
  return { name: row.name, owner: row.owner, marker: parseMarker(row.comment), template: row.template, acl: row.acl as AclEntry[] };
}
