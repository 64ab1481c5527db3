/**
 * The catalog queries `platon-db verify` runs. Only catalogs an RDS master can read (pg_roles,
 * not pg_authid), and only reads: verify runs them in a READ ONLY transaction.
 */
import { aclJson } from './queries.js';

/** Every role with the attributes that make a login dangerous, its comment and direct memberships. */
export const ACCESS_ROLES = `
SELECT r.rolname AS name, r.rolcanlogin AS login, r.rolsuper AS superuser, r.rolcreaterole AS create_role,
       r.rolcreatedb AS create_db, r.rolreplication AS replication, r.rolbypassrls AS bypass_rls,
       shobj_description(r.oid, 'pg_authid') AS comment,
       coalesce((SELECT array_agg(g.rolname::text ORDER BY g.rolname)
                   FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                  WHERE m.member = r.oid), '{}'::text[]) AS member_of
  FROM pg_roles r
 ORDER BY r.rolname`;

/** Every database, templates included (template1's PUBLIC CONNECT is reported). */
export const ACCESS_DATABASES = `
SELECT d.datname AS name, pg_get_userbyid(d.datdba) AS owner, shobj_description(d.oid, 'pg_database') AS comment,
       d.datistemplate AS template, ${aclJson("coalesce(d.datacl, acldefault('d', d.datdba))")} AS acl
  FROM pg_database d
 ORDER BY d.datname`;

/**
 * What PostgreSQL itself answers for each role in $1 on each database in $2 (memberships and
 * PUBLIC included), only where something is granted: usually one row per role.
 * By OID, not by name: a database or role dropped since the queries above (a team may drop its
 * own database at any moment) then answers NULL and drops out, where the by-name form fails the
 * whole check with "database ... does not exist".
 */
export const ACCESS_PRIVILEGES = `
SELECT p.role, p.database, p.connect, p.create, p.temp
  FROM (SELECT r.rolname AS role, d.datname AS database,
               has_database_privilege(r.oid, d.oid, 'CONNECT') AS connect,
               has_database_privilege(r.oid, d.oid, 'CREATE') AS create,
               has_database_privilege(r.oid, d.oid, 'TEMP') AS temp
          FROM pg_roles r CROSS JOIN pg_database d
         WHERE r.rolname = ANY($1::text[]) AND d.datname = ANY($2::text[])) p
 WHERE p.connect OR p.create OR p.temp
 ORDER BY 1, 2`;
