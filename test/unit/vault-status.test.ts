/**
 * What a plan learns about a Vault secret: from KV v2 metadata only, so the plan role's policy
 * needs no read on `data/` and a plan never holds a team's password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultSecretStore } from '../../src/adapters/vault/vault-store.js';
import { buildCredentials } from '../../src/adapters/secrets/credentials.js';
import { VaultDouble } from '../support/vault-double.js';
import { RDS_VAULT_BACKEND } from '../support/vault-backend.js';

const backend = RDS_VAULT_BACKEND;
const creds = (password: string) => buildCredentials({ username: 'st_rw', password, host: 'db.example.org', port: 5432, database: 'st' });

let vault: VaultDouble;
let store: VaultSecretStore;
beforeAll(async () => {
  vault = await VaultDouble.start();
  store = new VaultSecretStore(backend, { instance: 'shared-pg15', env: { VAULT_ADDR: vault.address, VAULT_TOKEN: vault.issueToken() } });
});
afterAll(() => vault.stop());

describe('VaultSecretStore.status', () => {
  it('tells absent, present, rotation-pending and soft-deleted apart without reading any data path', async () => {
    const ref = store.refFor('st', 'rw');
    const before = vault.requests.length;
    expect(await store.status(ref)).toBe('absent');
    await store.write(ref, creds('first-password-000001'), 0);
    expect(await store.status(ref)).toBe('present');
    await store.markRotation(ref, 2, 'pending');
    await store.write(ref, creds('second-password-00002'), 1);
    expect(await store.status(ref)).toBe('rotation-pending');
    await store.markRotation(ref, 2, 'confirmed');
    expect(await store.status(ref)).toBe('present');
    await fetch(`${vault.address}/v1/secret/data/platon/rds/shared-pg15/st/rw`, { method: 'DELETE', headers: { 'X-Vault-Token': vault.issueToken() } });
    expect(await store.status(ref)).toBe('absent');
    const statusReads = vault.requests.slice(before).filter((r) => r.method === 'GET' && r.path.startsWith('secret/'));
    expect(statusReads.length).toBeGreaterThan(0);
    expect(statusReads.every((r) => r.path.startsWith('secret/metadata/'))).toBe(true);
  });
});
