/**
 * Vault failures as one clear line each. node-vault's own errors are never passed on, not even as
 * a `cause`: on network failures axios attaches the request (`config.data`), which for a KV write
 * holds the password. Messages are rebuilt here from the status code or error code only, and any
 * text Vault sent back is cut to one short line with every known secret removed.
 */

export type VaultFailureKind =
  /** Nothing answered: connection refused, unknown host, reset, TLS trouble. */
  | 'unreachable'
  /** 503: sealed, or a standby that cannot serve. */
  | 'unavailable'
  | 'timeout'
  /** 403: bad or expired token, or a policy that does not allow the path. */
  | 'denied'
  /** A login was refused (wrong AppRole credentials, JWT not accepted). */
  | 'login'
  /** Something missing on our side: an environment variable, a readable CA file. */
  | 'config'
  | 'unexpected';

export class VaultError extends Error {
  constructor(
    readonly kind: VaultFailureKind,
    message: string,
    readonly hint?: string,
    /** HTTP status when Vault answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

/**
 * The ACL capability a request needs on its API path, e.g. `patch` on
 * `secret/metadata/platon/rds/i/a/rw`: what a 403 names, so an operator knows which line of the
 * Vault policy is missing. Vault checks `create` for a write to a secret with no metadata entry
 * yet and `update` for one that has it; PATCH needs `patch` (update does not cover it).
 */
export interface VaultNeed {
  readonly capability: 'read' | 'create' | 'update' | 'patch' | 'delete' | 'list';
  readonly path: string;
}

/** What was being done, for messages: e.g. `reading secret/platon/rds/a/b/rw`. */
export interface VaultOperation {
  readonly address: string;
  readonly what: string;
  readonly needs?: VaultNeed;
  readonly timeoutMs: number;
  /** Values that must never appear in a message (token, secret id, JWT, the password written). */
  readonly secrets: readonly string[];
}

/** The parts of a node-vault/axios error we may look at; nothing else is read from it. */
interface RawError {
  readonly code?: unknown;
  readonly response?: { readonly statusCode?: unknown; readonly body?: unknown };
}

const UNREACHABLE: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
};

const TIMEOUT = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_CANCELED']);

/** Translates anything node-vault throws into a VaultError that is safe to print. */
export function vaultError(error: unknown, op: VaultOperation): VaultError {
  if (error instanceof VaultError) return error;
  const raw = (typeof error === 'object' && error !== null ? error : {}) as RawError;
  const status = typeof raw.response?.statusCode === 'number' ? raw.response.statusCode : undefined;
  const at = `Vault at ${op.address}`;
  if (status === undefined) {
    const code = typeof raw.code === 'string' ? raw.code : '';
    if (TIMEOUT.has(code)) {
      return new VaultError('timeout', `${at} did not answer within ${op.timeoutMs / 1000} s while ${op.what}`, 'check that Vault is up and not overloaded, then run again');
    }
    const reason = UNREACHABLE[code] ?? (/CERT|SSL|TLS/.test(code) ? `TLS certificate problem (${code})` : code || 'no answer');
    return new VaultError('unreachable', `cannot reach ${at} while ${op.what}: ${reason}`, 'check the address (VAULT_ADDR overrides the instance file) and that Vault is up');
  }
  const said = vaultSaid(raw.response?.body, op.secrets);
  if (status === 503) {
    return new VaultError('unavailable', `${at} is sealed or on standby (HTTP 503) while ${op.what}`, 'wait until Vault is unsealed and active, then run again', status);
  }
  if (status === 403) {
    // Vault says only "permission denied", for a bad token and a missing capability alike; by
    // now the token has logged in (and, where it can, logged in afresh), so name the capability.
    const needs = op.needs ? ` (the token's policy needs "${op.needs.capability}" on ${op.needs.path})` : '';
    return new VaultError(
      'denied',
      `${at} denied ${op.what}: permission denied${needs}`,
      op.needs
        ? `add "${op.needs.capability}" for ${op.needs.path} to the Vault policy platon-db logs in with (README, "Credentials in Vault"), or check that the token is still valid`
        : 'the Vault token is invalid or expired, or its policy does not allow this path',
      status,
    );
  }
  return new VaultError('unexpected', `${at} answered HTTP ${status} while ${op.what}${said ? `: ${said}` : ''}`, undefined, status);
}

/** Vault's first error text, one line, at most 160 characters, without any known secret. */
export function vaultSaid(body: unknown, secrets: readonly string[]): string {
  const errors = (body as { errors?: unknown } | null | undefined)?.errors;
  const first = Array.isArray(errors) && typeof errors[0] === 'string' ? errors[0] : '';
  let text = first.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) if (secret.length >= 4) text = text.split(secret).join('<redacted>');
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** The HTTP status of a node-vault error, if Vault answered. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as RawError | null)?.response?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Vault's error list of a node-vault error (an absent KV secret answers 404 with an empty list). */
export function errorsOf(error: unknown): readonly unknown[] | undefined {
  const errors = ((error as RawError | null)?.response?.body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? errors : undefined;
}

/** KV v2's answer to a `cas` that is not the current version (path_data.go, validateCheckAndSetOption). */
const CAS_MISMATCH = 'check-and-set parameter did not match the current version';

/**
 * Whether a write lost a check-and-set race: HTTP 400 with exactly this reason. Vault answers 400
 * for every invalid request, "check-and-set parameter required for this call" (cas_required, no
 * cas) and "error parsing check-and-set parameter" included; those are errors to report, not
 * another run's write.
 */
export function isCasMismatch(error: unknown): boolean {
  return statusOf(error) === 400 && (errorsOf(error) ?? []).some((e) => typeof e === 'string' && e.trim() === CAS_MISMATCH);
}
