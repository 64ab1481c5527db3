/**
 * How platon-db gets a Vault token, as the instance file's `secrets.auth.method` says:
 * - `token`: VAULT_TOKEN as is (its TTL is learned with lookup-self);
 * - `approle`: VAULT_ROLE_ID and VAULT_SECRET_ID, at the configured mount (default `approle`);
 * - `jwt`: a GitHub Actions OIDC token (or VAULT_JWT, for other CI systems and tests), as the
 *   file's role or VAULT_JWT_ROLE.
 */
import type vault from 'node-vault';
import type { SecretBackend } from '../../model/spec.js';
import { VaultError } from './vault-errors.js';

export type Env = Readonly<Record<string, string | undefined>>;
export type VaultAuthConfig = Extract<SecretBackend, { store: 'vault' }>['auth'];

/** A token and what Vault said about its lifetime. */
export interface TokenGrant {
  readonly token: string;
  /** Seconds the token lives from now; 0 = never expires (e.g. a root token). */
  readonly ttlSeconds: number;
  /** The lease a renewal gives, in seconds (what "half its TTL" is measured against). */
  readonly leaseSeconds: number;
  readonly renewable: boolean;
}

export interface Authenticator {
  /** For messages: `VAULT_TOKEN`, `AppRole login at auth/approle`, ... */
  readonly name: string;
  /** What getting a token is called in messages, e.g. `checking VAULT_TOKEN`. */
  readonly action: string;
  /** Whether a fresh token can be had when the current one expires (not so for VAULT_TOKEN). */
  readonly canLogIn: boolean;
  /** Credentials that must never show in a message. */
  readonly secrets: () => readonly string[];
  login(client: vault.client): Promise<TokenGrant>;
}

export interface AuthOptions {
  readonly env: Env;
  /** The Vault address, the default OIDC audience. */
  readonly address: string;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

export function authenticator(config: VaultAuthConfig, options: AuthOptions): Authenticator {
  const { env } = options;
  switch (config.method) {
    case 'token':
      return {
        name: 'VAULT_TOKEN',
        action: 'checking VAULT_TOKEN',
        canLogIn: false,
        secrets: () => [env.VAULT_TOKEN ?? ''],
        async login(client) {
          client.token = required(env, 'VAULT_TOKEN', 'a Vault token for auth method token');
          const { data } = (await client.tokenLookupSelf()) as { data: { ttl?: number; creation_ttl?: number; renewable?: boolean } };
          return { token: client.token, ttlSeconds: data.ttl ?? 0, leaseSeconds: data.creation_ttl ?? data.ttl ?? 0, renewable: data.renewable === true };
        },
      };
    case 'approle': {
      const mount = config.mount ?? 'approle';
      return {
        name: `AppRole login at auth/${mount}`,
        action: `logging in with AppRole at auth/${mount}`,
        canLogIn: true,
        secrets: () => [env.VAULT_SECRET_ID ?? ''],
        async login(client) {
          const role_id = required(env, 'VAULT_ROLE_ID', 'the AppRole role id');
          const secret_id = required(env, 'VAULT_SECRET_ID', 'the AppRole secret id');
          return grant(await client.approleLogin({ mount_point: mount, role_id, secret_id }));
        },
      };
    }
    case 'jwt': {
      let jwt = '';
      // VAULT_JWT_ROLE: CI jobs that only read (plan, drift) log in as a read-only role, not the file's.
      const role = env.VAULT_JWT_ROLE || config.role;
      return {
        name: `JWT login at auth/${config.mount} as role ${role}`,
        action: `logging in with a JWT at auth/${config.mount}`,
        canLogIn: true,
        secrets: () => [jwt, env.VAULT_JWT ?? '', env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? ''],
        async login(client) {
          jwt = env.VAULT_JWT || (await githubOidcToken(options));
          return grant(await client.jwtLogin({ mount_point: config.mount, role, jwt }));
        },
      };
    }
  }
}

function grant(response: { auth?: { client_token?: string; lease_duration?: number; renewable?: boolean } }): TokenGrant {
  const auth = response.auth;
  if (!auth?.client_token) throw new VaultError('unexpected', 'Vault answered a login without a token');
  const lease = auth.lease_duration ?? 0;
  return { token: auth.client_token, ttlSeconds: lease, leaseSeconds: lease, renewable: auth.renewable === true };
}

function required(env: Env, name: string, what: string): string {
  const value = env[name];
  if (!value) throw new VaultError('config', `${name} is not set: it must hold ${what}`, 'set it in the environment (in CI, from a secret)');
  return value;
}

/**
 * GitHub Actions hands a job an OIDC token through ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN when the
 * workflow has `permissions: id-token: write`. The audience defaults to the Vault address, so a
 * token minted for this Vault is of no use to any other service; the Vault role binds it
 * (`bound_audiences`). VAULT_JWT_AUDIENCE overrides it.
 */
async function githubOidcToken(options: AuthOptions): Promise<string> {
  const { env } = options;
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken) {
    throw new VaultError(
      'config',
      'auth method jwt needs a token, and there is no GitHub Actions OIDC token here',
      'in GitHub Actions give the job `permissions: id-token: write`; elsewhere set VAULT_JWT',
    );
  }
  const url = new URL(requestUrl);
  url.searchParams.set('audience', env.VAULT_JWT_AUDIENCE || options.address);
  const failed = (reason: string) =>
    new VaultError('login', `could not get a GitHub Actions OIDC token: ${reason}`, 'check that the job has `permissions: id-token: write`');
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw failed((error as { name?: string }).name === 'TimeoutError' ? 'no answer in time' : 'request failed');
  }
  if (!response.ok) throw failed(`HTTP ${response.status}`);
  const body = (await response.json().catch(() => null)) as { value?: unknown } | null;
  if (typeof body?.value !== 'string' || body.value === '') throw failed('the answer holds no token');
  return body.value;
}
