/** Builders for desired and live states in pure unit tests. */
import type { DesiredDatabase, DesiredState } from '../../src/model/desired.js';
import type { DatabaseSpec } from '../../src/model/spec.js';
import type { AclEntry, LiveDatabase, LiveRole, LiveState, OwnershipMarker } from '../../src/model/state.js';
import { roleNames } from '../../src/model/role-names.js';

export const ADMIN = 'platon_admin';

export function spec(name: string, overrides: Partial<DatabaseSpec> = {}): DatabaseSpec {
  return {
    name,
    file: `databases/${name}.yaml`,
    team: `${name}-team`,
    project: name,
    contact: `${name}@example.org`,
    instance: 'local',
    users: { readOnly: true },
    extensions: [],
    access: { external: [] },
    backup: {},
    connectionLimit: 20,
    ...overrides,
  };
}

export const desiredDb = (s: DatabaseSpec): DesiredDatabase => ({
  spec: s,
  secrets: {
    rw: { store: 'file', path: `local/${s.name}/rw`, database: s.name, user: 'rw' },
    ro: { store: 'file', path: `local/${s.name}/ro`, database: s.name, user: 'ro' },
  },
});

export const desired = (...specs: DatabaseSpec[]): DesiredState => ({
  instance: 'local',
  commit: 'c0ffee',
  databases: specs.map(desiredDb),
});

export const marker = (name: string, commit = 'c0ffee'): OwnershipMarker => ({
  managedBy: 'platon-db',
  file: `databases/${name}.yaml`,
  team: `${name}-team`,
  commit,
});

export const role = (name: string, fields: Partial<LiveRole> = {}): LiveRole => ({
  name,
  login: false,
  connectionLimit: -1,
  marker: null,
  settings: {},
  memberOf: [],
  ...fields,
});

export const acl = (grantee: string, ...privileges: string[]): AclEntry[] =>
  privileges.map((privilege) => ({ grantee, privilege }));

/** The live state a clean apply of `s` leaves behind. */
export function converged(s: DatabaseSpec): { roles: LiveRole[]; database: LiveDatabase } {
  const n = roleNames(s.name);
  const m = marker(s.name);
  const roles = [
    role(n.owner, { marker: m }),
    role(n.rw, { login: true, connectionLimit: s.connectionLimit, marker: m, settings: { role: n.owner }, memberOf: [n.owner] }),
    ...(s.users.readOnly ? [role(n.ro, { login: true, connectionLimit: s.connectionLimit, marker: m })] : []),
  ];
  const ro = s.users.readOnly;
  const database: LiveDatabase = {
    name: s.name,
    owner: n.owner,
    marker: m,
    acl: [...acl(n.owner, 'CONNECT', 'CREATE', 'TEMPORARY'), ...(ro ? acl(n.ro, 'CONNECT') : [])],
    contents: {
      extensions: [{ name: 'plpgsql', version: '1.0' }, ...s.extensions.map((e) => ({ name: e, version: '1.0' }))],
      schemas: [{ name: 'public', owner: 'pg_database_owner', acl: ro ? acl(n.ro, 'USAGE') : [], unreadableByReadOnly: 0 }],
      defaultPrivileges: ro
        ? [
            { owner: n.owner, schema: null, objectType: 'tables', acl: acl(n.ro, 'SELECT') },
            { owner: n.owner, schema: null, objectType: 'sequences', acl: acl(n.ro, 'SELECT') },
            { owner: n.owner, schema: null, objectType: 'schemas', acl: acl(n.ro, 'USAGE') },
          ]
        : [],
    },
  };
  return { roles, database };
}

export function liveState(parts: { roles?: LiveRole[]; databases?: LiveDatabase[] }): LiveState {
  const roles = [role(ADMIN, { login: true }), ...(parts.roles ?? [])];
  // The admin is a member of every owner role it created (the RDS workaround).
  const owners = roles.filter((r) => r.name.endsWith('_owner') && r.marker).map((r) => r.name);
  const withAdmin = roles.map((r) => (r.name === ADMIN ? { ...r, memberOf: [...r.memberOf, ...owners] } : r));
  return {
    admin: ADMIN,
    serverMajor: 15,
    roles: new Map(withAdmin.map((r) => [r.name, r])),
    databases: new Map((parts.databases ?? []).map((d) => [d.name, d])),
  };
}

export function convergedState(...specs: DatabaseSpec[]): LiveState {
  const parts = specs.map(converged);
  return liveState({ roles: parts.flatMap((p) => p.roles), databases: parts.map((p) => p.database) });
}
