/**
 * The catalog queries inspection runs, kept apart from the logic that reads their rows.
 * They only read catalogs an RDS master (no superuser) can read: pg_roles, not pg_authid.
 */
import { quoteLiteral } from '../sql/quote.js';

/** An ACL as sorted JSON rows {grantee, privilege}; grantee 0 is PUBLIC. */
export const aclJson = (acl: string) => `coalesce((
         SELECT json_agg(json_build_object('grantee', g.grantee, 'privilege', g.privilege) ORDER BY g.grantee, g.privilege)
           FROM (SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS grantee,
                        a.privilege_type AS privilege
                   FROM aclexplode(${acl}) a) g), '[]')`;

export const SERVER = `SELECT current_user AS admin, current_setting('server_version_num')::int / 10000 AS major`;

/**
 * Every role with its comment, powerful attributes, direct memberships and role-wide settings. One
 * query, joined rather than looked up row by row: shobj_description() is a SQL function PostgreSQL
 * runs once per row, and with a correlated membership subquery that made this query ~10 ms at 150
 * roles, growing with the fleet (three roles per database). pg_roles.rolconfig is the role-wide
 * pg_db_role_setting entry (setdatabase = 0); (objoid, classoid) is pg_shdescription's key, so
 * the comment join adds no rows.
 */
export const ROLES = `
SELECT r.rolname AS name,
       r.rolcanlogin AS login,
       r.rolconnlimit AS connection_limit,
       array_remove(ARRAY[CASE WHEN r.rolsuper THEN 'SUPERUSER' END, CASE WHEN r.rolcreatedb THEN 'CREATEDB' END,
                          CASE WHEN r.rolcreaterole THEN 'CREATEROLE' END, CASE WHEN r.rolreplication THEN 'REPLICATION' END,
                          CASE WHEN r.rolbypassrls THEN 'BYPASSRLS' END], NULL) AS attributes,
       c.description AS comment,
       coalesce(m.member_of, '{}'::text[]) AS member_of,
       coalesce(r.rolconfig::text[], '{}'::text[]) AS settings
  FROM pg_roles r
  LEFT JOIN pg_shdescription c ON c.objoid = r.oid AND c.classoid = 'pg_catalog.pg_authid'::regclass
  LEFT JOIN (SELECT m.member, array_agg(g.rolname::text ORDER BY g.rolname) AS member_of
               FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
              GROUP BY m.member) m ON m.member = r.oid
 ORDER BY r.rolname`;

/**
 * Every database but PostgreSQL's own templates, with owner, comment, its effective ACL (acldefault
 * makes the implicit grants explicit, so PUBLIC's default CONNECT on a new database shows), and
 * what its owner can change with ALTER DATABASE. template0 and template1 are left out by name,
 * never by datistemplate: a team owner can set IS_TEMPLATE on its own database, which must not
 * hide it from the plan (or make the plan want to create it again). Comment and settings are
 * joined, not looked up per row (see ROLES).
 */
export const DATABASES = `
SELECT d.datname AS name,
       pg_get_userbyid(d.datdba) AS owner,
       c.description AS comment,
       ${aclJson("coalesce(d.datacl, acldefault('d', d.datdba))")} AS acl,
       d.datistemplate AS is_template,
       d.datallowconn AS allow_connections,
       d.datconnlimit AS connection_limit,
       coalesce(s.setconfig::text[], '{}'::text[]) AS settings
  FROM pg_database d
  LEFT JOIN pg_shdescription c ON c.objoid = d.oid AND c.classoid = 'pg_catalog.pg_database'::regclass
  LEFT JOIN pg_db_role_setting s ON s.setdatabase = d.oid AND s.setrole = 0
 WHERE d.datname NOT IN ('template0', 'template1')
 ORDER BY d.datname`;

/** Inside one database. */
export const EXTENSIONS = `SELECT extname AS name, extversion AS version FROM pg_extension ORDER BY extname`;

/**
 * Non-system schemas, their ACL, and how many relations the read-only role $1 cannot SELECT (none
 * counted while it does not exist). Only the team's relations count: those of the database owner
 * and of the hand-made roles $2 an adopted database names, all of which the admin can grant on.
 * Anything else (an extension's tables, say) could never be fixed and would plan forever. The
 * test does not depend on who is connected, so the plan role and the admin plan alike.
 * (Looking extension members up in pg_depend instead doubled the query's cost.)
 */
export const SCHEMAS = `
SELECT n.nspname AS name,
       pg_get_userbyid(n.nspowner) AS owner,
       ${aclJson('n.nspacl')} AS acl,
       (SELECT count(*) FROM pg_class c
         WHERE c.relnamespace = n.oid
           AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
           AND (c.relowner = (SELECT d.datdba FROM pg_database d WHERE d.datname = current_database()) OR pg_get_userbyid(c.relowner) = ANY($2::text[]))
           AND NOT has_table_privilege((SELECT rolname::text FROM pg_roles WHERE rolname = $1), c.oid, 'SELECT'))::int AS unreadable
  FROM pg_namespace n
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'
 ORDER BY n.nspname`;

/** pg_default_acl; schema is NULL for the global entries (ALTER DEFAULT PRIVILEGES without IN SCHEMA). */
export const DEFAULT_PRIVILEGES = `
SELECT pg_get_userbyid(d.defaclrole) AS owner,
       n.nspname AS schema,
       d.defaclobjtype AS object_type,
       ${aclJson('d.defaclacl')} AS acl
  FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
 ORDER BY 1, 2, 3`;

/** The three queries above in one round trip: inspection time is mostly connections and latency. */
const CONTENTS = `
SELECT coalesce((SELECT json_agg(e) FROM (${EXTENSIONS}) e), '[]') AS extensions,
       coalesce((SELECT json_agg(s) FROM (${SCHEMAS}) s), '[]') AS schemas,
       coalesce((SELECT json_agg(d) FROM (${DEFAULT_PRIVILEGES}) d), '[]') AS default_privileges`;

/**
 * CONTENTS for the read-only role `ro` and the hand-made owners `owners`, its parameters written
 * as literals: it travels with BEGIN and COMMIT in one simple-protocol message, which takes none.
 */
export const contents = (ro: string, owners: readonly string[]): string =>
  // One pass: a value that itself reads `$2` must stay text.
  CONTENTS.replace(/\$([12])/g, (_, n: string) => (n === '1' ? quoteLiteral(ro) : `ARRAY[${owners.map(quoteLiteral).join(', ')}]::text[]`));
