/**
 * Logging in to Vault (token, AppRole, JWT from VAULT_JWT or GitHub Actions OIDC) and keeping the
 * token alive during a long run, against the Vault double with a clock the test moves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultSecretStore, type VaultBackend } from '../../src/adapters/vault/vault-store.js';
import type { Env } from '../../src/adapters/vault/vault-auth.js';
import { VaultDouble } from '../support/vault-double.js';

const base = { store: 'vault', address: 'http://unused.invalid', mount: 'secret', pathTemplate: '{instance}/{database}/{user}' } as const;
const APPROLE = { roleId: 'role-1234', secretId: 'secret-id-5678', ttlSeconds: 60 };
const JWT = { mount: 'jwt-github', role: 'platon-db-apply', jwt: 'header.payload-9876.signature', ttlSeconds: 60 };

let vault: VaultDouble;
let now: number;

beforeEach(async () => {
  vault = await VaultDouble.start({ approle: APPROLE, jwt: JWT });
  now = Date.now();
  vault.now = () => now;
});
afterEach(() => vault.stop());

const store = (auth: VaultBackend['auth'], env: Env, extra: { fetch?: typeof fetch } = {}) =>
  new VaultSecretStore({ ...base, auth }, { instance: 'i', env: { VAULT_ADDR: vault.address, ...env }, now: () => now, ...extra });
const paths = () => vault.requests.map((r) => `${r.method} ${r.path}`);
const readOnce = (s: VaultSecretStore) => s.read(s.refFor('db', 'rw'));

describe('Vault authentication', () => {
  it('token: uses VAULT_TOKEN and learns its TTL with lookup-self', async () => {
    const token = vault.issueToken({ ttlSeconds: 3600 });
    await readOnce(store({ method: 'token' }, { VAULT_TOKEN: token }));
    expect(paths()).toEqual(['GET auth/token/lookup-self', 'GET secret/data/i/db/rw']);
    expect(vault.requests.every((r) => r.token === token)).toBe(true);
  });

  it('token: a missing or refused VAULT_TOKEN is one clear line', async () => {
    await expect(readOnce(store({ method: 'token' }, {}))).rejects.toThrow('VAULT_TOKEN is not set: it must hold a Vault token for auth method token');
    await expect(readOnce(store({ method: 'token' }, { VAULT_TOKEN: 'hvs.not-a-real-token' }))).rejects.toThrow(
      `Vault at ${vault.address} refused VAULT_TOKEN: permission denied`,
    );
  });

  it('token: a process-wide VAULT_TOKEN does not leak into an AppRole login', async () => {
    process.env.VAULT_TOKEN = 'hvs.from-the-process';
    try {
      await readOnce(store({ method: 'approle' }, { VAULT_ROLE_ID: APPROLE.roleId, VAULT_SECRET_ID: APPROLE.secretId }));
    } finally {
      delete process.env.VAULT_TOKEN;
    }
    expect(vault.requests[0]).toEqual({ method: 'POST', path: 'auth/approle/login', query: '' });
  });

  it('approle: logs in at the configured mount and uses the token it gets', async () => {
    vault.stop();
    vault = await VaultDouble.start({ approle: { ...APPROLE, mount: 'ci-approle' } });
    await readOnce(store({ method: 'approle', mount: 'ci-approle' }, { VAULT_ROLE_ID: APPROLE.roleId, VAULT_SECRET_ID: APPROLE.secretId }));
    expect(paths()).toEqual(['POST auth/ci-approle/login', 'GET secret/data/i/db/rw']);
    expect(vault.tokens.live(vault.requests[1]!.token)).toBeDefined();
  });

  it('approle: wrong credentials are one line that holds neither id', async () => {
    const error = await readOnce(store({ method: 'approle' }, { VAULT_ROLE_ID: APPROLE.roleId, VAULT_SECRET_ID: 'wrong-secret-id-1111' })).catch((e: Error) => e);
    expect(error).toMatchObject({ message: `Vault at ${vault.address} refused the AppRole login at auth/approle`, kind: 'login' });
    expect(String((error as Error).stack)).not.toContain('wrong-secret-id-1111');
    await expect(readOnce(store({ method: 'approle' }, { VAULT_ROLE_ID: APPROLE.roleId }))).rejects.toThrow('VAULT_SECRET_ID is not set');
  });

  it('jwt: logs in with VAULT_JWT at the configured mount and role', async () => {
    await readOnce(store({ method: 'jwt', mount: JWT.mount, role: JWT.role }, { VAULT_JWT: JWT.jwt }));
    expect(paths()).toEqual(['POST auth/jwt-github/login', 'GET secret/data/i/db/rw']);
  });

  it('jwt: fetches a GitHub Actions OIDC token for the Vault audience', async () => {
    const asked: { url: string; authorization: string | null }[] = [];
    const fakeFetch = (async (url: URL, init: RequestInit) => {
      asked.push({ url: String(url), authorization: new Headers(init.headers).get('authorization') });
      return new Response(JSON.stringify({ value: JWT.jwt }), { status: 200 });
    }) as typeof fetch;
    const env = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/abc?api-version=2.0', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token-4242' };
    await readOnce(store({ method: 'jwt', mount: JWT.mount, role: JWT.role }, env, { fetch: fakeFetch }));
    const url = new URL(asked[0]!.url);
    expect(url.searchParams.get('api-version')).toBe('2.0');
    expect(url.searchParams.get('audience')).toBe(vault.address);
    expect(asked[0]!.authorization).toBe('Bearer request-token-4242');
    expect(paths()).toEqual(['POST auth/jwt-github/login', 'GET secret/data/i/db/rw']);
  });

  it('jwt: outside GitHub Actions without VAULT_JWT says what to do; a refused JWT is one line', async () => {
    const auth = { method: 'jwt', mount: JWT.mount, role: JWT.role } as const;
    await expect(readOnce(store(auth, {}))).rejects.toThrow('auth method jwt needs a token, and there is no GitHub Actions OIDC token here');
    await expect(readOnce(store(auth, { VAULT_JWT: 'forged.jwt.value' }))).rejects.toThrow(`Vault at ${vault.address} refused the JWT login at auth/jwt-github as role platon-db-apply`);
  });
});

describe('Vault token renewal during a long run', () => {
  const approle = () => store({ method: 'approle' }, { VAULT_ROLE_ID: APPROLE.roleId, VAULT_SECRET_ID: APPROLE.secretId });

  it('renews (renew-self) before a request once less than half the lease is left, not before', async () => {
    const s = approle();
    await readOnce(s);
    now += 29_000;
    await readOnce(s);
    expect(paths().filter((p) => p.includes('renew-self'))).toHaveLength(0);
    now += 2_000; // 29 s left of 60
    await readOnce(s);
    expect(paths().filter((p) => p.includes('renew-self'))).toHaveLength(1);
    now += 50_000; // past the first expiry: the renewal kept the token alive
    await readOnce(s);
    expect(paths().filter((p) => p.includes('login'))).toHaveLength(1);
  });

  it('renews a VAULT_TOKEN with a TTL too', async () => {
    const token = vault.issueToken({ ttlSeconds: 100 });
    const s = store({ method: 'token' }, { VAULT_TOKEN: token });
    await readOnce(s);
    now += 60_000;
    await readOnce(s);
    expect(paths()).toContain('POST auth/token/renew-self');
    now += 90_000;
    await readOnce(s);
  });

  it('shares one renewal among concurrent requests', async () => {
    const s = approle();
    await readOnce(s);
    now += 40_000;
    await Promise.all(Array.from({ length: 6 }, () => readOnce(s)));
    expect(paths().filter((p) => p.includes('renew-self'))).toHaveLength(1);
  });

  it('logs in again when the token hits its max TTL (AppRole)', async () => {
    vault.stop();
    vault = await VaultDouble.start({ approle: { ...APPROLE, maxTtlSeconds: 70 } });
    vault.now = () => now;
    const s = approle();
    await readOnce(s);
    for (let i = 0; i < 6; i++) {
      now += 25_000;
      await readOnce(s);
    }
    expect(paths().filter((p) => p.includes('login')).length).toBeGreaterThan(1);
  });

  it('logs in again and retries once when Vault drops the token early (403)', async () => {
    const s = approle();
    await readOnce(s);
    vault.expire(vault.requests[1]!.token!);
    await readOnce(s);
    expect(paths()).toEqual(['POST auth/approle/login', 'GET secret/data/i/db/rw', 'GET secret/data/i/db/rw', 'POST auth/approle/login', 'GET secret/data/i/db/rw']);
  });

  it('says that a VAULT_TOKEN has expired, which only a new token can fix', async () => {
    const token = vault.issueToken({ ttlSeconds: 30, renewable: false });
    const s = store({ method: 'token' }, { VAULT_TOKEN: token });
    await readOnce(s);
    now += 31_000;
    await expect(readOnce(s)).rejects.toThrow('the Vault token from VAULT_TOKEN has expired');
  });
});
