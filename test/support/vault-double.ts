/**
 * A local HTTP server that speaks enough of HashiCorp Vault's API for node-vault's real HTTP path
 * to run against it: `X-Vault-Token`, KV v2 (`<mount>/data/<path>` with versions, `?version=N`,
 * `cas` and `cas_required`, soft-deleted and destroyed versions, `delete/`, `undelete/`,
 * `destroy/`, metadata with LIST), AppRole and JWT login, token lookup-self and renew-self, with
 * Vault's status codes, error texts and response envelopes (shared/design/RDS.md, "Vault KV v2";
 * hashicorp/vault-plugin-secrets-kv path_data.go and path_metadata.go).
 *
 * Every request is checked against the token's ACL policies the way Vault checks them
 * (./vault-double-acl.ts): the capability an operation needs (POST/PUT on `data/` and `metadata/`
 * is `create` when the secret has no metadata entry yet, else `update`; PATCH is `patch`), and a
 * refusal is 403 with Vault's own text. Tokens without policies are root tokens.
 *
 * Faults for failure tests: `down()` (connection refused), `sealed` (503), `delayMs` (timeouts),
 * `expire(token)`, and `intercept` to answer any request differently.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { KvStore, TokenTable, type KvVersion, type Token, type TokenOptions } from './vault-double-state.js';
import { PERMISSION_DENIED, type Capability } from './vault-double-acl.js';

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
  /** The KV mounts' `cas_required` (`<mount>/config`): every write must carry `options.cas`. */
  readonly casRequired?: boolean;
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
  /** The KV mounts' `cas_required` config; secrets can also require it in their metadata. */
  casRequired: boolean;
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
    this.casRequired = options.casRequired ?? false;
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

  /**
   * A token like `vault token create` gives; root-like (no expiry, every path) by default, limited
   * by `policies` when given, e.g. `issueToken({ policies: [parsePolicy(hcl)] })`.
   */
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
    if (reply.status === 204 || reply.body === EMPTY) {
      res.writeHead(reply.status).end();
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
    if (!token) return errors(403, PERMISSION_DENIED);
    // Vault's `default` policy, which every non-root token has, grants these two.
    if (seen.path === 'auth/token/lookup-self' && seen.method === 'GET') return this.lookupSelf(token);
    if (seen.path === 'auth/token/renew-self' && seen.method === 'POST') return this.renewSelf(token, body);
    const capability = this.capabilityFor(seen, url);
    if (token.acl && (!capability || !token.acl.allows(seen.path, capability))) return errors(403, PERMISSION_DENIED);
    return this.kvRoute(seen, url, body);
  }

  /**
   * The capability Vault checks for a request: GET is read (list with `?list=true`), LIST is list,
   * PATCH is patch, DELETE is delete, and POST/PUT is create or update. KV v2's `data/` and
   * `metadata/` paths have an existence check (the secret's metadata entry), so a write there
   * needs `create` when there is none yet and `update` otherwise; paths without one (`delete/`,
   * `undelete/`, `destroy/`) always need `update`.
   */
  private capabilityFor(seen: SeenRequest, url: URL): Capability | undefined {
    const list = url.searchParams.get('list');
    if (seen.method === 'LIST' || (seen.method === 'GET' && (list === 'true' || list === '1'))) return 'list';
    if (seen.method === 'GET') return 'read';
    if (seen.method === 'PATCH') return 'patch';
    if (seen.method === 'DELETE') return 'delete';
    if (seen.method !== 'POST' && seen.method !== 'PUT') return undefined;
    const kv = this.kvPath(seen.path);
    if (!kv || (kv.kind !== 'data' && kv.kind !== 'metadata')) return 'update';
    return this.kv.get(kv.key) ? 'update' : 'create';
  }

  /** `<mount>/<kind>/<path>` split, for the configured KV v2 mounts. */
  private kvPath(path: string): { mount: string; kind: string; key: string; relative: string } | undefined {
    const mount = (this.options.mounts ?? ['secret']).find((m) => path.startsWith(`${m}/`));
    const match = mount ? /^(data|metadata|delete|undelete|destroy)\/(.*)$/.exec(path.slice(mount.length + 1)) : null;
    if (!mount || !match) return undefined;
    const relative = match[2]!.replace(/\/$/, '');
    return { mount, kind: match[1]!, key: `${mount}/${relative}`, relative };
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
    const kv = this.kvPath(seen.path);
    if (!kv || (kv.relative === '' && kv.kind !== 'metadata')) return errors(404, `no handler for route "${seen.path}". route entry not found.`);
    const { key, kind } = kv;
    const method = seen.method === 'PUT' ? 'POST' : seen.method;
    const list = url.searchParams.get('list');
    if (kind === 'metadata' && (method === 'LIST' || (method === 'GET' && (list === 'true' || list === '1')))) {
      const keys = this.kv.list(key);
      return keys.length ? envelope({ data: { keys } }) : errors(404);
    }
    if (kind === 'data' && method === 'GET') return this.readData(key, url.searchParams.get('version'));
    if (kind === 'data' && method === 'POST') return this.writeData(key, body);
    if (kind === 'data' && method === 'DELETE') {
      this.kv.deleteLatest(key);
      return { status: 204 };
    }
    if (kind === 'metadata' && method === 'GET') return this.readMetadata(key);
    if (kind === 'metadata' && method === 'DELETE') {
      this.kv.destroy(key);
      return { status: 204 };
    }
    if (kind === 'metadata' && method === 'POST') {
      const casRequired = typeof body.cas_required === 'boolean' ? body.cas_required : undefined;
      this.kv.putMetadata(key, { customMetadata: body.custom_metadata as Record<string, string> | undefined, casRequired });
      return { status: 204 };
    }
    if (kind === 'metadata' && method === 'PATCH') {
      // No metadata entry: Vault answers a bare 404, without even an error list.
      const found = this.kv.patchMetadata(key, body.custom_metadata as Record<string, string | null> | undefined);
      return found ? { status: 204 } : { status: 404, body: EMPTY };
    }
    if ((kind === 'delete' || kind === 'undelete' || kind === 'destroy') && method === 'POST') {
      const versions = Array.isArray(body.versions) ? body.versions.map(Number) : [];
      if (versions.length === 0) return errors(400, 'no version number provided');
      this.kv.changeVersions(key, versions, kind);
      return { status: 204 };
    }
    return errors(405, 'unsupported operation');
  }

  private readData(key: string, version: string | null): Reply {
    const secret = this.kv.get(key);
    const wanted = version === null || version === '0' ? secret?.versions.at(-1) : secret?.versions.find((v) => v.version === Number(version));
    if (!secret || !wanted) return errors(404);
    const metadata = { created_time: wanted.created, custom_metadata: secret.customMetadata, ...versionState(wanted), version: wanted.version };
    // A deleted or destroyed version: 404 with its metadata, `data: null`, and no error list.
    if (wanted.deleted || wanted.destroyed) return { status: 404, body: envelope({ data: { data: null, metadata } }).body };
    return envelope({ data: { data: wanted.data, metadata } });
  }

  private writeData(key: string, body: Body): Reply {
    if (typeof body.data !== 'object' || body.data === null) return errors(400, 'no data provided');
    const cas = (body.options as { cas?: unknown } | undefined)?.cas;
    const written = this.kv.write(key, body.data as Record<string, unknown>, typeof cas === 'number' ? cas : undefined, this.casRequired);
    if (typeof written === 'string') return errors(400, written);
    const secret = this.kv.get(key)!;
    return envelope({ data: { created_time: written.created, custom_metadata: secret.customMetadata, ...versionState(written), version: written.version } });
  }

  private readMetadata(key: string): Reply {
    const secret = this.kv.get(key);
    if (!secret) return errors(404);
    const versions = Object.fromEntries(
      secret.versions.map((v) => [String(v.version), { created_time: v.created, ...versionState(v) }]),
    );
    return envelope({
      data: {
        cas_required: secret.casRequired,
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

/** A reply with no body at all (Vault's bare 404 for PATCH of absent metadata). */
const EMPTY = Symbol('empty body');

/** `deletion_time` and `destroyed` of a version, as KV v2 shows them. */
const versionState = (v: KvVersion) => ({ deletion_time: v.deleted ?? '', destroyed: v.destroyed === true });

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
