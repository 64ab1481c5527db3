/**
 * A local HTTP server that speaks enough of HashiCorp Vault's API for node-vault's real HTTP path
 * to run against it: `X-Vault-Token`, KV v2 (`<mount>/data/<path>` with versions, `?version=N`,
 * `cas`, custom metadata), AppRole and JWT login, token lookup-self and renew-self, with Vault's
 * status codes and response envelopes (shared/design/RDS.md, "Vault KV v2").
 *
 * Faults for failure tests: `down()` (connection refused), `sealed` (503), `delayMs` (timeouts),
 * `expire(token)`, and `intercept` to answer any request differently.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { KvStore, TokenTable, type Token, type TokenOptions } from './vault-double-state.js';

export interface LoginOptions extends TokenOptions {
  /** Where the auth method is mounted: `approle` by default for AppRole. */
  readonly mount?: string;
}

export interface VaultDoubleOptions {
  /** KV v2 mounts; default `['secret']`. */
  readonly mounts?: readonly string[];
  readonly approle?: LoginOptions & { readonly roleId: string; readonly secretId: string };
  readonly jwt?: LoginOptions & { readonly mount: string; readonly role: string; readonly jwt: string };
  readonly maxVersions?: number;
}

export interface SeenRequest {
  readonly method: string;
  /** Without `/v1/` and the query, e.g. `secret/data/platon/x`. */
  readonly path: string;
  readonly query: string;
  readonly token?: string;
}

type Reply = { readonly status: number; readonly body?: unknown };
type Body = Record<string, unknown>;

export class VaultDouble {
  /** Vault's clock; tests may replace it to move time forward. */
  now: () => number = () => Date.now();
  sealed = false;
  /** Milliseconds every answer waits. */
  delayMs = 0;
  /** Answers a request instead of the double when it returns a reply. */
  intercept: ((request: SeenRequest & { readonly body: Body }) => Reply | undefined) | undefined;
  readonly requests: SeenRequest[] = [];
  readonly tokens = new TokenTable(() => this.now());
  readonly kv: KvStore;
  private port = 0;

  private constructor(
    private readonly options: VaultDoubleOptions,
    private readonly server: Server,
  ) {
    this.kv = new KvStore(() => this.now(), options.maxVersions ?? 10);
  }

  static async start(options: VaultDoubleOptions = {}): Promise<VaultDouble> {
    let double: VaultDouble | undefined;
    const server = createServer((req, res) => void double!.handle(req, res).catch(() => res.destroy()));
    double = new VaultDouble(options, server);
    await double.up();
    return double;
  }

  get address(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A token like `vault token create` gives; root-like (no expiry, every path) by default. */
  issueToken(options: TokenOptions = {}): string {
    return this.tokens.issue(options).id;
  }

  expire(token: string): void {
    this.tokens.expire(token);
  }

  /** Stops listening and drops open connections: clients get ECONNREFUSED until `up()`. */
  async down(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
    // Let clients in this process see their kept-alive sockets close, as they would have by the
    // time they next used a server that went down a while ago (else: ECONNRESET, not refused).
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Listens again, on the same port after a `down()`. */
  async up(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return this.down();
  }

  /** The stored versions of `<mount>/<path>`, oldest first. */
  versions(mount: string, path: string) {
    return this.kv.get(`${mount}/${path}`)?.versions ?? [];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://vault');
    const body = await readBody(req);
    const header = req.headers['x-vault-token'];
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname.replace(/^\/v1\//, ''),
      query: url.search,
      ...(typeof header === 'string' ? { token: header } : {}),
    };
    this.requests.push(seen);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (res.destroyed) return;
    const reply = this.intercept?.({ ...seen, body: body ?? {} }) ?? this.route(seen, url, body);
    if (reply.status === 204) {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body ?? {}));
  }

  private route(seen: SeenRequest, url: URL, body: Body | undefined): Reply {
    if (this.sealed) return errors(503, 'Vault is sealed');
    if (body === undefined) return errors(400, 'failed to parse JSON input');
    if (!url.pathname.startsWith('/v1/')) return errors(404, 'not found');
    const login = this.login(seen, body);
    if (login) return login;
    const token = this.tokens.live(seen.token);
    if (!token) return errors(403, 'permission denied');
    if (seen.path === 'auth/token/lookup-self' && seen.method === 'GET') return this.lookupSelf(token);
    if (seen.path === 'auth/token/renew-self' && seen.method === 'POST') return this.renewSelf(token, body);
    if (token.paths && !token.paths.some((prefix) => seen.path.startsWith(prefix))) return errors(403, 'permission denied');
    return this.kvRoute(seen, url, body);
  }

  private login(seen: SeenRequest, body: Body): Reply | undefined {
    if (seen.method !== 'POST') return undefined;
    const { approle, jwt } = this.options;
    if (approle && seen.path === `auth/${approle.mount ?? 'approle'}/login`) {
      if (body.role_id !== approle.roleId || body.secret_id !== approle.secretId) return errors(400, 'invalid role or secret ID');
      return this.authReply(this.tokens.issue({ ...approle, displayName: 'approle' }), { role_name: 'platon-db' });
    }
    if (jwt && seen.path === `auth/${jwt.mount}/login`) {
      if (body.role !== jwt.role) return errors(400, `role "${String(body.role)}" could not be found`);
      if (body.jwt !== jwt.jwt) return errors(400, 'error validating token: invalid audience (aud) claim');
      return this.authReply(this.tokens.issue({ ...jwt, displayName: `${jwt.mount}-platon` }), { role: jwt.role });
    }
    return seen.path.startsWith('auth/') && seen.path.endsWith('/login')
      ? errors(404, `no handler for route "${seen.path}". route entry not found.`)
      : undefined;
  }

  private authReply(token: Token, metadata: Record<string, string>): Reply {
    return envelope({
      auth: {
        client_token: token.id,
        accessor: token.accessor,
        policies: ['default', 'platon-db'],
        token_policies: ['default', 'platon-db'],
        metadata,
        lease_duration: token.ttlSeconds,
        renewable: token.renewable,
        entity_id: '',
        token_type: 'service',
        orphan: true,
      },
    });
  }

  private lookupSelf(token: Token): Reply {
    return envelope({
      data: {
        accessor: token.accessor,
        creation_time: Math.floor(token.createdAt / 1000),
        creation_ttl: token.ttlSeconds,
        display_name: token.displayName,
        expire_time: token.expiresAt === null ? null : new Date(token.expiresAt).toISOString(),
        explicit_max_ttl: token.maxTtlSeconds,
        id: token.id,
        policies: ['default', 'platon-db'],
        renewable: token.renewable,
        ttl: this.tokens.remaining(token),
        type: 'service',
      },
    });
  }

  private renewSelf(token: Token, body: Body): Reply {
    if (!token.renewable) return errors(400, 'lease is not renewable');
    const increment = typeof body.increment === 'number' ? body.increment : undefined;
    const lease = this.tokens.renew(token, increment);
    const reply = this.authReply(token, {}) as { status: number; body: { auth: Record<string, unknown>; warnings: unknown } };
    reply.body.auth.lease_duration = lease;
    if (lease < (increment ?? token.ttlSeconds)) {
      reply.body.warnings = [`TTL of "${increment ?? token.ttlSeconds}s" exceeded the effective max_ttl; TTL value is capped accordingly`];
    }
    return reply;
  }

  private kvRoute(seen: SeenRequest, url: URL, body: Body): Reply {
    const mount = (this.options.mounts ?? ['secret']).find((m) => seen.path.startsWith(`${m}/`));
    const match = mount && /^(data|metadata)\/(.+)$/.exec(seen.path.slice(mount.length + 1));
    if (!mount || !match) return errors(404, `no handler for route "${seen.path}". route entry not found.`);
    const key = `${mount}/${match[2]}`;
    const kind = match[1];
    if (kind === 'data' && seen.method === 'GET') return this.readData(key, url.searchParams.get('version'));
    if (kind === 'data' && seen.method === 'POST') return this.writeData(key, body);
    if (kind === 'data' && seen.method === 'DELETE') return this.kv.deleteLatest(key) ? { status: 204 } : errors(404);
    if (kind === 'metadata' && seen.method === 'GET') return this.readMetadata(key);
    if (kind === 'metadata' && seen.method === 'DELETE') {
      this.kv.destroy(key);
      return { status: 204 };
    }
    if (kind === 'metadata' && seen.method === 'POST') {
      this.kv.putMetadata(key, body.custom_metadata as Record<string, string> | undefined);
      return { status: 204 };
    }
    if (kind === 'metadata' && seen.method === 'PATCH') {
      const found = this.kv.patchMetadata(key, body.custom_metadata as Record<string, string | null> | undefined);
      return found ? { status: 204 } : errors(404);
    }
    return errors(405, 'unsupported operation');
  }

  private readData(key: string, version: string | null): Reply {
    const secret = this.kv.get(key);
    const wanted = version === null || version === '0' ? secret?.versions.at(-1) : secret?.versions.find((v) => v.version === Number(version));
    if (!secret || !wanted) return errors(404);
    const metadata = { created_time: wanted.created, custom_metadata: secret.customMetadata, deletion_time: wanted.deleted ?? '', destroyed: false, version: wanted.version };
    // Vault answers a deleted version with 404, its metadata, and no error list.
    if (wanted.deleted) return { status: 404, body: (envelope({ data: { data: null, metadata } }).body) };
    return envelope({ data: { data: wanted.data, metadata } });
  }

  private writeData(key: string, body: Body): Reply {
    if (typeof body.data !== 'object' || body.data === null) return errors(400, 'no data provided');
    const cas = (body.options as { cas?: unknown } | undefined)?.cas;
    const written = this.kv.write(key, body.data as Record<string, unknown>, typeof cas === 'number' ? cas : undefined);
    if (!written) return errors(400, 'check-and-set parameter did not match the current version');
    const secret = this.kv.get(key)!;
    return envelope({
      data: { created_time: written.created, custom_metadata: secret.customMetadata, deletion_time: '', destroyed: false, version: written.version },
    });
  }

  private readMetadata(key: string): Reply {
    const secret = this.kv.get(key);
    if (!secret) return errors(404);
    const versions = Object.fromEntries(
      secret.versions.map((v) => [String(v.version), { created_time: v.created, deletion_time: v.deleted ?? '', destroyed: false }]),
    );
    return envelope({
      data: {
        cas_required: false,
        created_time: secret.created,
        current_version: secret.versions.at(-1)?.version ?? 0,
        custom_metadata: secret.customMetadata,
        delete_version_after: '0s',
        max_versions: 0,
        oldest_version: secret.versions[0]?.version ?? 0,
        updated_time: secret.updated,
        versions,
      },
    });
  }
}

/** Vault's error shape; an absent secret is 404 with an empty list. */
const errors = (status: number, ...messages: string[]): Reply => ({ status, body: { errors: messages } });

/** Vault's response envelope around `data` or `auth`. */
const envelope = (fields: { data?: unknown; auth?: unknown }): Reply => ({
  status: 200,
  body: {
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data: fields.data ?? null,
    wrap_info: null,
    warnings: null,
    auth: fields.auth ?? null,
  },
});

/** The JSON body ({} when empty), or undefined when it is not JSON. */
async function readBody(req: IncomingMessage): Promise<Body | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Body) : undefined;
  } catch {
    return undefined;
  }
}
