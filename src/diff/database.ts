/** The database itself: create it, keep PUBLIC out, let the read-only user connect. */
import type { Change, Note } from '../model/change.js';
import type { AclEntry } from '../model/state.js';
import type { DatabaseDiffContext } from './context.js';

/** What PostgreSQL grants PUBLIC on a new database (acldefault). */
const PUBLIC_DEFAULTS = ['CONNECT', 'TEMPORARY'];

const has = (acl: readonly AclEntry[], grantee: string, privilege: string) =>
  acl.some((entry) => entry.grantee === grantee && entry.privilege === privilege);

export function diffDatabase(ctx: DatabaseDiffContext): { changes: Change[]; notes: Note[] } {
  const { spec } = ctx.desired;
  const database = spec.name;
  const live = ctx.live.databases.get(database);
  const changes: Change[] = [];
  const notes: Note[] = [];
  if (!live) {
    changes.push({ kind: 'create-database', database, owner: ctx.names.owner, marker: ctx.marker });
    changes.push({ kind: 'revoke-public', database, privileges: PUBLIC_DEFAULTS });
    if (spec.users.readOnly) changes.push({ kind: 'grant-connect', database, role: ctx.names.ro });
    if (ctx.planUser !== undefined) changes.push({ kind: 'grant-connect', database, role: ctx.planUser });
    return { changes, notes };
  }
  if (live.owner !== ctx.names.owner) {
    notes.push({ kind: 'warning', database, message: `database ${database} is owned by ${live.owner}, not ${ctx.names.owner}` });
  }
  const publicPrivileges = [...new Set(live.acl.filter((e) => e.grantee === 'PUBLIC').map((e) => e.privilege))].sort();
  if (publicPrivileges.length > 0) changes.push({ kind: 'revoke-public', database, privileges: publicPrivileges });
  // The owner lacks CONNECT only after a retirement revoked it (an adopted owner that logs in).
  if (!has(live.acl, ctx.names.owner, 'CONNECT')) changes.push({ kind: 'grant-connect', database, role: ctx.names.owner });
  if (spec.users.readOnly && !has(live.acl, ctx.names.ro, 'CONNECT')) {
    changes.push({ kind: 'grant-connect', database, role: ctx.names.ro });
  }
  // Plans look inside every managed database as the plan role: CONNECT, nothing else.
  if (ctx.planUser !== undefined && !has(live.acl, ctx.planUser, 'CONNECT')) {
    changes.push({ kind: 'grant-connect', database, role: ctx.planUser });
  }
  const expected = new Set(['PUBLIC', ctx.names.owner, ctx.names.rw, ctx.names.ro, ...(ctx.planUser === undefined ? [] : [ctx.planUser])]);
  const strangers = [...new Set(live.acl.map((e) => e.grantee).filter((g) => !expected.has(g)))].sort();
  for (const stranger of strangers) {
    notes.push({
      kind: 'warning',
      database,
      message: `role ${stranger} holds privileges on database ${database} that platon-db did not grant; review it (platon-db does not revoke grants it did not make)`,
    });
  }
  return { changes, notes };
}

export { has as aclHas };
