/** The Vault backend of instances/shared-pg15.yaml's shape (KV v2 at `secret`, token auth), for tests. */
import type { VaultBackend } from '../../src/adapters/vault/vault-store.js';

export const RDS_VAULT_BACKEND: VaultBackend = {
  store: 'vault',
  address: 'https://vault.invalid:8200',
  mount: 'secret',
  pathTemplate: 'platon/rds/{instance}/{database}/{user}',
  auth: { method: 'token' },
};
