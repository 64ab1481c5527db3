/**
 * vitest globalSetup: dist/ rebuilt when src/ changed since its build (bin/build.js), and ONE
 * PostgreSQL 15 for the whole run, shared by all test files (they run in parallel, so each uses
 * its own names: see uniquePrefix in ./postgres.ts).
 *
 * - Default: an embedded server (./test-server.ts) on a free port, with the RDS-like admin
 *   `platon_admin`; stopped and deleted at teardown.
 * - PLATON_DATABASE_URL set: that server is used instead, and the URL must be an RDS-like admin
 *   (LOGIN CREATEDB CREATEROLE NOSUPERUSER, member of rds_superuser), e.g. a real RDS master or a
 *   server bootstrapped like src/adapters/postgres/bootstrap-rds-like.ts. There is no superuser
 *   then: tests that need one skip.
 */
import type { TestProject } from 'vitest/node';
import type {} from './provided.js';
import { startTestServer } from './test-server.js';
import { build, currentBuild } from '../../bin/build.js';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  // Child processes run bin/platon-db.js, which runs dist/ when it is current and the sources
  // through tsx otherwise; rebuilding an outdated dist/ first (a fraction of a second) keeps them
  // on the compiled code users run, with the sources as they are now.
  if (!currentBuild()) await build();
  const external = process.env.PLATON_DATABASE_URL;
  if (external) {
    project.provide('adminUrl', external);
    project.provide('superuserUrl', null);
    project.provide('serverLogFile', null);
    return;
  }
  const started = Date.now();
  const server = await startTestServer();
  if (process.env.PLATON_TEST_TIMING) console.log(`embedded PostgreSQL ready in ${Date.now() - started} ms`);
  project.provide('adminUrl', server.adminUrl);
  project.provide('superuserUrl', server.superuserUrl);
  project.provide('serverLogFile', server.logFile ?? null);
  return () => server.stop();
}
