/** What a team reads from its secret: everything needed to connect, including a ready URI. */
import type { Credentials } from '../../model/secret-store.js';
import { postgresUri } from '../postgres/uri.js';

export type CredentialParts = Omit<Credentials, 'uri'>;

/**
 * Pure. The URI asks for TLS (`sslmode=require`): RDS PostgreSQL 15 forces SSL by default. The
 * local instance (embedded PostgreSQL on this machine) has no TLS: its URI says `sslmode=disable`,
 * so `psql "$uri"` works as given.
 */
export function buildCredentials(parts: CredentialParts, options: { readonly tls?: boolean } = {}): Credentials {
  const { username, password, host, port, database } = parts;
  return {
    username,
    password,
    host,
    port,
    database,
    uri: postgresUri({ user: username, password, host, port, database }, { sslmode: options.tls === false ? 'disable' : 'require' }),
  };
}
