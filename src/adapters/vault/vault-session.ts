/**
 * One logged-in node-vault client with its token's lifetime. Before every request: log in if
 * there is no token yet, log in again if it has expired (AppRole and JWT can; VAULT_TOKEN
 * cannot), and renew it (renew-self) once less than half its lease is left, so an apply that
 * runs longer than one TTL keeps working. Concurrent requests share one login or renewal.
 */
import { readFileSync } from 'node:fs';
import type vault from 'node-vault';
import type { Authenticator, Env, TokenGrant } from './vault-auth.js';
import { statusOf, vaultError, VaultError, type VaultNeed, type VaultOperation } from './vault-errors.js';

export interface SessionOptions {
  readonly address: string;
  readonly env: Env;
  readonly timeoutMs: number;
  readonly now: () => number;
}

export class VaultSession {
  private client: vault.client | undefined;
  private readonly requestOptions: { readonly timeout: number; readonly ca?: Buffer };
  private grant: Lifetime | undefined;
  private busy: Promise<void> | undefined;

  constructor(
    private readonly auth: Authenticator,
    private readonly options: SessionOptions,
  ) {
    // Read now, so an unreadable VAULT_CACERT fails before any work.
    this.requestOptions = { timeout: options.timeoutMs, ...tls(options.env) };
  }

  /**
   * The node-vault client, loaded on the first request: a run that never asks Vault (a plan of
   * the local instance, whose secrets are files) does not spend the ~60 ms loading it costs.
   */
  private async connect(): Promise<vault.client> {
    if (this.client) return this.client;
    const { default: nodeVault } = await import('node-vault');
    const client = nodeVault({
      endpoint: this.options.address,
      // node-vault's debug output prints request bodies, passwords included, when DEBUG matches.
      debug: () => undefined,
      requestOptions: this.requestOptions,
    });
    // node-vault falls back to process.env for these; the run's env (options.env) decides instead.
    const loose = client as unknown as { token?: string; namespace?: string; pathPrefix: string };
    loose.token = undefined;
    loose.namespace = this.options.env.VAULT_NAMESPACE || undefined;
    loose.pathPrefix = '';
    // Concurrent first requests: the first client made is the one all of them share.
    this.client ??= client;
    return this.client;
  }

  /**
   * Runs `request` with a valid token. A 403 from a token that was fine a moment ago (revoked,
   * expired early) gets one fresh login and a retry when the auth method allows it; the request
   * was refused, so repeating it (even a compare-and-set write) is safe. `needs` is the one
   * request's capability and path, which a final 403 names.
   */
  async call<T>(what: string, needs: VaultNeed, request: (client: vault.client) => Promise<T>, secrets: readonly string[] = []): Promise<T> {
    const client = await this.connect();
    const op = { ...this.operation(what, secrets), needs };
    await this.ready();
    try {
      return await request(client);
    } catch (error) {
      if (statusOf(error) !== 403 || !this.auth.canLogIn) throw vaultError(error, op);
    }
    this.grant = undefined;
    await this.ready();
    try {
      return await request(client);
    } catch (error) {
      throw vaultError(error, op);
    }
  }

  private async ready(): Promise<void> {
    while (this.busy) await this.busy;
    const next = this.nextStep();
    if (!next) return;
    this.busy = next().finally(() => (this.busy = undefined));
    await this.busy;
  }

  private nextStep(): (() => Promise<void>) | undefined {
    const grant = this.grant;
    if (!grant) return () => this.login();
    if (grant.expiresAt === null) return undefined;
    const left = grant.expiresAt - this.options.now();
    if (left <= 0) {
      if (this.auth.canLogIn) return () => this.login();
      throw new VaultError('denied', `the Vault token from ${this.auth.name} has expired`, 'set VAULT_TOKEN to a fresh token');
    }
    if (grant.renewable && left < grant.leaseMs / 2) return () => this.renew();
    return undefined;
  }

  private async login(): Promise<void> {
    try {
      const client = await this.connect();
      const grant = await this.auth.login(client);
      client.token = grant.token;
      this.grant = lifetime(grant, this.options.now());
    } catch (error) {
      const op = this.operation(this.auth.action, []);
      const status = statusOf(error);
      if (status === 400 || status === 401) {
        throw new VaultError('login', `Vault at ${op.address} refused the ${this.auth.name}`, 'check the credentials in the environment and the Vault role', status);
      }
      if (status === 403 && !this.auth.canLogIn) {
        throw new VaultError('denied', `Vault at ${op.address} refused VAULT_TOKEN: permission denied`, 'the token is invalid or has expired: set VAULT_TOKEN to a valid token', status);
      }
      throw vaultError(error, op);
    }
  }

  /** Renews the token; if Vault refuses (expired, max TTL reached), logs in afresh where possible. */
  private async renew(): Promise<void> {
    try {
      const response = (await (await this.connect()).tokenRenewSelf()) as { auth?: { lease_duration?: number; renewable?: boolean } };
      const lease = response.auth?.lease_duration ?? 0;
      const expiresAt = this.options.now() + lease * 1000;
      // Near its max TTL Vault grants less than asked; once a renewal no longer moves the expiry,
      // stop renewing and let the token run out (then log in again, where the method can).
      const extended = expiresAt > (this.grant?.expiresAt ?? 0) + 1000;
      this.grant = { expiresAt, leaseMs: lease * 1000, renewable: response.auth?.renewable === true && extended };
    } catch (error) {
      if (this.auth.canLogIn && statusOf(error) !== undefined && statusOf(error) !== 503) return this.login();
      throw vaultError(error, this.operation('renewing the Vault token', []));
    }
  }

  private operation(what: string, secrets: readonly string[]): VaultOperation {
    return {
      address: this.options.address,
      what,
      timeoutMs: this.options.timeoutMs,
      secrets: [...secrets, ...this.auth.secrets(), this.client?.token ?? ''],
    };
  }

}

/** When the current token expires (null: never) and how long a renewal makes it live. */
interface Lifetime {
  readonly expiresAt: number | null;
  readonly leaseMs: number;
  readonly renewable: boolean;
}

function lifetime(grant: TokenGrant, now: number): Lifetime {
  if (grant.ttlSeconds === 0) return { expiresAt: null, leaseMs: 0, renewable: false };
  return { expiresAt: now + grant.ttlSeconds * 1000, leaseMs: grant.leaseSeconds * 1000, renewable: grant.renewable };
}

/** VAULT_CACERT, as the vault CLI reads it: a PEM file of the CA that signed Vault's certificate. */
function tls(env: Env): { ca?: Buffer } {
  if (!env.VAULT_CACERT) return {};
  try {
    return { ca: readFileSync(env.VAULT_CACERT) };
  } catch {
    throw new VaultError('config', `VAULT_CACERT names ${env.VAULT_CACERT}, which cannot be read`, 'point it at the PEM file of the CA that signed Vault\'s certificate');
  }
}
