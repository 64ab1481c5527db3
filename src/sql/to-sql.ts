/**
 * Change -> the exact SQL it runs. Pure: the plan shows these strings and apply executes them.
 * Passwords never appear: a login role's statement holds PASSWORD_PLACEHOLDER, replaced at apply
 * time by the SCRAM-SHA-256 verifier (never plaintext, which RDS statement logs would keep).
 */
import { PASSWORD_PLACEHOLDER, type Change, type DefaultPrivilegeTarget, type Statement } from '../model/change.js';
import { markerComment } from './marker.js';
import { quoteIdent as id, quoteLiteral as lit } from './quote.js';

const sql = (text: string): Statement => ({ sql: text });

/** What a read-only role gets by default on each kind of object its database owner creates later. */
const DEFAULT_GRANT: Record<DefaultPrivilegeTarget, string> = {
  tables: 'SELECT ON TABLES',
  sequences: 'SELECT ON SEQUENCES',
  schemas: 'USAGE ON SCHEMAS',
};

/**
 * Extensions whose control file fixes their schema (`schema = ...`, not relocatable): PostgreSQL
 * refuses a SCHEMA clause naming another one ("extension ... must be installed in schema ..."), and
 * search_path plays no part in where they go. From the control files themselves:
 * - PostgreSQL 15's own (test/unit/extension-schema.test.ts reads them from the embedded server):
 *   adminpack, plperl, plperlu, plpgsql, plpython3u, pltcl, pltclu (all `schema = pg_catalog`);
 * - RDS's others, from their sources: pg_hint_plan (hint_plan), pglogical (pglogical), pgactive
 *   (pg_catalog), pg_tle (pgtle), plrust (plrust), postgis_topology (topology),
 *   postgis_tiger_geocoder (tiger);
 * - AWS's closed ones, whose control files are not published: aws_commons, aws_lambda and aws_s3
 *   each install into the schema of their own name (RDS user guide). Unverified here.
 * Not relocatable without a fixed schema (xml2, pg_cron, pg_partman, pg_repack) takes SCHEMA.
 */
const FIXED_SCHEMA: ReadonlySet<string> = new Set([
  'adminpack',
  'aws_commons',
  'aws_lambda',
  'aws_s3',
  'pg_hint_plan',
  'pg_tle',
  'pgactive',
  'pglogical',
  'plperl',
  'plperlu',
  'plpgsql',
  'plpython3u',
  'plrust',
  'pltcl',
  'pltclu',
  'postgis_tiger_geocoder',
  'postgis_topology',
]);

export function toSql(change: Change): readonly Statement[] {
  switch (change.kind) {
    case 'create-role': {
      const limit = change.connectionLimit === undefined ? '' : ` CONNECTION LIMIT ${change.connectionLimit}`;
      const create: Statement = change.login
        ? change.secret
          ? { sql: `CREATE ROLE ${id(change.role)} LOGIN${limit} PASSWORD ${PASSWORD_PLACEHOLDER}`, password: change.secret }
          : sql(`CREATE ROLE ${id(change.role)} LOGIN${limit}`)
        : sql(`CREATE ROLE ${id(change.role)} NOLOGIN${limit}`);
      return [create, sql(`COMMENT ON ROLE ${id(change.role)} IS ${lit(markerComment(change.marker))}`)];
    }
    case 'grant-membership':
      return [sql(`GRANT ${id(change.role)} TO ${id(change.member)}`)];
    case 'revoke-membership':
      return [sql(`REVOKE ${id(change.role)} FROM ${id(change.member)}`)];
    case 'create-database':
      return [
        sql(`CREATE DATABASE ${id(change.database)} OWNER ${id(change.owner)}`),
        sql(`COMMENT ON DATABASE ${id(change.database)} IS ${lit(markerComment(change.marker))}`),
      ];
    case 'alter-database': {
      const options = [
        change.isTemplate === undefined ? '' : ' IS_TEMPLATE false',
        change.allowConnections === undefined ? '' : ' ALLOW_CONNECTIONS true',
        change.connectionLimit === undefined ? '' : ` CONNECTION LIMIT ${change.connectionLimit}`,
      ].join('');
      return [
        ...(options ? [sql(`ALTER DATABASE ${id(change.database)} WITH${options}`)] : []),
        ...(change.resetSettings ?? []).map((setting) => sql(`ALTER DATABASE ${id(change.database)} RESET ${id(setting)}`)),
      ];
    }
    case 'revoke-public':
      return [sql(`REVOKE ALL ON DATABASE ${id(change.database)} FROM PUBLIC`)];
    case 'grant-connect':
      return [sql(`GRANT CONNECT ON DATABASE ${id(change.database)} TO ${id(change.role)}`)];
    case 'set-role-setting':
      return [sql(`ALTER ROLE ${id(change.role)} SET ${id(change.setting)} = ${lit(change.value)}`)];
    case 'grant-schema-read': {
      const [schema, role] = [id(change.schema), id(change.role)];
      return [
        sql(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`),
        sql(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role}`),
        sql(`GRANT SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`),
      ];
    }
    case 'grant-default-privileges':
      return [
        sql(`ALTER DEFAULT PRIVILEGES FOR ROLE ${id(change.owner)} GRANT ${DEFAULT_GRANT[change.target]} TO ${id(change.role)}`),
      ];
    case 'create-extension':
      // Named, never the first schema of search_path: the admin's is pinned to pg_catalog (see
      // adapters/postgres/connector.ts), and an unpinned one could name a schema the team made.
      return [sql(`CREATE EXTENSION IF NOT EXISTS ${id(change.extension)}${FIXED_SCHEMA.has(change.extension) ? '' : ' SCHEMA public'}`)];
    case 'drop-extension':
      // Never CASCADE: if the team's objects depend on it, PostgreSQL refuses and the apply stops.
      return [sql(`DROP EXTENSION ${id(change.extension)}`)];
    case 'alter-role': {
      const parts = [
        change.login === undefined ? '' : change.login ? ' LOGIN' : ' NOLOGIN',
        change.connectionLimit === undefined ? '' : ` CONNECTION LIMIT ${change.connectionLimit}`,
        ...(change.remove ?? []).map((attribute) => ` NO${attribute}`),
      ];
      return [sql(`ALTER ROLE ${id(change.role)}${parts.join('')}`)];
    }
    case 'reset-password':
      return [{ sql: `ALTER ROLE ${id(change.role)} PASSWORD ${PASSWORD_PLACEHOLDER}`, password: change.secret }];
    case 'revoke-connect':
      return [sql(`REVOKE CONNECT ON DATABASE ${id(change.database)} FROM ${id(change.role)}`)];
    case 'terminate-sessions':
      // pg_signal_backend (which rds_superuser has) may end other non-superuser roles' sessions.
      return [
        sql(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${lit(change.database)} ` +
            `AND usename IN (${change.roles.map(lit).join(', ')})`,
        ),
      ];
    case 'drop-database':
      return [sql(`DROP DATABASE ${id(change.database)}`)];
    case 'drop-role':
      return [sql(`DROP ROLE ${id(change.role)}`)];
    case 'delete-secret':
      // Not SQL: the secret store's delete (see apply.ts).
      return [];
    case 'set-marker':
      return [
        sql(`COMMENT ON ${change.object === 'database' ? 'DATABASE' : 'ROLE'} ${id(change.name)} IS ${lit(markerComment(change.marker))}`),
      ];
    case 'authorize-ingress':
    case 'update-ingress-description':
    case 'revoke-ingress':
      // Not SQL: the allowlist lives in EC2 (see to-api-call.ts).
      return [];
  }
}
