/** Inside one database: read-only grants, default privileges, extensions. */
import type { Change, DefaultPrivilegeTarget, Note } from '../model/change.js';
import type { DatabaseContents } from '../model/state.js';
import type { DatabaseDiffContext } from './context.js';
import { aclHas } from './database.js';

/** Extensions PostgreSQL installs in every database; never ours to create or drop. */
const BUILT_IN_EXTENSIONS = new Set(['plpgsql']);

/** What a brand-new database holds: PostgreSQL 15's `public` schema, owned by pg_database_owner. */
const NEW_DATABASE: DatabaseContents = {
  extensions: [],
  schemas: [{ name: 'public', owner: 'pg_database_owner', acl: [], unreadableByReadOnly: 0 }],
  defaultPrivileges: [],
};

const DEFAULT_PRIVILEGE: Record<DefaultPrivilegeTarget, string> = {
  tables: 'SELECT',
  sequences: 'SELECT',
  schemas: 'USAGE',
};

export function diffContents(ctx: DatabaseDiffContext): { changes: Change[]; notes: Note[] } {
  const { spec } = ctx.desired;
  const database = spec.name;
  const live = ctx.live.databases.get(database);
  const contents = live ? live.contents : NEW_DATABASE;
  if (!contents) {
    return {
      changes: [],
      notes: [{ kind: 'warning', database, message: `could not look inside database ${database}; grants and extensions were not checked` }],
    };
  }
  const changes = spec.users.readOnly ? readOnlyGrants(ctx, contents) : [];
  const extensions = diffExtensions(ctx, contents);
  return { changes: [...changes, ...extensions.changes], notes: extensions.notes };
}

/**
 * The roles whose objects the read-only user reads: the owner, and in an adopted database also a
 * read/write user that is not the owner (it keeps creating objects as itself: no SET role there).
 */
function teamOwners(ctx: DatabaseDiffContext): string[] {
  const { owner, rw } = ctx.names;
  return ctx.desired.spec.adopt && rw !== owner ? [owner, rw] : [owner];
}

function readOnlyGrants(ctx: DatabaseDiffContext, contents: DatabaseContents): Change[] {
  const database = ctx.desired.spec.name;
  const { ro } = ctx.names;
  const owners = teamOwners(ctx);
  const changes: Change[] = [];
  // The team's schemas: those its owner role owns (PostgreSQL 15's `public` is owned by pg_database_owner).
  for (const schema of contents.schemas) {
    if (!owners.includes(schema.owner) && schema.owner !== 'pg_database_owner') continue;
    if (!aclHas(schema.acl, ro, 'USAGE') || schema.unreadableByReadOnly > 0) {
      changes.push({ kind: 'grant-schema-read', database, schema: schema.name, role: ro });
    }
  }
  for (const owner of owners) {
    for (const target of Object.keys(DEFAULT_PRIVILEGE) as DefaultPrivilegeTarget[]) {
      const granted = contents.defaultPrivileges.some(
        (d) => d.owner === owner && d.schema === null && d.objectType === target && aclHas(d.acl, ro, DEFAULT_PRIVILEGE[target]),
      );
      if (!granted) changes.push({ kind: 'grant-default-privileges', database, owner, role: ro, target });
    }
  }
  return changes;
}

function diffExtensions(ctx: DatabaseDiffContext, contents: DatabaseContents): { changes: Change[]; notes: Note[] } {
  const database = ctx.desired.spec.name;
  const wanted = new Set(ctx.desired.spec.extensions);
  const installed = new Set(contents.extensions.map((e) => e.name).filter((name) => !BUILT_IN_EXTENSIONS.has(name)));
  const changes: Change[] = [...wanted]
    .filter((extension) => !installed.has(extension))
    .sort()
    .map((extension) => ({ kind: 'create-extension', database, extension }));
  const notes: Note[] = [];
  for (const extension of [...installed].filter((name) => !wanted.has(name)).sort()) {
    if (ctx.options.allowDestroy) changes.push({ kind: 'drop-extension', database, extension });
    else notes.push({ kind: 'extension-kept', database, extension });
  }
  return { changes, notes };
}
