/** The database itself: create it, keep PUBLIC out, let the read-only user connect. */
import type { Change, Note } from '../model/change.js';
import type { AclEntry } from '../model/state.js';
import type { DatabaseDiffContext } from './context.js';
import { diffDatabaseDrift } from './database-drift.js';

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
    const vanished = vanishedNote(ctx);
    if (vanished) notes.push(vanished);
    changes.push({ kind: 'create-database', database, owner: ctx.names.owner, marker: ctx.marker, ...(vanished ? { vanished: true as const } : {}) });
    changes.push({ kind: 'revoke-public', database, privileges: PUBLIC_DEFAULTS });
    if (spec.users.readOnly) changes.push({ kind: 'grant-connect', database, role: ctx.names.ro });
    if (ctx.planUser !== undefined) changes.push({ kind: 'grant-connect', database, role: ctx.planUser });
    return { changes, notes };
  }
  const drift = diffDatabaseDrift(database, live);
  changes.push(...drift.changes);
  notes.push(...drift.notes);
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

/**
 * The database is gone but its owner role still carries our marker for it: someone dropped it
 * outside platon-db (its owner, the team, may DROP DATABASE). Apply recreates it, empty: the
 * reviewed file says it should exist, the data is lost either way, and the team's application
 * gets its database back under the same roles and credentials; a restore from the instance's
 * point-in-time backup can go into it. The plan says so loudly rather than as a plain "create".
 */
function vanishedNote(ctx: DatabaseDiffContext): Note | undefined {
  const { spec } = ctx.desired;
  if (!ctx.live.roles.get(ctx.names.owner)?.marker) return undefined;
  const roles = [...new Set([ctx.names.owner, ctx.names.rw, ctx.names.ro])].filter((role) => ctx.live.roles.has(role));
  return {
    kind: 'warning',
    database: spec.name,
    message:
      `database ${spec.name} vanished: it was dropped outside platon-db (its data with it); roles ${roles.join(', ')} and their secrets remain. ` +
      `Apply recreates it EMPTY, with the same roles and credentials; to get the data back, restore it from the instance's point-in-time backup into the recreated database`,
  };
}

export { has as aclHas };
