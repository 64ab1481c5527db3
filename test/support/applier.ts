/**
 * Drives the real pipeline (inspect -> plan -> apply) against the test server as the RDS-like
 * admin, with a file secret store in a temporary folder. Specs come from test/support/states.ts.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Allowlist, AllowlistTarget } from '../../src/model/allowlist.js';
import type { Plan } from '../../src/model/change.js';
import type { DatabaseSpec } from '../../src/model/spec.js';
import type { LiveState } from '../../src/model/state.js';
import { buildPlan } from '../../src/diff/diff.js';
import { observe } from '../../src/inspect/observe.js';
import { applyPlan, type ApplyResult } from '../../src/apply/apply.js';
import { runnableChanges, withHeldBack } from '../../src/apply/runnable.js';
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

export interface HarnessOptions {
  /**
   * The name prefix of the test file's databases. Test files run in parallel on one server, so
   * another file's managed databases would show up as retained: the plan sees only these.
   */
  readonly scope?: string;
  /** An allowlist to plan and apply against too (the in-memory twin), with what the instance file asks of it. */
  readonly allowlist?: { readonly target: AllowlistTarget; readonly adapter: Allowlist };
}

export async function harness(setup: HarnessOptions = {}): Promise<Harness> {
  const access = setup.allowlist;
  const adminUrl = inject('adminUrl');
  const connector = urlConnector(adminUrl);
  const root = await mkdtemp(join(tmpdir(), 'platon-db-secrets-'));
  const secrets = new FileSecretStore({ store: 'file', directory: 'secrets', pathTemplate: '{instance}/{database}/{user}' }, { root, instance: 'local' });
  const url = new URL(adminUrl);
  const endpoint = { host: url.hostname, port: Number(url.port) };

  const plan: Harness['plan'] = async (specs, options = {}) => {
    const desired = {
      ...(access ? { allowlist: access.target } : {}),
      instance: 'local',
      commit: options.commit ?? 'test-commit',
      databases: specs.map((spec) => ({ spec, secrets: { rw: secrets.refFor(spec.name, 'rw'), ro: secrets.refFor(spec.name, 'ro') } })),
    };
    const live = inScope(await observe(connector, desired, secrets), setup.scope);
    const allowlist = access ? { allowlist: await access.adapter.list() } : {};
    return buildPlan(desired, { ...live, ...allowlist }, { allowDestroy: options.allowDestroy ?? false });
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
      // As `platon-db apply` (app/apply.ts): a database's errors hold back that database only.
      const runnable = runnableChanges(p);
      if (runnable === undefined) return { plan: p, result: { applied: [], notApplied: p.changes } };
      const deps = { connector, secrets, endpoint, ...(access ? { allowlist: access.adapter } : {}) };
      return { plan: p, result: withHeldBack(p, runnable, await applyPlan(runnable, deps)) };
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

function inScope(live: LiveState, scope: string | undefined): LiveState {
  if (scope === undefined) return live;
  return { ...live, databases: new Map([...live.databases].filter(([name]) => name.startsWith(scope))) };
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
