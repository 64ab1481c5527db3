/**
 * The planner: (desired, live) -> ordered changes, notes and errors. Pure and deterministic.
 * A database with an ownership error contributes no changes; the plan as a whole is then refused.
 */
import { INSTANCE_WIDE, type Change, type Note, type Plan, type PlanError } from '../model/change.js';
import type { DesiredState, DiffOptions } from '../model/desired.js';
import type { LiveState, OwnershipMarker } from '../model/state.js';
import { toPlannedChange } from '../sql/describe.js';
import { contextFor, membersIndex, type DatabaseDiffContext } from './context.js';
import { diffContents } from './contents.js';
import { diffDatabase } from './database.js';
import { diffInstance } from './instance.js';
import { orderChanges } from './order.js';
import { isManagedDatabase, managedFile, ownershipErrors } from './ownership.js';
import { diffRoles } from './roles.js';
import { adoptionErrors } from './adoption.js';
import { unremovablePrivilegeErrors } from './role-privileges.js';
import { diffDropped, diffRetired, moveError } from './lifecycle.js';

export interface DiffResult {
  readonly changes: readonly Change[];
  readonly notes: readonly Note[];
  readonly errors: readonly PlanError[];
}

export function diff(desired: DesiredState, live: LiveState, options: DiffOptions): DiffResult {
  const membersOf = membersIndex(live);
  const changes: Change[] = [];
  const notes: Note[] = [];
  const errors: PlanError[] = [];
  const sorted = [...desired.databases].sort((a, b) => a.spec.name.localeCompare(b.spec.name));
  // The plan role can only be granted CONNECT once Platon has created it.
  const planUser = desired.planUser !== undefined && live.roles.has(desired.planUser) ? desired.planUser : undefined;
  if (desired.planUser !== undefined && planUser === undefined) {
    notes.push({
      kind: 'warning',
      database: INSTANCE_WIDE,
      message: `the plan role ${desired.planUser} (connection.planUser) does not exist; create it once with CREATE ROLE ${desired.planUser} LOGIN PASSWORD '...' so pull-request plans need no admin password`,
    });
  }
  for (const db of sorted) {
    const ownership = [...ownershipErrors(db.spec, live), ...adoptionErrors(db.spec, live, membersOf), ...unremovablePrivilegeErrors(db.spec, live)];
    if (ownership.length > 0) {
      errors.push(...ownership);
      continue;
    }
    const elsewhere = desired.livesElsewhere?.get(db.spec.name);
    if (elsewhere !== undefined && !live.databases.has(db.spec.name)) {
      errors.push(moveError(db.spec.name, db.spec.file, elsewhere, desired.instance));
      continue;
    }
    const ctx = contextFor(desired.instance, db, live, desired.commit, membersOf, options, planUser);
    if (db.spec.state === 'dropped') {
      const dropped = diffDropped(ctx);
      changes.push(...dropped.changes);
      notes.push(...dropped.notes);
      errors.push(...dropped.errors);
      // Not yet retired: the error says so; once it is, the marker already records it.
      continue;
    }
    if (db.spec.state === 'retired') {
      const own = diffRetired(ctx);
      changes.push(...own, ...markers(ctx, own.length > 0));
      continue;
    }
    const database = diffDatabase(ctx);
    const contents = diffContents(ctx);
    const roles = diffRoles(ctx);
    const own = [...roles.changes, ...database.changes, ...contents.changes];
    changes.push(...own, ...markers(ctx, own.length > 0));
    notes.push(...roles.notes, ...database.notes, ...contents.notes);
  }
  const instance = diffInstance(desired, live, changes);
  changes.push(...instance.changes);
  const undeclared = retained(desired, live);
  notes.push(...instance.notes, ...undeclared.notes);
  errors.push(...instance.errors, ...undeclared.errors);
  return { changes: orderChanges(changes), notes, errors };
}

/**
 * Markers record the commit an object was last changed from (the audit reads them). They move
 * only when something changed, so an unchanged instance plans empty at every new commit.
 */
function markers(ctx: DatabaseDiffContext, changed: boolean): Change[] {
  const { spec } = ctx.desired;
  const out: Change[] = [];
  const db = ctx.live.databases.get(spec.name);
  const repair = db && isManagedDatabase(db, ctx.live) ? commentProblem(db.marker, spec.file) : undefined;
  if (db && (changed || repair !== undefined || !db.marker || db.marker.team !== spec.team || db.marker.state !== ctx.marker.state)) {
    out.push({ kind: 'set-marker', database: spec.name, object: 'database', name: spec.name, marker: ctx.marker, ...(repair === undefined ? {} : { repair }) });
  }
  // Roles carry no state; an adopted role gets its first marker here.
  const { managedBy, file, team, commit } = ctx.marker;
  const roleMarker = { managedBy, file, team, commit };
  for (const name of new Set(Object.values(ctx.names))) {
    const role = ctx.live.roles.get(name);
    if (role && (!role.marker || role.marker.team !== spec.team)) {
      out.push({ kind: 'set-marker', database: spec.name, object: 'role', name, marker: roleMarker });
    }
  }
  return out;
}

/**
 * What is wrong with a managed database's comment, which its owner (the team) may rewrite: a copy
 * of the owner role's marker that the plan repairs, never believed over it.
 */
function commentProblem(comment: OwnershipMarker | null, file: string): string | undefined {
  if (comment === null) return 'is not a platon-db marker (missing, or not valid JSON)';
  if (comment.file !== file) return `names ${comment.file}, not ${file}`;
  return undefined;
}

/**
 * Managed databases no file declares here any more: kept with their data, reported. One whose
 * file now names another instance is a move (an error until `platon-db move` has done it, then a
 * note about the retired copy left here).
 */
function retained(desired: DesiredState, live: LiveState): { notes: Note[]; errors: PlanError[] } {
  const declared = new Set(desired.databases.map((d) => d.spec.name));
  const notes: Note[] = [];
  const errors: PlanError[] = [];
  const undeclared = [...live.databases.values()].filter((db) => !declared.has(db.name) && isManagedDatabase(db, live));
  for (const db of undeclared.sort((a, b) => a.name.localeCompare(b.name))) {
    const file = managedFile(db, live) ?? '';
    const to = desired.elsewhere?.get(db.name);
    if (to === undefined) notes.push({ kind: 'retained-database', database: db.name, file });
    else if (db.marker?.state === 'retired') notes.push({ kind: 'moved', database: db.name, to: db.marker.movedTo ?? to });
    else errors.push(moveError(db.name, file, desired.instance, to));
  }
  return { notes, errors };
}

export function buildPlan(desired: DesiredState, live: LiveState, options: DiffOptions): Plan {
  const result = diff(desired, live, options);
  return {
    instance: desired.instance,
    commit: desired.commit,
    changes: result.changes.map(toPlannedChange),
    notes: result.notes,
    errors: result.errors,
  };
}
