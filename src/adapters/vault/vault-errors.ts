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

/** What was being done, for messages: e.g. `reading secret/platon/rds/a/b/rw`. */
export interface VaultOperation {
  readonly address: string;
  readonly what: string;
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
    return new VaultError(
      'denied',
      `${at} denied ${op.what}: permission denied`,
      'the Vault token is invalid or expired, or its policy does not allow this path',
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
