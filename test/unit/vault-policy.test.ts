/**
 * Vault policies, checked by the Vault double the way Vault checks them (vault/acl.go): the calls
 * platon-db makes need exactly the capabilities the README's policies grant, and a policy that
 * lacks one fails here as it would in production, with a message naming the path and the
 * capability (Vault itself says only "permission denied"), and nothing secret.
 *
 * Vault's rules used here (developer.hashicorp.com/vault/docs/concepts/policies,
 * .../secrets/kv/kv-v2): KV v2 writes go to `<mount>/data/<path>` and need `create` when the
 * secret has no metadata yet, `update` when it has; reads need `read`; `<mount>/metadata/<path>`
 * needs `read` to read, `patch` to PATCH (`update` does not cover PATCH), `create` to POST a new
 * entry, `delete` to delete the secret with all its versions.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultSecretStore } from '../../src/adapters/vault/vault-store.js';
import { VaultError } from '../../src/adapters/vault/vault-errors.js';
import { buildCredentials } from '../../src/adapters/secrets/credentials.js';
import { ensurePassword } from '../../src/apply/secrets.js';
import { VaultDouble } from '../support/vault-double.js';
import { RDS_VAULT_BACKEND } from '../support/vault-backend.js';
import { Acl, PERMISSION_DENIED, type Capability, type Policy } from '../support/vault-double-acl.js';
import { readmeVaultPolicies } from '../support/readme-vault-policies.js';

const backend = RDS_VAULT_BACKEND;
const ENDPOINT = { host: 'shared-pg15.example.org', port: 5432 };
const ROTATED = 'Rotated-Canary-Password-00000001';
const policies = readmeVaultPolicies();

let vault: VaultDouble;
beforeAll(async () => {
  vault = await VaultDouble.start();
});
afterAll(() => vault.stop());

let run = 0;
/** A store logged in with a token holding `policy`, on secrets no other test uses. */
function storeWith(policy: Policy): { store: VaultSecretStore; token: string; database: string } {
  const token = vault.issueToken({ policies: [policy] });
  const store = new VaultSecretStore(backend, { instance: 'shared-pg15', env: { VAULT_ADDR: vault.address, VAULT_TOKEN: token } });
  return { store, token, database: `db${++run}` };
}

/**
 * Every kind of call platon-db makes to Vault, in the order and with the arguments the commands
 * use: plan's status (src/inspect/secrets.ts), apply's issue (ensurePassword, the real function),
 * rotate's read, pending mark, compare-and-set write and confirmed mark (src/app/rotate.ts),
 * rotate of a user whose secret is missing (the mark creates the metadata entry), and apply
 * --allow-destroy's delete (src/apply/apply.ts), twice, as a repeated drop does.
 */
async function everyCall({ store, database }: { store: VaultSecretStore; database: string }): Promise<void> {
  const rw = store.refFor(database, 'rw');
  const ro = store.refFor(database, 'ro');
  expect(await store.status(rw)).toBe('absent');
  await ensurePassword(store, rw, ENDPOINT);
  const current = await store.read(rw);
  await store.markRotation(rw, current!.version + 1, 'pending');
  const version = await store.write(rw, buildCredentials({ username: `${database}_rw`, password: ROTATED, ...ENDPOINT, database }), current!.version);
  await store.markRotation(rw, version, 'confirmed');
  expect(await store.read(ro)).toBeNull();
  await store.markRotation(ro, 1, 'pending');
  await store.write(ro, buildCredentials({ username: `${database}_ro`, password: ROTATED, ...ENDPOINT, database }), 0);
  await store.delete(rw);
  await store.delete(rw);
}

/** The README policy without one capability on one pattern. */
function without(policy: Policy, pattern: string, capability: Capability): Policy {
  return { ...policy, [pattern]: policy[pattern]!.filter((c) => c !== capability) };
}

/** The lines of the apply policy that cover what platon-db itself calls (the rest is for vault-action). */
const toolPatterns = Object.keys(policies.apply).filter((p) => p.startsWith('secret/data/platon/rds/') || p.startsWith('secret/metadata/platon/rds/'));

describe('the README\'s Vault policies against the calls platon-db makes', () => {
  it('quotes the same applier policy under "Credentials in Vault" as in platon-db-apply', () => {
    expect(toolPatterns.sort()).toEqual(['secret/data/platon/rds/*', 'secret/metadata/platon/rds/*']);
    expect(Object.fromEntries(toolPatterns.map((p) => [p, policies.apply[p]]))).toEqual(policies.applier);
  });

  it('platon-db-apply allows every call apply and rotate make', async () => {
    await expect(everyCall(storeWith(policies.apply))).resolves.toBeUndefined();
  });

  const cases = toolPatterns.flatMap((pattern) => policies.apply[pattern]!.map((capability) => [pattern, capability] as const));
  it.each(cases)('without %s "%s" some call fails, and the error names that capability and path', async (pattern, capability) => {
    const error = await everyCall(storeWith(without(policies.apply, pattern, capability))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, `the README grants ${capability} on ${pattern}, but no call needed it`).toBeInstanceOf(VaultError);
    expect((error as VaultError).kind).toBe('denied');
    const named = new RegExp(`permission denied \\(the token's policy needs "${capability}" on ${pattern.replace('*', '')}`);
    expect((error as Error).message).toMatch(named);
  });

  it('platon-db-plan can tell which users have a secret, and cannot read a password', async () => {
    const writer = storeWith(policies.apply);
    const ref = writer.store.refFor(writer.database, 'rw');
    await ensurePassword(writer.store, ref, ENDPOINT);
    const planToken = vault.issueToken({ policies: [policies.plan] });
    const planner = new VaultSecretStore(backend, { instance: 'shared-pg15', env: { VAULT_ADDR: vault.address, VAULT_TOKEN: planToken } });
    expect(await planner.status(ref)).toBe('present');
    await expect(planner.read(ref)).rejects.toThrow(`permission denied (the token's policy needs "read" on secret/data/${ref.path.slice('secret/'.length)})`);
  });

  it('the `+` lines give the apply role the admin connection of any instance, and nothing next to it', async () => {
    const token = vault.issueToken({ policies: [policies.apply] });
    const get = (path: string) => fetch(`${vault.address}/v1/${path}`, { headers: { 'X-Vault-Token': token } }).then((r) => r.status);
    expect(await get('secret/data/platon-db/shared-pg15/admin')).toBe(404); // allowed; nothing stored
    expect(await get('secret/data/platon-db/shared-pg15/plan')).toBe(403);
    expect(await get('secret/data/platon-db/a/b/admin')).toBe(403); // `+` is one segment
  });
});

describe('a policy without patch (Vault 1.9+ KV v2 needs it for PATCH of metadata)', () => {
  it('fails rotate\'s mark as in production: one line naming the path and the capability, no secret anywhere', async () => {
    const s = storeWith({ 'secret/data/platon/rds/*': ['create', 'read', 'update'], 'secret/metadata/platon/rds/*': ['create', 'read', 'update'] });
    const ref = s.store.refFor(s.database, 'rw');
    await ensurePassword(s.store, ref, ENDPOINT);
    const password = (await s.store.read(ref))!.credentials.password;
    const error = await s.store.markRotation(ref, 2, 'pending').then(
      () => undefined,
      (e: unknown) => e as VaultError,
    );
    expect(error?.message).toBe(
      `Vault at ${vault.address} denied recording the rotation of ${ref.path}: permission denied (the token's policy needs "patch" on secret/metadata/platon/rds/shared-pg15/${s.database}/rw)`,
    );
    expect(error?.hint).toContain('add "patch" for secret/metadata/platon/rds/shared-pg15/');
    const everything = [error?.message, error?.hint, String(error?.stack), inspect(error, { depth: null, showHidden: true })].join('\n');
    for (const secret of [password, encodeURIComponent(password), s.token]) expect(everything).not.toContain(secret);
    // Vault answered exactly this: its own text, nothing about which capability.
    const patch = vault.requests.filter((r) => r.method === 'PATCH').at(-1)!;
    expect(patch.path).toBe(`secret/metadata/platon/rds/shared-pg15/${s.database}/rw`);
  });
});

describe('the Vault double checks policies as vault/acl.go does', () => {
  const acl = (...p: Policy[]) => new Acl(p);

  it('answers a refusal with Vault\'s own 403 text', async () => {
    const token = vault.issueToken({ policies: [{}] });
    const response = await fetch(`${vault.address}/v1/secret/data/x`, { headers: { 'X-Vault-Token': token } });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ errors: [PERMISSION_DENIED] });
    expect(PERMISSION_DENIED).toBe('1 error occurred:\n\t* permission denied\n\n');
  });

  it('denies by default, matches `*` as a prefix and `+` as one segment', () => {
    const a = acl({ 'secret/data/a/*': ['read'], 'secret/data/+/b': ['update'] });
    expect(a.allows('secret/data/a/x/y', 'read')).toBe(true);
    expect(a.allows('secret/data/a', 'read')).toBe(false);
    expect(a.allows('secret/data/z/b', 'update')).toBe(true);
    expect(a.allows('secret/data/z/y/b', 'update')).toBe(false);
    expect(a.allows('secret/data/a/x', 'update')).toBe(false);
  });

  it('uses only the most specific pattern, not the union of all that match', () => {
    const a = acl({ 'secret/data/*': ['read', 'update'], 'secret/data/team/*': ['read'] });
    expect(a.allows('secret/data/team/x', 'update')).toBe(false);
    expect(a.allows('secret/data/other', 'update')).toBe(true);
    expect(acl({ 'secret/data/+/x': ['read'], 'secret/data/a/*': ['update'] }).allows('secret/data/a/x', 'update')).toBe(true); // later first wildcard wins
  });

  it('unions the same pattern across policies, and deny there wins', () => {
    expect(acl({ 'secret/data/x': ['read'] }, { 'secret/data/x': ['update'] }).allows('secret/data/x', 'update')).toBe(true);
    expect(acl({ 'secret/data/x': ['read'] }, { 'secret/data/x': ['deny'] }).allows('secret/data/x', 'read')).toBe(false);
    expect(acl({ 'secret/data/x': ['read', 'deny'] }).allows('secret/data/x', 'read')).toBe(false);
  });

  it('needs create for a first write and update once the secret has metadata, patch for PATCH', async () => {
    const token = vault.issueToken({ policies: [{ 'secret/data/cu/*': ['create'], 'secret/metadata/cu/*': ['update'] }] });
    const call = (method: string, path: string, body: unknown) =>
      fetch(`${vault.address}/v1/${path}`, { method, headers: { 'X-Vault-Token': token }, body: JSON.stringify(body) }).then((r) => r.status);
    expect(await call('POST', 'secret/data/cu/one', { data: { a: '1' } })).toBe(200);
    expect(await call('POST', 'secret/data/cu/one', { options: { cas: 1 }, data: { a: '2' } })).toBe(403);
    expect(await call('PATCH', 'secret/metadata/cu/one', { custom_metadata: { k: 'v' } })).toBe(403);
    expect(await call('POST', 'secret/metadata/cu/one', { custom_metadata: { k: 'v' } })).toBe(204);
  });
});
