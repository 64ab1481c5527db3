/** SecretStore.delete in both stores: every version goes, an absent secret is no error, the next write starts at 1. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { VaultSecretStore } from '../../src/adapters/vault/vault-store.js';
import { buildCredentials } from '../../src/adapters/secrets/credentials.js';
import type { SecretStore } from '../../src/model/secret-store.js';
import { VaultDouble } from '../support/vault-double.js';

const creds = (password: string) => buildCredentials({ username: 'gone_rw', password, host: 'db.example.org', port: 5432, database: 'gone' });

let vault: VaultDouble;
let root: string;
beforeAll(async () => {
  vault = await VaultDouble.start();
  root = await mkdtemp(join(tmpdir(), 'platon-secret-delete-'));
});
afterAll(async () => {
  await vault.stop();
  await rm(root, { recursive: true, force: true });
});

const stores: [string, () => SecretStore][] = [
  ['file', () => new FileSecretStore({ store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' }, { root, instance: 'local' })],
  [
    'vault',
    () =>
      new VaultSecretStore(
        { store: 'vault', address: 'https://vault.invalid:8200', mount: 'secret', pathTemplate: 'platon/{instance}/{database}/{user}', auth: { method: 'token' } },
        { instance: 'shared-pg15', env: { VAULT_ADDR: vault.address, VAULT_TOKEN: vault.issueToken() } },
      ),
  ],
];

describe.each(stores)('%s store: delete', (_, make) => {
  it('removes every version, and the next write is version 1 again', async () => {
    const store = make();
    const ref = store.refFor('gone', 'rw');
    await store.write(ref, creds('first-password-0001'), 0);
    await store.write(ref, creds('second-password-002'), 1);
    await store.delete(ref);
    expect(await store.read(ref)).toBeNull();
    expect(await store.write(ref, creds('third-password-0003'), 0)).toBe(1);
  });

  it('is no error for a secret that does not exist', async () => {
    const store = make();
    await expect(store.delete(store.refFor('never', 'ro'))).resolves.toBeUndefined();
  });
});
