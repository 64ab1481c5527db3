/** Connection URIs. Every part is percent-encoded, so any user, password or database name is safe. */

export interface ConnectionParts {
  readonly user: string;
  readonly password: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

/** `postgresql://user:password@host:port/database[?key=value...]` */
export function postgresUri(parts: ConnectionParts, params: Readonly<Record<string, string>> = {}): string {
  const e = encodeURIComponent;
  // An IPv6 literal must be bracketed, or its colons read as the port separator.
  const host = parts.host.includes(':') && !parts.host.startsWith('[') ? `[${parts.host}]` : parts.host;
  const query = new URLSearchParams(params).toString();
  return `postgresql://${e(parts.user)}:${e(parts.password)}@${host}:${parts.port}/${e(parts.database)}${query ? `?${query}` : ''}`;
}
