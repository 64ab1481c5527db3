/**
 * The role names derived from a database name (ARCHITECTURE.md, "Names derived from a database").
 * The validator keeps database names short enough that these fit PostgreSQL's 63-byte limit.
 */
export interface RoleNames {
  /** NOLOGIN; owns the database and its schemas. */
  readonly owner: string;
  /** Login; member of owner, with `SET role` to it. */
  readonly rw: string;
  /** Login, optional; CONNECT, USAGE and SELECT only. */
  readonly ro: string;
}

export const ROLE_SUFFIXES = { owner: '_owner', rw: '_rw', ro: '_ro' } as const;

export const roleNames = (database: string): RoleNames => ({
  owner: database + ROLE_SUFFIXES.owner,
  rw: database + ROLE_SUFFIXES.rw,
  ro: database + ROLE_SUFFIXES.ro,
});
