/**
 * Which store an instance uses is its instance file's choice (issue 4, item 7): the repository's
 * own instance files, loaded as the CLI loads them. Also the file store's rotation marks, the
 * twin of Vault's custom metadata.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/app/load-repository.js';
import { secretStoreFor } from '../../src/app/secret-store.js';
import { TOOL_ROOT } from '../../src/load/tool-root.js';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { buildCredentials } from '../../src/adapters/secrets/credentials.js';
import { UserError } from '../../src/model/user-error.js';

const instance = async (name: string) => {
  const { spec } = await loadRepository(TOOL_ROOT);
  const found = spec.instances.find((i) => i.name === name);
  if (!found) throw new Error(`no instance ${name} in this repository`);
  return found;
};

describe('secretStoreFor', () => {
  it('gives the local instance its file store', async () => {
    const store = secretStoreFor(await instance('local'), TOOL_ROOT, {});
    expect(store.kind).toBe('file');
    expect(store.refFor('studentweb', 'rw').path).toBe('.platon/secrets/local/studentweb/rw.json');
  });

  it('gives instances/shared-pg15.yaml Vault, at <mount>/<path template>', async () => {
    const store = secretStoreFor(await instance('shared-pg15'), TOOL_ROOT, {});
    expect(store.kind).toBe('vault');
    expect(store.refFor('studentweb', 'ro')).toEqual({ store: 'vault', path: 'secret/platon/rds/shared-pg15/studentweb/ro', database: 'studentweb', user: 'ro' });
  });

  it("turns Vault's failures into one-line UserErrors with a hint", async () => {
    const store = secretStoreFor(await instance('shared-pg15'), TOOL_ROOT, { VAULT_ADDR: 'http://127.0.0.1:9' });
    const error = await store.read(store.refFor('studentweb', 'rw')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    // shared-pg15 logs in with GitHub's OIDC token, which a test run does not have.
    expect(error).toMatchObject({ message: 'auth method jwt needs a token, and there is no GitHub Actions OIDC token here' });
    expect((error as UserError).options.hint).toContain('id-token: write');
  });

  it('reports an unreadable VAULT_CACERT as a UserError when the store is made', async () => {
    const shared = await instance('shared-pg15');
    const made = () => secretStoreFor(shared, TOOL_ROOT, { VAULT_CACERT: '/nonexistent/ca.pem' });
    expect(made).toThrow(UserError);
    expect(made).toThrow('VAULT_CACERT names /nonexistent/ca.pem, which cannot be read');
  });
});

describe('FileSecretStore rotation marks', () => {
  it('reports the latest version as pending until it is confirmed, and keeps the versions', async () => {
    const root = await mkdtemp(join(tmpdir(), 'platon-db-file-rotation-'));
    try {
      const store = new FileSecretStore({ store: 'file', directory: 's', pathTemplate: '{instance}/{database}/{user}' }, { root, instance: 'local' });
      const ref = store.refFor('d', 'rw');
      const creds = (password: string) => buildCredentials({ username: 'd_rw', password, host: 'h', port: 5432, database: 'd' });
      await store.write(ref, creds('first-password-01'), 0);
      await store.markRotation(ref, 2, 'pending');
      expect(await store.read(ref)).toEqual({ credentials: creds('first-password-01'), version: 1 });
      await store.write(ref, creds('second-password-02'), 1);
      expect(await store.read(ref)).toMatchObject({ version: 2, rotationPending: true });
      await store.markRotation(ref, 2, 'confirmed');
      expect((await store.read(ref))?.rotationPending).toBeUndefined();
      expect((await store.versions(ref)).map((v) => v.credentials.password)).toEqual(['first-password-01', 'second-password-02']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
