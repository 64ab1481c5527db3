/** The pure isolation checks behind `platon-db verify`: a clean instance passes, each hole is named. */
import { describe, expect, it } from 'vitest';
import type { AccessDatabase, AccessFacts, AccessRole, DatabasePrivileges } from '../../src/model/access.js';
import { roleNames, type RoleNames } from '../../src/model/role-names.js';
import { checkAccess } from '../../src/verify/check-access.js';
import { acl, marker } from '../support/states.js';

const ADMIN = 'platon_admin';

const role = (name: string, fields: Partial<AccessRole> = {}): AccessRole => ({
  name,
  login: false,
  marker: null,
  memberOf: [],
  superuser: false,
  createRole: false,
  createDb: false,
  replication: false,
  bypassRls: false,
  ...fields,
});

const database = (name: string, fields: Partial<AccessDatabase> = {}): AccessDatabase => ({
  name,
  owner: `${name}_owner`,
  marker: marker(name),
  template: false,
  acl: acl(`${name}_owner`, 'CONNECT', 'CREATE', 'TEMPORARY'),
  ...fields,
});

/** What a clean apply leaves for `a` (with a read-only user) and `b` (without), plus PostgreSQL's own databases. */
function clean(): { roles: AccessRole[]; databases: AccessDatabase[]; privileges: DatabasePrivileges[] } {
  const all = { connect: true, create: true, temp: true };
  return {
    roles: [
      role(ADMIN, { login: true, createRole: true, createDb: true, memberOf: ['a_owner', 'b_owner', 'rds_superuser'] }),
      role('a_owner', { marker: marker('a') }),
      role('a_rw', { login: true, marker: marker('a'), memberOf: ['a_owner'] }),
      role('a_ro', { login: true, marker: marker('a') }),
      role('b_owner', { marker: marker('b') }),
      role('b_rw', { login: true, marker: marker('b'), memberOf: ['b_owner'] }),
      role('handmade', { login: true }),
    ],
    databases: [
      database('a', { acl: [...acl('a_owner', 'CONNECT', 'CREATE', 'TEMPORARY'), ...acl('a_ro', 'CONNECT')] }),
      database('b'),
      database('postgres', { owner: ADMIN, marker: null, acl: [...acl('PUBLIC', 'CONNECT', 'TEMPORARY'), ...acl(ADMIN, 'CONNECT', 'CREATE', 'TEMPORARY')] }),
      database('template1', { owner: 'postgres', marker: null, template: true, acl: acl('PUBLIC', 'CONNECT') }),
      database('legacy', { owner: 'handmade', marker: null, acl: acl('PUBLIC', 'CONNECT') }),
    ],
    privileges: [
      { role: 'a_owner', database: 'a', ...all },
      { role: 'a_rw', database: 'a', ...all },
      { role: 'a_ro', database: 'a', connect: true, create: false, temp: false },
      { role: 'b_owner', database: 'b', ...all },
      { role: 'b_rw', database: 'b', ...all },
    ],
  };
}

type State = ReturnType<typeof clean>;

function facts(change: (s: State) => void = () => undefined): AccessFacts {
  const s = clean();
  change(s);
  return {
    roles: new Map(s.roles.map((r) => [r.name, r])),
    databases: new Map(s.databases.map((d) => [d.name, d])),
    privileges: s.privileges,
  };
}

const check = (f: AccessFacts, only?: string[]) => checkAccess(f, { instance: 'shared', admin: ADMIN, namesOf: roleNames, ...(only ? { only: new Set(only) } : {}) });
const errors = (f: AccessFacts) => check(f).findings.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.database ?? '-'} ${x.role ?? '-'}`);
const update = <T extends { name: string }>(list: T[], name: string, fields: Partial<T>) => list.splice(list.findIndex((x) => x.name === name), 1, { ...list.find((x) => x.name === name)!, ...fields });

describe('checkAccess', () => {
  it('passes what a clean apply leaves, warning about postgres and template1', () => {
    const report = check(facts());
    expect(report.databases).toEqual(['a', 'b']);
    expect(report.roles).toEqual(['a_owner', 'a_ro', 'a_rw', 'b_owner', 'b_rw']);
    expect(report.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(['warning maintenance.public-connect', 'warning maintenance.public-connect']);
    expect(report.findings[0]!.message).toContain('database postgres grants CONNECT to PUBLIC');
  });

  it.each<[string, (s: State) => void, string[]]>([
    ['another team may connect', (s) => s.privileges.push({ role: 'b_rw', database: 'a', connect: true, create: false, temp: false }), ['access.cross-database a b_rw']],
    ['the read-only user may create', (s) => s.privileges.splice(2, 1, { role: 'a_ro', database: 'a', connect: true, create: true, temp: true }), ['access.read-only-writes a a_ro']],
    [
      'PUBLIC may connect (reported once, not per role)',
      (s) => {
        update(s.databases, 'b', { acl: [...acl('b_owner', 'CONNECT', 'CREATE', 'TEMPORARY'), ...acl('PUBLIC', 'CONNECT')] });
        s.privileges.push({ role: 'a_ro', database: 'b', connect: true, create: false, temp: false });
      },
      ['access.public b -'],
    ],
    ['a role platon-db does not manage was granted CONNECT', (s) => update(s.databases, 'b', { acl: [...acl('b_owner', 'CONNECT', 'CREATE', 'TEMPORARY'), ...acl('handmade', 'CONNECT')] }), ['access.unmanaged-grantee b handmade']],
    ['someone else is a member of the owner role', (s) => update(s.roles, 'handmade', { memberOf: ['a_owner'] }), ['membership.unexpected-member a a_owner']],
    ['the read-only user is a member of the owner role', (s) => update(s.roles, 'a_ro', { memberOf: ['a_owner'] }), ['membership.unexpected-member a a_owner']],
    ['a team role is a member of a powerful role', (s) => update(s.roles, 'b_rw', { memberOf: ['b_owner', 'pg_read_all_data'] }), ['membership.unexpected-group b b_rw']],
    [
      'its team dropped a managed database (PostgreSQL lets the owner): its roles remain',
      (s) => {
        s.databases.splice(s.databases.findIndex((d) => d.name === 'b'), 1);
        s.privileges.splice(3, 2);
      },
      ['database.vanished b -'],
    ],
    ['a login role can create databases and bypass row security', (s) => update(s.roles, 'a_rw', { createDb: true, bypassRls: true }), ['role.privileged a a_rw']],
    ['the owner role is a superuser', (s) => update(s.roles, 'b_owner', { superuser: true }), ['role.privileged b b_owner']],
    [
      'a database whose COMMENT a crash lost is still checked (owned by our marked owner role)',
      (s) => {
        update(s.databases, 'b', { marker: null });
        s.privileges.push({ role: 'a_rw', database: 'b', connect: true, create: false, temp: false });
      },
      ['access.cross-database b a_rw'],
    ],
  ])('reports: %s', (_name, change, expected) => {
    expect(errors(facts(change))).toEqual(expected);
  });

  it('names the hole in words a reviewer understands', () => {
    const report = check(facts((s) => s.privileges.push({ role: 'b_rw', database: 'a', connect: true, create: true, temp: false })));
    expect(report.findings.find((f) => f.severity === 'error')?.message).toBe('role b_rw (rw of b) holds CONNECT, CREATE on database a');
  });

  it('checks only the databases asked for, and what reaches them', () => {
    const f = facts((s) => {
      s.privileges.push({ role: 'b_rw', database: 'a', connect: true, create: false, temp: false });
      update(s.roles, 'b_rw', { superuser: true });
    });
    const report = check(f, ['a']);
    expect(report.databases).toEqual(['a']);
    expect(report.roles).toEqual(['a_owner', 'a_ro', 'a_rw']);
    expect(report.findings.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.role}`)).toEqual(['access.cross-database b_rw']);
  });

  it("accepts the instance's plan role with CONNECT, and nothing more", () => {
    const withPlanRole = (...privileges: string[]) =>
      facts((s) => update(s.databases, 'b', { acl: [...acl('b_owner', 'CONNECT', 'CREATE', 'TEMPORARY'), ...acl('planner', ...privileges)] }));
    const codes = (f: AccessFacts) => checkAccess(f, { instance: 'shared', admin: ADMIN, planUser: 'planner', namesOf: roleNames }).findings.filter((x) => x.severity === 'error').map((x) => x.message);
    expect(codes(withPlanRole('CONNECT'))).toEqual([]);
    expect(codes(withPlanRole('CONNECT', 'CREATE'))).toEqual(['role planner, which platon-db does not manage, holds CREATE on database b']);
  });

  it('accepts the memberships an apply grants in an adopted database, as the diff expects them', () => {
    // Adopted `legacy`, owned by its login user (owner: rw: legacy_user), read by legacy_reader;
    // adopted `shop` with an owner role apart from its login user. The admin is a member of each.
    const adoptedFacts = facts((s) => {
      update(s.databases, 'legacy', { owner: 'legacy_user', marker: marker('legacy'), acl: [...acl('legacy_user', 'CONNECT', 'CREATE', 'TEMPORARY'), ...acl('legacy_reader', 'CONNECT')] });
      s.databases.push(database('shop', { owner: 'shop_admin', acl: acl('shop_admin', 'CONNECT', 'CREATE', 'TEMPORARY') }));
      s.roles.push(
        role('legacy_user', { login: true, marker: marker('legacy') }),
        role('legacy_reader', { login: true, marker: marker('legacy') }),
        role('shop_admin', { marker: marker('shop') }),
        role('shop_user', { login: true, marker: marker('shop'), memberOf: ['shop_admin'] }),
      );
      update(s.roles, ADMIN, { memberOf: ['a_owner', 'b_owner', 'rds_superuser', 'legacy_user', 'shop_admin', 'shop_user'] });
      s.privileges.push(
        { role: 'legacy_user', database: 'legacy', connect: true, create: true, temp: true },
        { role: 'legacy_reader', database: 'legacy', connect: true, create: false, temp: false },
        { role: 'shop_admin', database: 'shop', connect: true, create: true, temp: true },
        { role: 'shop_user', database: 'shop', connect: true, create: true, temp: true },
      );
    });
    const declared: Record<string, RoleNames> = {
      legacy: { owner: 'legacy_user', rw: 'legacy_user', ro: 'legacy_reader' },
      shop: { owner: 'shop_admin', rw: 'shop_user', ro: 'shop_ro' },
    };
    const namesOf = (d: string) => declared[d] ?? roleNames(d);
    const errorsWhen = (adopted: boolean) =>
      checkAccess(adoptedFacts, { instance: 'shared', admin: ADMIN, namesOf, adopted: () => adopted })
        .findings.filter((x) => x.severity === 'error')
        .map((x) => `${x.code} ${x.database} ${x.role}`);
    expect(errorsWhen(true)).toEqual([]);
    // Not adopted, the admin has no business in the login user: only the owner role is expected.
    expect(errorsWhen(false)).toEqual(['membership.unexpected-member shop shop_user']);
  });

  it('ignores databases and roles it does not manage', () => {
    const report = check(facts((s) => update(s.roles, 'handmade', { superuser: true, memberOf: ['pg_read_all_data'] })));
    expect(report.findings.filter((x) => x.severity === 'error')).toEqual([]);
  });
});
