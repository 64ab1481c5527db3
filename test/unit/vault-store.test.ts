/**
 * VaultSecretStore against the local Vault double: node-vault's real HTTP path, KV v2 paths and
 * envelopes, versions, check-and-set, and the rotation marks in custom metadata.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultSecretStore, type VaultBackend } from '../../src/adapters/vault/vault-store.js';
import { buildCredentials } from '../../src/adapters/secrets/credentials.js';
import { SecretConflictError } from '../../src/model/secret-store.js';
import { VaultDouble } from '../support/vault-double.js';
import { RDS_VAULT_BACKEND } from '../support/vault-backend.js';

const backend = RDS_VAULT_BACKEND;
const creds = (password: string, database = 'shop') =>
  buildCredentials({ username: `${database}_rw`, password, host: 'db.example.org', port: 5432, database });

let vault: VaultDouble;
let token: string;
const store = (overrides: Partial<VaultBackend> = {}) =>
  new VaultSecretStore({ ...backend, ...overrides }, { instance: 'shared-pg15', env: { VAULT_ADDR: vault.address, VAULT_TOKEN: token } });

/** A raw GET, to see what Vault holds without going through the store. */
async function rawGet(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${vault.address}/v1/${path}`, { headers: { 'X-Vault-Token': token } });
  return { status: response.status, body: await response.json() };
}

/** A raw KV v2 write, like `vault kv put` by hand. */
async function rawPut(path: string, data: Record<string, unknown>): Promise<void> {
  await fetch(`${vault.address}/v1/${path}`, { method: 'POST', headers: { 'X-Vault-Token': token }, body: JSON.stringify({ data }) });
}

beforeAll(async () => {
  vault = await VaultDouble.start();
  token = vault.issueToken();
});
afterAll(() => vault.stop());

describe('VaultSecretStore on KV v2', () => {
  it('names secrets <mount>/<path> from the template', () => {
    expect(store().refFor('shop', 'ro')).toEqual({ store: 'vault', path: 'secret/platon/rds/shared-pg15/shop/ro', database: 'shop', user: 'ro' });
  });

  it('reads an absent secret (404, empty error list) as null', async () => {
    const s = store();
    expect(await s.read(s.refFor('nothing', 'rw'))).toBeNull();
  });

  it('writes with cas 0, reads back the latest version, and Vault holds the KV v2 envelope', async () => {
    const s = store();
    const ref = s.refFor('shop', 'rw');
    expect(await s.write(ref, creds('first-password-0001'), 0)).toBe(1);
    expect(await s.read(ref)).toEqual({ credentials: creds('first-password-0001'), version: 1 });
    const raw = await rawGet('secret/data/platon/rds/shared-pg15/shop/rw');
    expect(raw.status).toBe(200);
    expect(raw.body.data.data).toEqual({ ...creds('first-password-0001') });
    expect(raw.body.data.metadata.version).toBe(1);
    expect(raw.body.data.data.uri).toMatch(/\?sslmode=require$/);
  });

  it('refuses a second "only if absent" write (CAS mismatch) with SecretConflictError', async () => {
    const s = store();
    const ref = s.refFor('shop', 'rw');
    await expect(s.write(ref, creds('second-password-0002'), 0)).rejects.toBeInstanceOf(SecretConflictError);
    expect((await s.read(ref))?.credentials.password).toBe('first-password-0001');
  });

  it('adds versions with cas = current and keeps earlier ones readable with ?version=N', async () => {
    const s = store();
    const ref = s.refFor('shop', 'rw');
    expect(await s.write(ref, creds('third-password-0003'), 1)).toBe(2);
    await expect(s.write(ref, creds('stale-password-0004'), 1)).rejects.toBeInstanceOf(SecretConflictError);
    expect((await s.read(ref))?.version).toBe(2);
    const v1 = await rawGet('secret/data/platon/rds/shared-pg15/shop/rw?version=1');
    expect(v1.body.data.data.password).toBe('first-password-0001');
    expect(vault.versions('secret', 'platon/rds/shared-pg15/shop/rw').map((v) => v.version)).toEqual([1, 2]);
  });

  it('lets exactly one of eight concurrent "only if absent" writers win', async () => {
    const s = store();
    const ref = s.refFor('race', 'rw');
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => s.write(ref, creds(`racer-password-${i}000`), 0)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof SecretConflictError)).toHaveLength(7);
  });

  it('treats a deleted latest version as absent, and the next "only if absent" write continues after it', async () => {
    const s = store();
    const ref = s.refFor('gone', 'rw');
    await s.write(ref, creds('doomed-password-0001', 'gone'), 0);
    await fetch(`${vault.address}/v1/secret/data/platon/rds/shared-pg15/gone/rw`, { method: 'DELETE', headers: { 'X-Vault-Token': token } });
    expect(await s.read(ref)).toBeNull();
    expect(await s.write(ref, creds('reborn-password-0002', 'gone'), 0)).toBe(2);
    expect((await s.read(ref))?.credentials.password).toBe('reborn-password-0002');
  });

  it('keeps rotation marks in custom metadata, beside the versions, without adding one', async () => {
    const s = store();
    const ref = s.refFor('shop', 'rw');
    await s.markRotation(ref, 3, 'pending');
    expect((await s.read(ref))?.rotationPending).toBeUndefined(); // version 3 was never written
    await s.write(ref, creds('rotated-password-0005'), 2);
    expect(await s.read(ref)).toMatchObject({ version: 3, rotationPending: true });
    await s.markRotation(ref, 3, 'confirmed');
    expect((await s.read(ref))?.rotationPending).toBeUndefined();
    expect(vault.versions('secret', 'platon/rds/shared-pg15/shop/rw')).toHaveLength(3);
    expect((await rawGet('secret/metadata/platon/rds/shared-pg15/shop/rw')).body.data.custom_metadata).toEqual({ 'platon-db-rotation': 'confirmed:3' });
  });

  it('creates the metadata entry for a rotation mark on a secret that does not exist yet', async () => {
    const s = store();
    const ref = s.refFor('fresh', 'ro');
    await s.markRotation(ref, 1, 'pending');
    expect(await s.read(ref)).toBeNull();
    await s.write(ref, creds('fresh-password-0001', 'fresh'), 0);
    expect(await s.read(ref)).toMatchObject({ version: 1, rotationPending: true });
  });

  it('says so when the mount is not a KV v2 engine (404 with an error), instead of "absent"', async () => {
    const s = store({ mount: 'kv-missing' });
    await expect(s.read(s.refFor('shop', 'rw'))).rejects.toThrow('Vault has no KV version 2 engine mounted at kv-missing (HTTP 404)');
  });

  it('refuses refs from another store or mount', async () => {
    const s = store();
    await expect(s.read({ store: 'file', path: 'secret/x/y', database: 'x', user: 'rw' })).rejects.toThrow(/not in the Vault mount/);
    await expect(s.read({ store: 'vault', path: 'other/x/y', database: 'x', user: 'rw' })).rejects.toThrow(/not in the Vault mount/);
    await expect(s.read({ store: 'vault', path: 'secret/../sys/y', database: 'x', user: 'rw' })).rejects.toThrow(/not in the Vault mount/);
  });

  it('reads a secret written by hand with the port as text', async () => {
    const s = store();
    const ref = s.refFor('manual', 'rw');
    await rawPut('secret/data/platon/rds/shared-pg15/manual/rw', { ...creds('manual-password-0001', 'manual'), port: '5432' });
    expect((await s.read(ref))?.credentials.port).toBe(5432);
  });

  it('refuses a malformed secret without echoing any of its values', async () => {
    const s = store();
    const ref = s.refFor('broken', 'rw');
    await rawPut('secret/data/platon/rds/shared-pg15/broken/rw', { username: 'broken_rw', password: 'hand-typed-secret-77' });
    const error = await s.read(ref).then(() => null, (e: Error) => e);
    expect(error?.message).toBe('the secret at secret/platon/rds/shared-pg15/broken/rw is not one platon-db wrote (no host)');
    expect(error?.message).not.toContain('hand-typed-secret-77');
  });

  it('uses VAULT_ADDR over the instance file address', async () => {
    const s = new VaultSecretStore(backend, { instance: 'x', env: { VAULT_ADDR: `${vault.address}/`, VAULT_TOKEN: token } });
    expect(s.address).toBe(vault.address);
    const fromFile = new VaultSecretStore({ ...backend, address: vault.address }, { instance: 'x', env: { VAULT_TOKEN: token } });
    expect(await fromFile.read(fromFile.refFor('nothing', 'rw'))).toBeNull();
  });
});
