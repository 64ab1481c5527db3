/**
 * Drives the real pipeline (inspect -> plan -> apply) against the test server as the RDS-like
 * admin, with a file secret store in a temporary folder. Specs come from test/support/states.ts.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Plan } from '../../src/model/change.js';
import type { DatabaseSpec } from '../../src/model/spec.js';
import { buildPlan } from '../../src/diff/diff.js';
import { inspect } from '../../src/inspect/inspect.js';
import { findMissingSecrets } from '../../src/inspect/secrets.js';
import { applyPlan, type ApplyResult } from '../../src/apply/apply.js';
import { urlConnector, type Connector } from '../../src/adapters/postgres/connector.js';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';

export interface Harness {
  readonly connector: Connector;
  readonly secrets: FileSecretStore;
  /** The folder the secret store's paths are relative to. */
  readonly secretsRoot: string;
  readonly adminUrl: string;
  plan(specs: readonly DatabaseSpec[], options?: { allowDestroy?: boolean; commit?: string }): Promise<Plan>;
  apply(specs: readonly DatabaseSpec[], options?: { allowDestroy?: boolean; commit?: string }): Promise<{ plan: Plan; result: ApplyResult }>;
  /** A client as `user` (password from the secret store when omitted) on `database`. */
  connectAs(user: string, database: string, password?: string): Promise<pg.Client>;
  passwordOf(database: string, user: 'rw' | 'ro'): Promise<string>;
  /** Runs SQL as the admin on `database` (the maintenance database when omitted). */
  admin<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, database?: string): Promise<T[]>;
}

export async function harness(): Promise<Harness> {
  const adminUrl = inject('adminUrl');
  const connector = urlConnector(adminUrl);
  const root = await mkdtemp(join(tmpdir(), 'platon-db-secrets-'));
  const secrets = new FileSecretStore({ store: 'file', directory: 'secrets', pathTemplate: '{instance}/{database}/{user}' }, { root, instance: 'local' });
  const url = new URL(adminUrl);
  const endpoint = { host: url.hostname, port: Number(url.port) };

  const plan: Harness['plan'] = async (specs, options = {}) => {
    const live = await inspect(connector, { only: new Set(specs.map((s) => s.name)) });
    const desired = {
      instance: 'local',
      commit: options.commit ?? 'test-commit',
      databases: specs.map((spec) => ({ spec, secrets: { rw: secrets.refFor(spec.name, 'rw'), ro: secrets.refFor(spec.name, 'ro') } })),
    };
    const missingSecrets = await findMissingSecrets(secrets, desired, live);
    return buildPlan(desired, { ...live, missingSecrets }, { allowDestroy: options.allowDestroy ?? false });
  };
  const passwordOf: Harness['passwordOf'] = async (database, user) => {
    const stored = await secrets.read(secrets.refFor(database, user));
    if (!stored) throw new Error(`no secret for ${database} ${user}`);
    return stored.credentials.password;
  };
  return {
    connector,
    secrets,
    secretsRoot: root,
    adminUrl,
    plan,
    passwordOf,
    async apply(specs, options = {}) {
      const p = await plan(specs, options);
      if (p.errors.length > 0) return { plan: p, result: { applied: [], notApplied: p.changes } };
      return { plan: p, result: await applyPlan(p.changes, { connector, secrets, endpoint }) };
    },
    async connectAs(user, database, password) {
      const client = new pg.Client({ host: endpoint.host, port: endpoint.port, user, database, password: password ?? '' });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
    async admin(sql, database) {
      const client = await connector.connect(database);
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    },
  };
}

/** Whether `user` can open a session on `database` (false on any refusal). */
export async function canConnect(h: Harness, user: string, database: string, password: string): Promise<boolean> {
  try {
    const client = await h.connectAs(user, database, password);
    await client.end();
    return true;
  } catch {
    return false;
  }
}
