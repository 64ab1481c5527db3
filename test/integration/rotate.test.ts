/**
 * Credentials in Vault end to end, at the app level: apply issues them into the Vault double,
 * rotate replaces them (new version, then ALTER ROLE), and every crash or failure in between
 * leaves something the next run completes. Real PostgreSQL 15 as the RDS-like admin.
 */
import { rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApply, type ApplyOutcome } from '../../src/app/apply.js';
import { makePlan } from '../../src/app/plan.js';
import { runRotate, type RotateOutcome, type RotateRequest } from '../../src/app/rotate.js';
import { adminUrl, canConnect, superuserUrl, uniquePrefix, withClient } from '../support/postgres.js';
import type { VaultDouble } from '../support/vault-double.js';
import { vaultWorld, writeDatabaseFile, type VaultWorld } from '../support/vault-repo.js';

const prefix = uniquePrefix(import.meta.url);
const shop = `${prefix}_shop`;
const blog = `${prefix}_blog`;
const instance = `rot-${prefix.slice(-6)}`;
const secretPath = (db: string, user: string) => `platon/rds/${instance}/${db}/${user}`;

let world: VaultWorld;
let vault: VaultDouble;
let root: string;
let env: Readonly<Record<string, string>>;
const log: string[] = [];

const apply = (): Promise<ApplyOutcome> =>
  runApply({ root, env, allowDestroy: false, lockTimeoutMs: 10_000, approve: async () => true, log: (m) => log.push(m) });
const rotate = (database: string, extra: Partial<RotateRequest> = {}): Promise<RotateOutcome> =>
  runRotate({ root, env, database, user: 'rw', lockTimeoutMs: 10_000, log: (m) => log.push(m), ...extra });
const latest = (db: string, user = 'rw') => vault.versions('secret', secretPath(db, user)).at(-1)!;
const passwordOf = (db: string, user = 'rw', version?: number) => {
  const versions = vault.versions('secret', secretPath(db, user));
  return String((version ? versions.find((v) => v.version === version) : versions.at(-1))!.data.password);
};
const login = (db: string, password: string, user = 'rw') => canConnect({ user: `${db}_${user}`, password, database: db });

beforeAll(async () => {
  world = await vaultWorld(prefix, instance);
  ({ vault, root, env } = world);
});
afterAll(() => world.close());

describe('credentials in Vault: issue', () => {
  it('apply writes each login user a secret with everything needed to connect, and the URI works', async () => {
    const outcome = await apply();
    expect(outcome.kind).toBe('applied');
    if (outcome.kind !== 'applied') return;
    expect(outcome.result.failed).toBeUndefined();
    const { hostname, port } = new URL(adminUrl());
    const secret = latest(shop).data;
    expect(Object.keys(secret).sort()).toEqual(['database', 'host', 'password', 'port', 'uri', 'username']);
    expect(secret).toMatchObject({ username: `${shop}_rw`, host: hostname, port: Number(port), database: shop });
    // The local instance has no TLS: its URI says so, and works as given (RDS's say sslmode=require).
    expect(secret.uri).toBe(`postgresql://${shop}_rw:${secret.password}@${hostname}:${port}/${shop}?sslmode=disable`);
    expect(await withClient(String(secret.uri), async (c) => (await c.query('SELECT session_user AS who')).rows[0].who)).toBe(`${shop}_rw`);
    expect(vault.versions('secret', secretPath(shop, 'ro'))).toHaveLength(1);
    expect(vault.versions('secret', secretPath(blog, 'ro'))).toHaveLength(0);
    expect(await login(shop, passwordOf(shop))).toBe(true);
    expect(await login(shop, passwordOf(shop, 'ro'), 'ro')).toBe(true);
  });

  it('plans nothing more once applied (the Vault store converges like the file store)', async () => {
    const outcome = await makePlan({ root, env, allowDestroy: false, log: () => undefined });
    expect(outcome.kind === 'planned' && outcome.plan.changes.map((c) => c.summary)).toEqual([]);
  });
});

describe('rotate', () => {
  it('stores a new version, then sets it on the role: the old password stops working, the new one works', async () => {
    const before = passwordOf(shop);
    const outcome = await rotate(shop);
    expect(outcome).toMatchObject({ kind: 'rotated', role: `${shop}_rw`, version: 2, previousVersion: 1, finishedHalfRotation: false });
    expect(outcome.kind === 'rotated' && outcome.secret.path).toBe(`secret/${secretPath(shop, 'rw')}`);
    const after = passwordOf(shop);
    expect(after).not.toBe(before);
    expect(await login(shop, before)).toBe(false);
    expect(await login(shop, after)).toBe(true);
    expect(passwordOf(shop, 'rw', 1)).toBe(before); // history kept
    expect(await login(shop, passwordOf(shop, 'ro'), 'ro')).toBe(true); // the other user is untouched
  });

  it('rotates the read-only user with --user ro, and refuses ro where the file has none', async () => {
    expect(await rotate(shop, { user: 'ro' })).toMatchObject({ kind: 'rotated', role: `${shop}_ro`, version: 2 });
    expect(await login(shop, passwordOf(shop, 'ro'), 'ro')).toBe(true);
    await expect(rotate(blog, { user: 'ro' })).rejects.toThrow(`database ${blog} has no read-only user`);
  });

  it('marks the rotation confirmed in custom metadata, beside the versions', async () => {
    expect(vault.kv.get(`secret/${secretPath(shop, 'rw')}`)?.customMetadata).toEqual({ 'platon-db-rotation': 'confirmed:2' });
  });

  it('after a crash between storing and ALTER ROLE the old password still works, and the next rotate repairs it', async () => {
    const working = passwordOf(shop);
    const crash = new Error('simulated crash after the store write');
    await expect(rotate(shop, { afterStore: () => Promise.reject(crash) })).rejects.toBe(crash);
    expect(latest(shop).version).toBe(3);
    expect(await login(shop, passwordOf(shop))).toBe(false); // the store is ahead of the role ...
    expect(await login(shop, working)).toBe(true); // ... which keeps the previous password
    const repaired = await rotate(shop);
    expect(repaired).toMatchObject({ kind: 'rotated', version: 4, previousVersion: 3, finishedHalfRotation: true });
    expect(await login(shop, passwordOf(shop))).toBe(true);
    expect(await login(shop, working)).toBe(false);
  });

  it('makes a second rotate on the same instance wait, then stop with a clear message', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let stored!: () => void;
    const inside = new Promise<void>((resolve) => (stored = resolve));
    const first = rotate(blog, { afterStore: async () => (stored(), held) });
    const waits: string[] = [];
    try {
      await inside;
      await expect(rotate(shop, { lockTimeoutMs: 300, log: (m) => waits.push(m) })).rejects.toThrow(
        new RegExp(`^another platon-db run holds the apply lock on instance ${instance}; gave up after \\d+ s$`),
      );
    } finally {
      release();
    }
    expect(waits).toEqual([`another platon-db run is applying to instance ${instance}; waiting up to 0 s`]);
    expect(await first).toMatchObject({ kind: 'rotated', version: 2 });
    expect(await login(blog, passwordOf(blog))).toBe(true);
  });

  it('refuses an unmanaged role with the same name and changes nothing', async () => {
    const hand = `${prefix}_hand`;
    const file = await writeDatabaseFile(root, hand, true);
    try {
      await expect(rotate(hand)).rejects.toThrow(`role ${hand}_rw does not exist on instance ${instance}`);
      await withClient(adminUrl(), (c) => c.query(`CREATE ROLE ${hand}_rw LOGIN PASSWORD 'made-by-hand-1234'`));
      await expect(rotate(hand)).rejects.toThrow(`role ${hand}_rw on instance ${instance} is not managed by platon-db (it has no ownership marker); it was not changed`);
      expect(vault.versions('secret', secretPath(hand, 'rw'))).toHaveLength(0);
      expect(await canConnect({ user: `${hand}_rw`, password: 'made-by-hand-1234', database: 'postgres' })).toBe(true);
    } finally {
      await rm(file);
    }
  });

  // SIMULATION ONLY: a superuser makes a role the RDS-like admin cannot alter, so ALTER ROLE fails.
  it.skipIf(!superuserUrl())('when ALTER ROLE fails, says the version is stored but not set, with no secret in the message', async () => {
    const stuck = `${prefix}_stuck`;
    const file = await writeDatabaseFile(root, stuck, false);
    const marker = JSON.stringify({ managedBy: 'platon-db', file: `databases/${stuck}.yaml`, team: 'stuck', commit: 'c0ffee' });
    await withClient(superuserUrl()!, async (c) => {
      await c.query(`CREATE ROLE ${stuck}_rw SUPERUSER LOGIN PASSWORD 'StuckRolePassword0001'`);
      await c.query(`COMMENT ON ROLE ${stuck}_rw IS '${marker}'`);
    });
    try {
      const error = (await rotate(stuck).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(new RegExp(`^version 1 of secret/${secretPath(stuck, 'rw')} is stored, but setting it on role ${stuck}_rw failed: `));
      const password = passwordOf(stuck);
      expect(`${error.message} ${String(error.stack)}`).not.toContain(password);
      expect(error.message).not.toMatch(/SCRAM-SHA-256\$/);
      expect(vault.kv.get(`secret/${secretPath(stuck, 'rw')}`)?.customMetadata).toEqual({ 'platon-db-rotation': 'pending:1' });
      expect(await canConnect({ user: `${stuck}_rw`, password: 'StuckRolePassword0001', database: 'postgres' })).toBe(true);
    } finally {
      await withClient(superuserUrl()!, (c) => c.query(`DROP ROLE ${stuck}_rw`));
      await rm(file);
    }
  });

  it("gives an adopted database's hand-named login role its first stored password", async () => {
    const legacy = `${prefix}_legacy`;
    const user = `${prefix}_legacy_user`;
    await withClient(adminUrl(), async (c) => {
      await c.query(`CREATE ROLE ${user} LOGIN PASSWORD 'OldEmailOrderPassword01'`);
      await c.query(`GRANT ${user} TO CURRENT_USER`);
      await c.query(`CREATE DATABASE ${legacy} OWNER ${user}`);
    });
    const file = `${root}/databases/${legacy}.yaml`;
    await writeFile(file, `name: ${legacy}\nteam: legacy\nproject: legacy\ncontact: legacy@example.org\nadopt: true\nusers:\n  owner: ${user}\n  rw: ${user}\n`);
    try {
      const outcome = await rotate(legacy);
      expect(outcome).toMatchObject({ kind: 'rotated', role: user, version: 1, previousVersion: 0 });
      expect(latest(legacy).data.username).toBe(user);
      expect(await canConnect({ user, password: passwordOf(legacy), database: legacy })).toBe(true);
      expect(await canConnect({ user, password: 'OldEmailOrderPassword01', database: legacy })).toBe(false);
    } finally {
      await rm(file);
    }
  });

  it('refuses a database that is not in databases/ as a usage error', async () => {
    await expect(rotate(`${prefix}_nope`)).rejects.toMatchObject({ options: { exitCode: 2 } });
  });

  it('stops with one clear line when Vault is down, and the role keeps its password', async () => {
    const working = passwordOf(shop);
    await vault.down();
    try {
      await expect(rotate(shop)).rejects.toThrow(`cannot reach Vault at ${vault.address} while`);
    } finally {
      await vault.up();
    }
    expect(await login(shop, working)).toBe(true);
    expect(await rotate(shop)).toMatchObject({ kind: 'rotated' });
  });
});

describe('missing and crash-left secrets with the Vault store', () => {
  it('a login role whose secret was deleted is planned as reset-password and repaired by apply', async () => {
    await fetch(`${vault.address}/v1/secret/data/${secretPath(blog, 'rw')}`, { method: 'DELETE', headers: { 'X-Vault-Token': env.VAULT_TOKEN! } });
    const planned = await makePlan({ root, env, allowDestroy: false, log: () => undefined });
    expect(planned.kind === 'planned' && planned.plan.changes.map((c) => c.change.kind)).toContain('reset-password');
    const outcome = await apply();
    expect(outcome.kind === 'applied' && outcome.result.failed).toBeUndefined();
    expect(await login(blog, passwordOf(blog))).toBe(true);
  });

  it('a secret left by a crash before its role was created is used, never replaced', async () => {
    const late = `${prefix}_late`;
    await writeDatabaseFile(root, late, false);
    const { hostname, port } = new URL(adminUrl());
    const password = 'LeftByACrashedRun0123456789abcdef';
    await fetch(`${vault.address}/v1/secret/data/${secretPath(late, 'rw')}`, {
      method: 'POST',
      headers: { 'X-Vault-Token': env.VAULT_TOKEN! },
      body: JSON.stringify({
        options: { cas: 0 },
        data: { username: `${late}_rw`, password, host: hostname, port: Number(port), database: late, uri: 'postgresql://x' },
      }),
    });
    const outcome = await apply();
    expect(outcome.kind === 'applied' && outcome.result.failed).toBeUndefined();
    expect(vault.versions('secret', secretPath(late, 'rw'))).toHaveLength(1);
    expect(await login(late, password)).toBe(true);
  });

  it('an apply that meets a sealed Vault fails with one clear line; the next apply completes', async () => {
    const more = `${prefix}_more`;
    await writeDatabaseFile(root, more, false);
    vault.sealed = true;
    let outcome: ApplyOutcome | Error;
    try {
      outcome = await apply().catch((e: Error) => e);
    } finally {
      vault.sealed = false;
    }
    const message = outcome instanceof Error ? outcome.message : outcome.kind === 'applied' ? outcome.result.failed?.message : undefined;
    expect(message).toContain(`Vault at ${vault.address} is sealed or on standby (HTTP 503)`);
    const again = await apply();
    expect(again.kind === 'applied' && again.result.failed).toBeUndefined();
    expect(await login(more, passwordOf(more))).toBe(true);
    const planned = await makePlan({ root, env, allowDestroy: false, log: () => undefined });
    expect(planned.kind === 'planned' && planned.plan.changes).toEqual([]);
  });
});
