/**
 * Everything PostgreSQL knows about the objects whose names start with a prefix: roles with their
 * attributes and markers, memberships, role settings, databases with owner, marker and ACL, and
 * inside each database its extensions, schemas and default privileges. ACLs are exploded and
 * sorted, so two instances reached by different histories compare equal when they grant the same.
 * Read as the RDS-like admin: nothing here needs a superuser.
 */
import pLimit from 'p-limit';
import { urlAs, withClient } from './postgres.js';

/** aclexplode of `acl` (`acldefault` filled in by the caller) as sorted `grantee=PRIV[*]/grantor` text. */
const acl = (expression: string) => `ARRAY(
  SELECT (CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END) || '=' || a.privilege_type
         || CASE WHEN a.is_grantable THEN '*' ELSE '' END || '/' || pg_get_userbyid(a.grantor)
    FROM aclexplode(${expression}) a ORDER BY 1)`;

const CLUSTER = {
  roles: `SELECT rolname AS name, rolcanlogin AS login, rolconnlimit AS connlimit, rolsuper AS super, rolinherit AS inherit,
                 rolcreaterole AS createrole, rolcreatedb AS createdb, rolreplication AS replication, rolbypassrls AS bypassrls,
                 rolvaliduntil::text AS valid_until, shobj_description(oid, 'pg_authid') AS comment
            FROM pg_roles WHERE rolname LIKE $1 ORDER BY 1`,
  memberships: `SELECT g.rolname AS role, m.rolname AS member, a.admin_option, pg_get_userbyid(a.grantor) AS grantor
                  FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
                 WHERE g.rolname LIKE $1 OR m.rolname LIKE $1 ORDER BY 1, 2`,
  settings: `SELECT r.rolname AS role, coalesce(d.datname, '') AS database, s.setconfig AS config
               FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole LEFT JOIN pg_database d ON d.oid = s.setdatabase
              WHERE r.rolname LIKE $1 OR d.datname LIKE $1 ORDER BY 1, 2`,
  databases: `SELECT datname AS name, pg_get_userbyid(datdba) AS owner, shobj_description(oid, 'pg_database') AS comment,
                     datconnlimit AS connlimit, datallowconn AS allow_connections, datistemplate AS template,
                     ${acl("coalesce(datacl, acldefault('d', datdba))")} AS acl
                FROM pg_database WHERE datname LIKE $1 ORDER BY 1`,
};

const CONTENTS = `
SELECT ARRAY(SELECT e.extname || ' ' || e.extversion || ' in ' || n.nspname || ' by ' || pg_get_userbyid(e.extowner)
               FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 1) AS extensions,
       ARRAY(SELECT n.nspname || ' by ' || pg_get_userbyid(n.nspowner) || ' ' || array_to_string(${acl("coalesce(n.nspacl, acldefault('n', n.nspowner))")}, ',')
               FROM pg_namespace n WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' ORDER BY 1) AS schemas,
       ARRAY(SELECT pg_get_userbyid(d.defaclrole) || ' ' || coalesce(n.nspname, '*') || ' ' || d.defaclobjtype::text || ' ' || array_to_string(${acl('d.defaclacl')}, ',')
               FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace ORDER BY 1) AS default_privileges,
       ARRAY(SELECT c.relname || ' ' || c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1) AS relations`;

export interface CatalogSnapshot {
  readonly [part: string]: unknown;
}

export const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, '\\$&')}%`;

/** The snapshot of `prefix`'s objects on the server `adminUrl` points at. */
export async function catalogSnapshot(adminUrl: string, prefix: string): Promise<CatalogSnapshot> {
  const like = likePrefix(prefix);
  const cluster = await withClient(adminUrl, async (client) => {
    const out: Record<string, unknown[]> = {};
    for (const [part, sql] of Object.entries(CLUSTER)) out[part] = (await client.query(sql, [like])).rows;
    return out;
  });
  const limit = pLimit(4);
  const names = (cluster.databases as { name: string; allow_connections: boolean }[]).filter((d) => d.allow_connections).map((d) => d.name);
  const contents = await Promise.all(
    names.map((name) =>
      limit(() => withClient(urlAs({ ...adminLogin(adminUrl), database: name }, adminUrl), async (c) => [name, (await c.query(CONTENTS)).rows[0]] as const)),
    ),
  );
  return { ...cluster, contents: Object.fromEntries(contents) };
}

const adminLogin = (url: string) => {
  const u = new URL(url);
  return { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
};

/** The snapshot as text with each `[from, to]` replaced (longest first), e.g. a per-run name prefix. */
export function normalised(snapshot: CatalogSnapshot, replacements: readonly (readonly [string, string])[]): string {
  let text = JSON.stringify(snapshot, null, 1);
  for (const [from, to] of [...replacements].sort((a, b) => b[0].length - a[0].length)) text = text.split(from).join(to);
  return text;
}
