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

/**
 * The role names of one declared database: derived from its name, except where an adopted
 * database's file names its hand-made roles (`users.owner`, `users.rw`, `users.ro`).
 */
export const roleNamesOf = (spec: {
  readonly name: string;
  readonly users: { readonly owner?: string; readonly rw?: string; readonly ro?: string };
}): RoleNames => {
  const derived = roleNames(spec.name);
  return { owner: spec.users.owner ?? derived.owner, rw: spec.users.rw ?? derived.rw, ro: spec.users.ro ?? derived.ro };
};

/** Whether a role of the database was named by hand in its file (an adopted role). */
export const isNamedRole = (spec: { readonly users: { readonly owner?: string; readonly rw?: string; readonly ro?: string } }, role: string): boolean =>
  role === spec.users.owner || role === spec.users.rw || role === spec.users.ro;
