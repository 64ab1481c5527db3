/**
 * KV v2's version life cycle and check-and-set rules, as Vault answers them
 * (hashicorp/vault-plugin-secrets-kv path_data.go, path_metadata.go; KV v2 API docs), and what
 * VaultSecretStore makes of them:
 * - a soft-deleted (`vault kv delete`) or destroyed (`vault kv destroy`) version reads as 404 with
 *   `data: null`, its metadata (deletion_time / destroyed) and no error list; the store treats a
 *   latest version in that state as absent, and the next issue continues after it;
 * - deleting a secret that is not there is 204, not an error;
 * - with `cas_required` (mount config or the secret's metadata) a write without `options.cas` is
 *   400 "check-and-set parameter required for this call"; a cas that is not the current version
 *   is 400 "check-and-set parameter did not match the current version".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultSecretStore } from '../../src/adapters/vault/vault-store.js';
import { buildCredentials } from '../../src/adapters/secrets/credentials.js';
import { ensurePassword } from '../../src/apply/secrets.js';
import { VaultDouble } from '../support/vault-double.js';
import { RDS_VAULT_BACKEND } from '../support/vault-backend.js';

const backend = RDS_VAULT_BACKEND;
const ENDPOINT = { host: 'db.example.org', port: 5432 };
const creds = (database: string, password: string) => buildCredentials({ username: `${database}_rw`, password, ...ENDPOINT, database });
const api = (database: string, kind = 'data') => `secret/${kind}/platon/rds/shared-pg15/${database}/rw`;

let vault: VaultDouble;
let token: string;
let store: VaultSecretStore;
beforeAll(async () => {
  vault = await VaultDouble.start();
  token = vault.issueToken();
  store = new VaultSecretStore(backend, { instance: 'shared-pg15', env: { VAULT_ADDR: vault.address, VAULT_TOKEN: token } });
});
afterAll(() => vault.stop());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${vault.address}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('destroyed and soft-deleted versions', () => {
  it('a destroyed version reads as 404 with data null and destroyed true, and no error list', async () => {
    const ref = store.refFor('kd', 'rw');
    await store.write(ref, creds('kd', 'destroyed-password-0001'), 0);
    expect((await call('POST', 'secret/destroy/platon/rds/shared-pg15/kd/rw', { versions: [1] })).status).toBe(204);
    const read = await call('GET', api('kd'));
    expect(read.status).toBe(404);
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data).toMatchObject({ data: null, metadata: { version: 1, destroyed: true, deletion_time: '' } });
    expect((await call('GET', api('kd', 'metadata'))).body.data.versions['1']).toMatchObject({ destroyed: true });
    expect(JSON.stringify(read.body)).not.toContain('destroyed-password-0001');
  });

  it('the store reads a destroyed latest version as absent, plans it absent, and issues the next version after it', async () => {
    const ref = store.refFor('kd', 'rw');
    expect(await store.read(ref)).toBeNull();
    expect(await store.status(ref)).toBe('absent');
    const password = await ensurePassword(store, ref, ENDPOINT);
    expect(await store.read(ref)).toMatchObject({ version: 2, credentials: { password } });
  });

  it('a soft-deleted version reads as 404 with its deletion_time; undelete makes it readable again', async () => {
    const ref = store.refFor('ks', 'rw');
    await store.write(ref, creds('ks', 'soft-deleted-password-1'), 0);
    expect((await call('POST', 'secret/delete/platon/rds/shared-pg15/ks/rw', { versions: [1] })).status).toBe(204);
    const read = await call('GET', api('ks'));
    expect(read.status).toBe(404);
    expect(read.body.data.data).toBeNull();
    expect(read.body.data.metadata).toMatchObject({ destroyed: false, version: 1 });
    expect(Date.parse(read.body.data.metadata.deletion_time)).not.toBeNaN();
    expect(await store.read(ref)).toBeNull();
    expect(await store.status(ref)).toBe('absent');
    expect((await call('POST', 'secret/undelete/platon/rds/shared-pg15/ks/rw', { versions: [1] })).status).toBe(204);
    expect((await store.read(ref))?.credentials.password).toBe('soft-deleted-password-1');
  });

  it('an earlier version can be gone while the latest reads normally', async () => {
    const ref = store.refFor('ke', 'rw');
    await store.write(ref, creds('ke', 'first-password-000001'), 0);
    await store.write(ref, creds('ke', 'second-password-00002'), 1);
    await call('POST', 'secret/destroy/platon/rds/shared-pg15/ke/rw', { versions: [1] });
    expect((await call('GET', `${api('ke')}?version=1`)).status).toBe(404);
    expect(await store.read(ref)).toMatchObject({ version: 2, credentials: { password: 'second-password-00002' } });
    expect(await store.status(ref)).toBe('present');
  });
});

describe('deleting what is not there', () => {
  it('is 204 on the data and the metadata path, and no error for the store', async () => {
    expect(await call('DELETE', api('never'))).toEqual({ status: 204, body: undefined });
    expect(await call('DELETE', api('never', 'metadata'))).toEqual({ status: 204, body: undefined });
    await expect(store.delete(store.refFor('never', 'rw'))).resolves.toBeUndefined();
  });
});

describe('cas_required', () => {
  it('on the mount: a write without cas is refused with Vault\'s reason; the store always sends cas, so it works', async () => {
    vault.casRequired = true;
    try {
      const plain = await call('POST', api('kc'), { data: { a: 'b' } });
      expect(plain).toMatchObject({ status: 400, body: { errors: ['check-and-set parameter required for this call'] } });
      expect(vault.kv.get('secret/platon/rds/shared-pg15/kc/rw')).toBeUndefined(); // a refused write creates nothing
      const ref = store.refFor('kc', 'rw');
      expect(await store.write(ref, creds('kc', 'cas-required-password-1'), 0)).toBe(1);
      expect(await store.write(ref, creds('kc', 'cas-required-password-2'), 1)).toBe(2);
      const stale = await call('POST', api('kc'), { options: { cas: 1 }, data: { a: 'b' } });
      expect(stale).toMatchObject({ status: 400, body: { errors: ['check-and-set parameter did not match the current version'] } });
    } finally {
      vault.casRequired = false;
    }
  });

  it('on one secret\'s metadata: the same, for that secret only', async () => {
    expect((await call('POST', api('km', 'metadata'), { cas_required: true })).status).toBe(204);
    expect((await call('GET', api('km', 'metadata'))).body.data.cas_required).toBe(true);
    expect(await call('POST', api('km'), { data: { a: 'b' } })).toMatchObject({ status: 400, body: { errors: ['check-and-set parameter required for this call'] } });
    expect((await call('POST', api('other'), { data: { a: 'b' } })).status).toBe(200);
    expect(await store.write(store.refFor('km', 'rw'), creds('km', 'metadata-cas-password-1'), 0)).toBe(1);
  });
});
