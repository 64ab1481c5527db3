/**
 * Every way Vault can fail gives one clear line, and no error (message, stack, cause, or the
 * object as util.inspect prints it) holds the password being written or a credential.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VaultSecretStore } from '../../src/adapters/vault/vault-store.js';
import { VaultError } from '../../src/adapters/vault/vault-errors.js';
import { buildCredentials } from '../../src/adapters/secrets/credentials.js';
import { SecretConflictError } from '../../src/model/secret-store.js';
import { VaultDouble } from '../support/vault-double.js';
import { PERMISSION_DENIED } from '../support/vault-double-acl.js';

const PASSWORD = 'Leak-Canary-Password-0123456789ab';
const SECRET_ID = 'secret-id-canary-5566';
const credentials = buildCredentials({ username: 'f_rw', password: PASSWORD, host: 'h.example', port: 5432, database: 'f' });

let vault: VaultDouble;
beforeAll(async () => {
  vault = await VaultDouble.start({ approle: { roleId: 'r', secretId: SECRET_ID, ttlSeconds: 600 } });
});
afterAll(() => vault.stop());
beforeEach(async () => {
  await vault.up().catch(() => undefined);
  vault.sealed = false;
  vault.delayMs = 0;
  vault.intercept = undefined;
});

const store = (timeoutMs = 2_000) =>
  new VaultSecretStore(
    { store: 'vault', address: 'http://unused.invalid', mount: 'secret', pathTemplate: 'p/{database}/{user}', auth: { method: 'approle' } },
    { instance: 'i', env: { VAULT_ADDR: vault.address, VAULT_ROLE_ID: 'r', VAULT_SECRET_ID: SECRET_ID }, timeoutMs },
  );

/** Writes, expecting a failure; returns it after checking that nothing secret is anywhere in it. */
async function failedWrite(s: VaultSecretStore, expectedVersion = 0): Promise<Error> {
  const error = await s.write(s.refFor('f', 'rw'), credentials, expectedVersion).then(
    () => {
      throw new Error('the write succeeded');
    },
    (e: unknown) => e as Error,
  );
  const everything = [error.message, String(error.stack), inspect(error, { depth: null, showHidden: true }), JSON.stringify(error)].join('\n');
  for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), SECRET_ID]) expect(everything).not.toContain(secret);
  expect(error.message).not.toContain('\n');
  expect(error.cause).toBeUndefined();
  return error;
}

describe('Vault failures: one clear line, nothing leaked', () => {
  it('Vault down: connection refused', async () => {
    const s = store();
    await s.read(s.refFor('f', 'rw')); // logged in while up
    await vault.down();
    const error = await failedWrite(s);
    expect(error).toBeInstanceOf(VaultError);
    expect(error.message).toBe(`cannot reach Vault at ${vault.address} while writing secret/p/f/rw: connection refused`);
  });

  it('Vault down before the login', async () => {
    await vault.down();
    const error = await failedWrite(store());
    expect(error.message).toBe(`cannot reach Vault at ${vault.address} while logging in with AppRole at auth/approle: connection refused`);
  });

  it('sealed or standby: 503', async () => {
    const s = store();
    await s.read(s.refFor('f', 'rw'));
    vault.sealed = true;
    const error = await failedWrite(s);
    expect(error.message).toBe(`Vault at ${vault.address} is sealed or on standby (HTTP 503) while writing secret/p/f/rw`);
    expect((error as VaultError).kind).toBe('unavailable');
  });

  it('no answer in time: the request timeout', async () => {
    const s = store(200);
    await s.read(s.refFor('f', 'rw'));
    vault.delayMs = 1_000;
    const error = await failedWrite(s);
    expect(error.message).toBe(`Vault at ${vault.address} did not answer within 0.2 s while writing secret/p/f/rw`);
  });

  it('a policy that does not allow the path: 403 after a fresh login, naming what the write needed', async () => {
    const s = store();
    vault.intercept = (r) => (r.path.startsWith('secret/') ? { status: 403, body: { errors: [PERMISSION_DENIED] } } : undefined);
    const error = await failedWrite(s);
    expect(error.message).toBe(`Vault at ${vault.address} denied writing secret/p/f/rw: permission denied (the token's policy needs "create" on secret/data/p/f/rw)`);
    expect((error as VaultError).hint).toMatch(/policy/);
    expect(vault.requests.filter((r) => r.path === 'auth/approle/login').length).toBeGreaterThanOrEqual(2);
  });

  it('a CAS conflict is SecretConflictError, and says what to do', async () => {
    const s = store();
    await s.write(s.refFor('f', 'rw'), buildCredentials({ ...credentials, password: 'winner-password-000' }), 0);
    const error = await failedWrite(s, 0);
    expect(error).toBeInstanceOf(SecretConflictError);
    expect(error.message).toBe('the secret at secret/p/f/rw was written by another run at the same time');
  });

  // Vault answers 400 for every invalid request (logical.ErrInvalidRequest); only this text means
  // another writer got there first (vault-plugin-secrets-kv path_data.go, validateCheckAndSetOption).
  it.each([
    ['cas_required on a write without cas', 'check-and-set parameter required for this call'],
    ['a cas Vault cannot parse', 'error parsing check-and-set parameter'],
    ['any other invalid request', 'no data provided'],
  ])('a 400 that is not a CAS mismatch (%s) is reported as Vault said, not as a conflict', async (_, said) => {
    const s = store();
    vault.intercept = (r) => (r.method === 'POST' && r.path.startsWith('secret/data/') ? { status: 400, body: { errors: [said] } } : undefined);
    for (const expected of [0, 3]) {
      const error = await failedWrite(s, expected);
      expect(error).not.toBeInstanceOf(SecretConflictError);
      expect(error.message).toBe(`Vault at ${vault.address} answered HTTP 400 while writing secret/p/f/rw: ${said}`);
    }
  });

  it('an unexpected answer that echoes the request is cut to one line without the password', async () => {
    vault.intercept = (r) =>
      r.method === 'POST' && r.path.startsWith('secret/')
        ? { status: 500, body: { errors: [`internal error:\nfailed to store ${JSON.stringify(r.body)}`] } }
        : undefined;
    const error = await failedWrite(store());
    expect(error.message).toMatch(new RegExp(`^Vault at ${vault.address.replace(/[.]/g, '\\.')} answered HTTP 500 while writing secret/p/f/rw: internal error: failed to store`));
    expect(error.message).toContain('<redacted>');
  });

  it('garbage instead of JSON is an error, not a crash', async () => {
    vault.intercept = (r) => (r.path.startsWith('secret/') ? { status: 502, body: 'Bad gateway' } : undefined);
    const error = await failedWrite(store());
    expect(error.message).toBe(`Vault at ${vault.address} answered HTTP 502 while writing secret/p/f/rw`);
  });
});
