/**
 * A plan regrouped for people: one section per team database, in name order, between the
 * instance-wide sections of access added and access removed. The plan itself keeps the apply
 * order (json shows that); within a section changes keep their relative order.
 */
import { INSTANCE_WIDE, type Note, type Plan, type PlanError, type PlannedChange } from '../model/change.js';
import { countActions, type ActionCounts } from './plan-summary.js';

export interface PlanSection {
  readonly database: string;
  /** From an ownership marker in the plan (create-role, create-database, set-marker), when any. */
  readonly team?: string;
  /** The declaring file: from a marker, a retained-database note or an error. */
  readonly file?: string;
  readonly changes: readonly PlannedChange[];
  readonly notes: readonly Note[];
  readonly errors: readonly PlanError[];
  readonly counts: ActionCounts;
  /** The instance-wide section of access removals, which comes last as it is applied last. */
  readonly removals?: true;
}

export function planSections(plan: Plan): PlanSection[] {
  const names = new Set<string>();
  for (const item of [...plan.changes.map((c) => c.change), ...plan.notes, ...plan.errors]) names.add(item.database);
  return splitRemovals([...names].sort(compareNames).map((database) => {
    const changes = plan.changes.filter((c) => c.change.database === database);
    const notes = plan.notes.filter((n) => n.database === database);
    const errors = plan.errors.filter((e) => e.database === database);
    const marker = changes.map(({ change }) => ('marker' in change ? change.marker : undefined)).find(Boolean);
    const file = marker?.file ?? notes.find((n) => n.kind === 'retained-database')?.file ?? errors[0]?.file;
    return {
      database,
      ...(marker ? { team: marker.team } : {}),
      ...(file !== undefined ? { file } : {}),
      changes,
      notes,
      errors,
      counts: countActions(changes),
    };
  }));
}

/**
 * Read top to bottom, a plan follows ARCHITECTURE.md's order: access added, the databases, access
 * removed. So revoked allowlist rules leave the leading instance section for a closing one.
 */
function splitRemovals(sections: PlanSection[]): PlanSection[] {
  const [first, ...rest] = sections;
  if (!first || first.database !== INSTANCE_WIDE) return sections;
  const removed = first.changes.filter((c) => c.change.kind === 'revoke-ingress');
  if (removed.length === 0) return sections;
  const changes = first.changes.filter((c) => !removed.includes(c));
  const leading = { ...first, changes, counts: countActions(changes) };
  const keepLeading = changes.length + first.notes.length + first.errors.length > 0;
  const closing: PlanSection = { database: INSTANCE_WIDE, changes: removed, notes: [], errors: [], counts: countActions(removed), removals: true };
  return [...(keepLeading ? [leading] : []), ...rest, closing];
}

/**
 * A section of the allowlist and the RDS checks (INSTANCE_WIDE sorts first, so it leads: access
 * is added before any database is created). Renderers title it after the instance.
 */
export const isInstanceWide = (section: PlanSection): boolean => section.database === INSTANCE_WIDE;

// Code-unit order, not locale order: the same on every machine and CI runner.
const compareNames = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `+` create, `~` update, `-` delete, as in Terraform. */
export const ACTION_SYMBOL = { create: '+', update: '~', delete: '-' } as const satisfies Record<
  PlannedChange['action'],
  string
>;

export interface NoteDescription {
  /** One word a reviewer scans for. */
  readonly label: 'retained' | 'kept' | 'warning' | 'password' | 'pending' | 'moved';
  readonly text: string;
}

/** Notes are data; this is the one sentence each kind reads as, in every human format. */
export function describeNote(note: Note): NoteDescription {
  switch (note.kind) {
    case 'retained-database':
      return {
        label: 'retained',
        text:
          `database ${note.database} stays, with its roles and data: ${note.file} no longer declares it. ` +
          'Its users can still log in, but the allowlist rules only it used are removed. ' +
          'To give it back, restore the file with `state: retired` (logins off, data kept), then later `state: dropped`',
      };
    case 'extension-kept':
      return {
        label: 'kept',
        text:
          `extension ${note.extension} stays installed although the file no longer lists it; ` +
          'dropping it needs `--allow-destroy`',
      };
    case 'warning':
      return { label: 'warning', text: note.message };
    case 'password-unknown':
      return {
        label: 'password',
        text:
          `${note.role} keeps the password its team already uses, which is not in ${note.secret.store} at ${note.secret.path}; ` +
          `\`platon-db rotate ${note.database} --user ${note.secret.user}\` issues a new one and stores it there`,
      };
    case 'drop-pending':
      return { label: 'pending', text: `database ${note.database} is retired and its file says dropped: \`apply --allow-destroy\` drops it, with its roles and their secrets` };
    case 'moved':
      return { label: 'moved', text: `database ${note.database} was moved to instance ${note.to}; this copy stays, retired, with its data` };
  }
}
