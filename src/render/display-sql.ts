/**
 * The one way a planned statement is shown to people and machines (text, markdown, json). Statements
 * that set a password carry PASSWORD_PLACEHOLDER; the verifier is only computed at apply time, so a
 * plan can show nothing but where the secret lives.
 */
import { PASSWORD_PLACEHOLDER, type Placement, type PlannedChange, type SecretRef, type Statement } from '../model/change.js';
import { displayApiCall } from './display-api-call.js';

// The placeholder as a whole token: `:password_reset` or `:passwords` must not match.
const PLACEHOLDER_TOKEN = new RegExp(`${PASSWORD_PLACEHOLDER}(?![A-Za-z0-9_$])`, 'g');

/** `vault:secret/platon/...` or `file:.platon/secrets/...`: the store and path, never the value. */
export const secretLocation = (ref: SecretRef): string => `${ref.store}:${ref.path}`;

/**
 * A SQL string literal standing where the verifier will go, so the statement still reads as SQL:
 * `'<SCRAM-SHA-256 verifier of vault:secret/...>'`. Quotes in the path are doubled as in SQL.
 */
export const secretReference = (ref: SecretRef): string =>
  `'<SCRAM-SHA-256 verifier of ${secretLocation(ref).replaceAll("'", "''")}>'`;

/** The statement's SQL with the password placeholder replaced by a reference to its secret. */
export function displaySql(statement: Statement): string {
  const ref = statement.password;
  if (ref === undefined) return statement.sql;
  const reference = secretReference(ref);
  // A function replacement, so `$&`-style patterns in a path are not interpreted.
  return statement.sql.replace(PLACEHOLDER_TOKEN, () => reference);
}

/**
 * Where statements run, as a SQL comment line, when it is not the default (the admin's maintenance
 * connection, in a transaction): `GRANT USAGE ON SCHEMA "public"` means nothing without its database.
 */
export function displayPlacement(placement: Placement): string | undefined {
  if (placement.target === 'database') return `-- in database ${placement.database}`;
  // An allowlist change shows an API call, which says where it runs.
  if (placement.target === 'allowlist' || placement.target === 'secrets') return undefined;
  return placement.transactional ? undefined : '-- outside a transaction';
}

/**
 * A change's statements as a script shows them: placement comment, then one `;` per statement.
 * An allowlist change has no SQL: its API call stands there instead.
 */
export function displayScript(planned: PlannedChange): string[] {
  const placement = displayPlacement(planned.placement);
  const call = planned.apiCall ? [displayApiCall(planned.apiCall)] : [];
  return [...(placement ? [placement] : []), ...planned.statements.map((s) => terminated(displaySql(s))), ...call];
}

const terminated = (sql: string): string => (sql.trimEnd().endsWith(';') ? sql.trimEnd() : `${sql.trimEnd()};`);
