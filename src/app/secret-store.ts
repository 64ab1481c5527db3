/**
 * Which secret store an instance uses is its instance file's choice: the local instance keeps a
 * file store, RDS instances use Vault KV v2. Vault's failures become UserErrors here (one line
 * and a hint, exit 1), so an unreachable Vault is reported like an unreachable server.
 */
import type { SecretStore } from '../model/secret-store.js';
import type { InstanceSpec } from '../model/spec.js';
import { FileSecretStore } from '../adapters/secrets/file-store.js';
import { VaultSecretStore } from '../adapters/vault/vault-store.js';
import { VaultError } from '../adapters/vault/vault-errors.js';
import { UserError } from '../model/user-error.js';

/** `env` holds VAULT_ADDR and the auth method's credentials (VAULT_TOKEN, VAULT_ROLE_ID, ...). */
export function secretStoreFor(instance: InstanceSpec, root: string, env: Readonly<Record<string, string | undefined>>): SecretStore {
  const backend = instance.secrets;
  if (backend.store === 'file') return new FileSecretStore(backend, { root, instance: instance.name });
  try {
    return asUserErrors(new VaultSecretStore(backend, { instance: instance.name, env }));
  } catch (error) {
    throw userError(error); // e.g. an unreadable VAULT_CACERT
  }
}

const userError = (error: unknown): unknown =>
  error instanceof VaultError ? new UserError(error.message, { hint: error.hint, cause: error }) : error;

function asUserErrors(store: SecretStore): SecretStore {
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      fn(...args).catch((error: unknown) => {
        throw userError(error);
      });
  return {
    kind: store.kind,
    refFor: (database, user) => store.refFor(database, user),
    read: wrap((ref) => store.read(ref)),
    status: wrap((ref) => store.status(ref)),
    write: wrap((ref, credentials, expected) => store.write(ref, credentials, expected)),
    markRotation: wrap((ref, version, phase) => store.markRotation(ref, version, phase)),
    delete: wrap((ref) => store.delete(ref)),
  };
}
