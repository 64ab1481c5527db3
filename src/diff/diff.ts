/**
 * The planner: (desired, live) -> ordered changes, notes and errors. Pure and deterministic.
 * A database with an ownership error contributes no changes; the plan as a whole is then refused.
 */
import type { Change, Note, Plan, PlanError } from '../model/change.js';
import type { DesiredState, DiffOptions } from '../model/desired.js';
import type { LiveState } from '../model/state.js';
import { toPlannedChange } from '../sql/describe.js';
import { contextFor, membersIndex, type DatabaseDiffContext } from './context.js';
import { diffContents } from './contents.js';
import { diffDatabase } from './database.js';
import { diffInstance } from './instance.js';
import { orderChanges } from './order.js';
import { isManagedDatabase, managedFile, ownershipErrors } from './ownership.js';
import { diffRoles } from './roles.js';

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
  for (const db of sorted) {
    const ownership = ownershipErrors(db.spec, live);
    if (ownership.length > 0) {
      errors.push(...ownership);
      continue;
    }
    const ctx = contextFor(db, live, desired.commit, membersOf, options);
    const database = diffDatabase(ctx);
    const contents = diffContents(ctx);
    const own = [...diffRoles(ctx), ...database.changes, ...contents.changes];
    changes.push(...own, ...markers(ctx, own.length > 0));
    notes.push(...database.notes, ...contents.notes);
  }
  const instance = diffInstance(desired, live, changes);
  changes.push(...instance.changes);
  notes.push(...instance.notes, ...retained(desired, live));
  errors.push(...instance.errors);
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
  if (db && (changed || !db.marker || db.marker.team !== spec.team)) {
    out.push({ kind: 'set-marker', database: spec.name, object: 'database', name: spec.name, marker: ctx.marker });
  }
  for (const name of Object.values(ctx.names)) {
    const role = ctx.live.roles.get(name);
    if (role?.marker && role.marker.team !== spec.team) {
      out.push({ kind: 'set-marker', database: spec.name, object: 'role', name, marker: ctx.marker });
    }
  }
  return out;
}

/** Managed databases no file declares any more: kept with their data, reported. */
function retained(desired: DesiredState, live: LiveState): Note[] {
  const declared = new Set(desired.databases.map((d) => d.spec.name));
  return [...live.databases.values()]
    .filter((db) => !declared.has(db.name) && isManagedDatabase(db, live))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((db) => ({ kind: 'retained-database', database: db.name, file: managedFile(db, live) ?? '' }));
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
