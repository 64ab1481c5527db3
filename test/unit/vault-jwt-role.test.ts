/**
 * VAULT_JWT_ROLE: plan and drift jobs log in to Vault as the read-only role while the instance
 * file names the apply role (see .github/workflows/plan.yml and drift.yml).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultSecretStore } from '../../src/adapters/vault/vault-store.js';
import { VaultDouble } from '../support/vault-double.js';

const JWT = { mount: 'jwt-github', role: 'platon-db-plan', jwt: 'header.payload-1234.signature', ttlSeconds: 60 };
const FILE_AUTH = { method: 'jwt', mount: 'jwt-github', role: 'platon-db-apply' } as const;

let vault: VaultDouble;
beforeEach(async () => {
  vault = await VaultDouble.start({ jwt: JWT });
});
afterEach(() => vault.stop());

const read = (env: Record<string, string>) => {
  const store = new VaultSecretStore(
    { store: 'vault', address: 'http://unused.invalid', mount: 'secret', pathTemplate: '{instance}/{database}/{user}', auth: FILE_AUTH },
    { instance: 'i', env: { VAULT_ADDR: vault.address, VAULT_JWT: JWT.jwt, ...env } },
  );
  return store.read(store.refFor('db', 'rw'));
};

describe('VAULT_JWT_ROLE', () => {
  it('logs in as the role it names instead of the instance file\'s', async () => {
    await expect(read({ VAULT_JWT_ROLE: 'platon-db-plan' })).resolves.toBeNull();
    expect(vault.requests[0]).toMatchObject({ method: 'POST', path: 'auth/jwt-github/login' });
  });

  it('without it, the file\'s role is used (and here refused, naming it)', async () => {
    await expect(read({})).rejects.toThrow('as role platon-db-apply');
  });
});
