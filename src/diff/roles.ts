/** Roles of one database: create what is missing, correct login, limits, memberships and settings. */
import type { Change, Note } from '../model/change.js';
import type { LiveRole } from '../model/state.js';
import type { DatabaseDiffContext } from './context.js';
import { expectedMembers } from '../model/memberships.js';
import { REMOVABLE_ATTRIBUTES } from './role-privileges.js';

/** Roles planned for this database with whether they should be able to log in. */
function wantedRoles(ctx: DatabaseDiffContext) {
  const { spec, secrets } = ctx.desired;
  const { owner, rw, ro } = ctx.names;
  return [
    // An adopted database may be owned by its login user itself (CREATE DATABASE d OWNER d_user).
    ...(owner === rw ? [] : [{ name: owner, login: false, secret: undefined }]),
    { name: rw, login: true, secret: secrets.rw },
    ...(spec.users.readOnly ? [{ name: ro, login: true, secret: secrets.ro }] : []),
  ];
}

export function diffRoles(ctx: DatabaseDiffContext): { changes: Change[]; notes: Note[] } {
  const { spec } = ctx.desired;
  const database = spec.name;
  const changes: Change[] = [];
  const notes: Note[] = [];
  for (const wanted of wantedRoles(ctx)) {
    const live = ctx.live.roles.get(wanted.name);
    if (!live) {
      changes.push({
        kind: 'create-role',
        database,
        role: wanted.name,
        login: wanted.login,
        ...(wanted.login ? { connectionLimit: spec.connectionLimit } : {}),
        marker: ctx.marker,
        ...(wanted.secret ? { secret: wanted.secret } : {}),
      });
      continue;
    }
    changes.push(...correctRole(database, live, wanted.login, wanted.login ? spec.connectionLimit : -1));
    if (wanted.secret && ctx.live.pendingRotations?.has(wanted.name)) {
      changes.push({ kind: 'reset-password', database, role: wanted.name, secret: wanted.secret, reason: 'rotation-pending' });
      continue;
    }
    if (!wanted.secret || !(ctx.live.missingSecrets?.has(wanted.name) || unknownPassword(ctx, wanted.name))) continue;
    // In an adopted database a login role without a secret may well be the team's own, with a
    // password the store never knew: a reset would lock their application out. Rotate is explicit.
    if (spec.adopt) notes.push({ kind: 'password-unknown', database, role: wanted.name, secret: wanted.secret });
    else changes.push({ kind: 'reset-password', database, role: wanted.name, secret: wanted.secret });
  }
  // A read-only user the file no longer asks for loses its login; its data and grants stay.
  const ro = ctx.live.roles.get(ctx.names.ro);
  if (!spec.users.readOnly && ro?.login) changes.push({ kind: 'alter-role', database, role: ro.name, login: false });
  const memberships = diffMemberships(ctx);
  return { changes: [...changes, ...memberships.changes, ...diffSettings(ctx)], notes: [...notes, ...memberships.notes] };
}

/** A role being adopted has no marker yet, so missingSecrets (which looks at managed roles) skips it. */
function unknownPassword(ctx: DatabaseDiffContext, role: string): boolean {
  const live = ctx.live.roles.get(role);
  return live !== undefined && !live.marker && ctx.live.secretsPresent !== undefined && !ctx.live.secretsPresent.has(role);
}

function correctRole(database: string, live: LiveRole, login: boolean, connectionLimit: number): Change[] {
  const loginDrift = live.login !== login;
  const limitDrift = live.connectionLimit !== connectionLimit;
  const remove = REMOVABLE_ATTRIBUTES.filter((a) => live.attributes?.includes(a));
  if (!loginDrift && !limitDrift && remove.length === 0) return [];
  return [
    {
      kind: 'alter-role',
      database,
      role: live.name,
      ...(loginDrift ? { login } : {}),
      ...(limitDrift ? { connectionLimit } : {}),
      ...(remove.length > 0 ? { remove } : {}),
    },
  ];
}

/**
 * The roles' members are exactly those of expectedMembers (model/memberships.ts). Anyone else in
 * a team role would be able to act as the team: that membership is revoked, except in an adopted
 * database, where platon-db does not revoke what it did not grant (a warning). A team role itself
 * is a member of nothing but what the model gives it (rw of owner): membership in rds_superuser,
 * pg_read_all_data, the admin or another team's role is privilege drift, revoked in every database
 * (adoption refuses roles with such ties, so any there now came after it).
 */
function diffMemberships(ctx: DatabaseDiffContext): { changes: Change[]; notes: Note[] } {
  const { spec } = ctx.desired;
  const database = spec.name;
  const wanted = expectedMembers(ctx.names, ctx.live.admin, spec.adopt === true);
  const changes: Change[] = [...wanted].flatMap(([role, expected]) => {
    const members = ctx.membersOf.get(role) ?? [];
    return expected.filter((member) => !members.includes(member)).map((member) => ({ kind: 'grant-membership', database, role, member }) as const);
  });
  const notes: Note[] = [];
  const team = [...new Set(Object.values(ctx.names))].filter((name) => ctx.live.roles.has(name));
  for (const role of team) {
    const expected = wanted.get(role) ?? [];
    for (const member of [...new Set(ctx.membersOf.get(role) ?? [])].sort()) {
      if (expected.includes(member)) continue;
      if (!spec.adopt) changes.push({ kind: 'revoke-membership', database, role, member });
      else notes.push({ kind: 'warning', database, message: `role ${member} is a member of ${role} and can act as the team; platon-db did not grant that and leaves it: review it` });
    }
    // Groups inside the team are judged from their members' side, just above. (A superuser group,
    // which the admin cannot revoke, stopped this database's plan: role-privileges.ts.)
    const outside = ctx.live.roles.get(role)!.memberOf.filter((group) => !team.includes(group));
    for (const group of outside) changes.push({ kind: 'revoke-membership', database, role: group, member: role });
  }
  return { changes, notes };
}

/**
 * `ALTER ROLE d_rw SET role = d_owner`: what the team creates is owned by the owner role. Not for
 * an adopted database: changing the role an application's sessions run as could lock it out of
 * the objects it owns, which is no adoption step.
 */
function diffSettings(ctx: DatabaseDiffContext): Change[] {
  const { owner, rw } = ctx.names;
  if (ctx.desired.spec.adopt || owner === rw) return [];
  if (ctx.live.roles.get(rw)?.settings.role === owner) return [];
  return [{ kind: 'set-role-setting', database: ctx.desired.spec.name, role: rw, setting: 'role', value: owner }];
}
