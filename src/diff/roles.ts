/** Roles of one database: create what is missing, correct login, limits, memberships and settings. */
import type { Change } from '../model/change.js';
import type { LiveRole } from '../model/state.js';
import type { DatabaseDiffContext } from './context.js';

/** Roles planned for this database with whether they should be able to log in. */
function wantedRoles(ctx: DatabaseDiffContext) {
  const { spec, secrets } = ctx.desired;
  return [
    { name: ctx.names.owner, login: false, secret: undefined },
    { name: ctx.names.rw, login: true, secret: secrets.rw },
    ...(spec.users.readOnly ? [{ name: ctx.names.ro, login: true, secret: secrets.ro }] : []),
  ];
}

export function diffRoles(ctx: DatabaseDiffContext): Change[] {
  const { spec } = ctx.desired;
  const database = spec.name;
  const changes: Change[] = [];
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
    if (wanted.secret && ctx.live.missingSecrets?.has(wanted.name)) {
      changes.push({ kind: 'reset-password', database, role: wanted.name, secret: wanted.secret });
    }
  }
  // A read-only user the file no longer asks for loses its login; its data and grants stay.
  const ro = ctx.live.roles.get(ctx.names.ro);
  if (!spec.users.readOnly && ro?.login) changes.push({ kind: 'alter-role', database, role: ro.name, login: false });
  changes.push(...diffMemberships(ctx), ...diffSettings(ctx));
  return changes;
}

function correctRole(database: string, live: LiveRole, login: boolean, connectionLimit: number): Change[] {
  const loginDrift = live.login !== login;
  const limitDrift = live.connectionLimit !== connectionLimit;
  if (!loginDrift && !limitDrift) return [];
  return [
    {
      kind: 'alter-role',
      database,
      role: live.name,
      ...(loginDrift ? { login } : {}),
      ...(limitDrift ? { connectionLimit } : {}),
    },
  ];
}

/**
 * The owner role has exactly two members: the admin (RDS workaround: the master is no superuser,
 * so it needs membership for CREATE DATABASE ... OWNER and ALTER DEFAULT PRIVILEGES FOR ROLE) and
 * the read/write user. Anyone else would be able to act as the team: that membership is revoked.
 */
function diffMemberships(ctx: DatabaseDiffContext): Change[] {
  const database = ctx.desired.spec.name;
  const owner = ctx.names.owner;
  const members = new Set(ctx.membersOf.get(owner) ?? []);
  const expected = [ctx.live.admin, ctx.names.rw];
  const changes: Change[] = expected
    .filter((member) => !members.has(member))
    .map((member) => ({ kind: 'grant-membership', database, role: owner, member }) as const);
  for (const member of [...members].sort()) {
    if (!expected.includes(member)) changes.push({ kind: 'revoke-membership', database, role: owner, member });
  }
  return changes;
}

/** `ALTER ROLE d_rw SET role = d_owner`: what the team creates is owned by the owner role. */
function diffSettings(ctx: DatabaseDiffContext): Change[] {
  const rw = ctx.live.roles.get(ctx.names.rw);
  if (rw?.settings.role === ctx.names.owner) return [];
  return [{ kind: 'set-role-setting', database: ctx.desired.spec.name, role: ctx.names.rw, setting: 'role', value: ctx.names.owner }];
}
