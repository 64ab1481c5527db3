/**
 * Starts the local instance in its own process and prints `ready <port>`, then waits to be killed:
 * `node bin/run-ts.js test/support/local-postgres-child.ts <root>`. Lets a test kill a run with
 * SIGKILL (no cleanup at all) and check that the next run recovers.
 */
import { startLocalPostgres, type LocalPostgresOptions } from '../../src/adapters/postgres/local-postgres.js';

/** The local instance's settings in tests, made fast: no fsync, since the cluster is thrown away. */
export const LOCAL_TEST_OPTIONS: Omit<LocalPostgresOptions, 'root'> = {
  port: 0,
  adminUser: 'platon_admin',
  adminDatabase: 'postgres',
  initdbFlags: ['--no-sync'],
  postgresFlags: ['-c', 'fsync=off'],
};

if (process.argv[1]?.endsWith('local-postgres-child.ts')) {
  const server = await startLocalPostgres({ root: process.argv[2]!, ...LOCAL_TEST_OPTIONS });
  process.stdout.write(`ready ${server.port}\n`);
  setInterval(() => undefined, 60_000);
}
