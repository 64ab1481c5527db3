/**
 * A database's life after birth (its file's `state`): retiring and dropping, and a change of
 * `instance`, which is a move. Pure.
 *
 * Dropping is two steps, two reviews: `state: retired` (logins off, data kept; the apply records
 * `state: retired` in the database's marker), then `state: dropped`, which is planned only when
 * the live marker says an earlier apply retired it, and only with --allow-destroy.
 */
import type { Change, Note, PlanError } from '../model/change.js';
import type { DatabaseDiffContext } from './context.js';
import { aclHas } from './database.js';

/** The team's login roles that exist on the instance, read/write first. */
function liveLogins(ctx: DatabaseDiffContext): string[] {
  const { rw, ro } = ctx.names;
  return [...new Set([rw, ro])].filter((role) => ctx.live.roles.has(role));
}

/** `state: retired`: no team user may log in or connect; open sessions end; the data stays. */
export function diffRetired(ctx: DatabaseDiffContext): Change[] {
  const database = ctx.desired.spec.name;
  const live = ctx.live.databases.get(database);
  if (!live) return [];
  const logins = liveLogins(ctx);
  const changes: Change[] = [];
  for (const role of logins) {
    if (ctx.live.roles.get(role)?.login) changes.push({ kind: 'alter-role', database, role, login: false });
  }
  for (const role of logins) {
    if (aclHas(live.acl, role, 'CONNECT')) changes.push({ kind: 'revoke-connect', database, role });
  }
  if (changes.some((c) => c.kind === 'alter-role')) changes.push({ kind: 'terminate-sessions', database, roles: logins });
  return changes;
}

/** `state: dropped`: the retired database, its roles, then their secrets. */
export function diffDropped(ctx: DatabaseDiffContext): { changes: Change[]; notes: Note[]; errors: PlanError[] } {
  const { spec, secrets } = ctx.desired;
  const database = spec.name;
  const live = ctx.live.databases.get(database);
  const none = { changes: [], notes: [], errors: [] };
  if (live && live.marker?.state !== 'retired') {
    return {
      ...none,
      errors: [
        {
          code: 'database.not-retired',
          database,
          file: spec.file,
          message: `database ${database} is not retired on instance ${ctx.instance}, so it cannot be dropped yet`,
          hint: 'set state: retired first and apply that; once the team confirms nothing broke, a second pull request sets state: dropped',
        },
      ],
    };
  }
  const { owner, rw, ro } = ctx.names;
  const roles = [...new Set([ro, rw, owner])].filter((role) => ctx.live.roles.has(role));
  const present = ctx.live.secretsPresent;
  const logins = [
    { role: rw, secret: secrets.rw },
    { role: ro, secret: secrets.ro },
  ].filter(({ role }) => (present ? present.has(role) : roles.includes(role)));
  if (!live && roles.length === 0 && logins.length === 0) return none;
  if (!ctx.options.allowDestroy) return { ...none, notes: [{ kind: 'drop-pending', database }] };
  return {
    ...none,
    changes: [
      ...(live ? [{ kind: 'drop-database', database } as const] : []),
      ...roles.map((role) => ({ kind: 'drop-role', database, role }) as const),
      ...logins.map(({ role, secret }) => ({ kind: 'delete-secret', database, role, secret }) as const),
    ],
  };
}

/**
 * Moving a database to another instance is pg_dump/pg_restore, checks and a switch of
 * credentials: `platon-db move` does it, never an apply. `here` is where the database lives.
 */
export function moveError(database: string, file: string, here: string, to: string): PlanError {
  return {
    code: 'database.move',
    database,
    file,
    message:
      `database ${database} lives on instance ${here}, but ${file} names instance ${to}: that is a move, which apply does not do. ` +
      `The steps: create ${database} on ${to}; stop writes on ${here}; copy the data with pg_dump and pg_restore; ` +
      `compare sizes and row counts; switch the team to the credentials for ${to}; retire ${database} on ${here} (kept, not dropped)`,
    hint: `platon-db move ${database} --to ${to} carries out these steps with checks`,
  };
}
