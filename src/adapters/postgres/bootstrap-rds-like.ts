/**
 * Makes a plain PostgreSQL 15 look like RDS to the applier, done once with the bootstrap
 * superuser right after initdb. Idempotent: running it again changes nothing but the admin's
 * password. On RDS the master user is `LOGIN NOSUPERUSER CREATEDB CREATEROLE`, member of
 * `rds_superuser`, and everything afterwards connects only as that admin, so the tests see the
 * same permission errors RDS gives (see shared/design/RDS.md).
 *
 * The `postgres` database keeps its default CONNECT for PUBLIC, as on RDS: the tool must cope
 * with (and report) that, not have it hidden by the test server.
 */
import pg from 'pg';
import { scramSha256Verifier } from './scram.js';

/** RDS's NOLOGIN roles, and what `rds_superuser` is a member of there. */
const RDS_ROLES = ['rds_superuser', 'rds_password', 'rds_replication', 'rdsadmin'] as const;
const RDS_SUPERUSER_MEMBER_OF = ['pg_monitor', 'pg_signal_backend', 'rds_password', 'rds_replication'] as const;

export interface RdsLikeAdmin {
  readonly user: string;
  readonly password: string;
}

/** `superuser` is a connected client of a superuser. */
export async function bootstrapRdsLike(superuser: pg.Client, admin: RdsLikeAdmin): Promise<void> {
  const id = pg.escapeIdentifier;
  const existing = new Set(
    (await superuser.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [[...RDS_ROLES, admin.user]]))
      .rows.map((r) => r.rolname),
  );
  // The verifier, not the password: the server log (log_statement) never sees plaintext.
  const attributes = `LOGIN NOSUPERUSER CREATEDB CREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${pg.escapeLiteral(scramSha256Verifier(admin.password))}`;
  await superuser.query('BEGIN');
  try {
    for (const role of RDS_ROLES) if (!existing.has(role)) await superuser.query(`CREATE ROLE ${id(role)} NOLOGIN`);
    // GRANT of an existing membership only raises a notice, so it is safe to repeat.
    await superuser.query(`GRANT ${RDS_SUPERUSER_MEMBER_OF.map(id).join(', ')} TO rds_superuser`);
    await superuser.query(`${existing.has(admin.user) ? 'ALTER' : 'CREATE'} ROLE ${id(admin.user)} ${attributes}`);
    await superuser.query(`GRANT rds_superuser TO ${id(admin.user)}`);
    await superuser.query('COMMIT');
  } catch (error) {
    await superuser.query('ROLLBACK');
    throw new Error(`could not set up the RDS-like admin role ${admin.user}: ${(error as Error).message}`, { cause: error });
  }
}
