/**
 * Ownership markers: the JSON comment on every database and role platon-db creates. Objects
 * without one are never changed (ARCHITECTURE.md, "Ownership").
 */
import type { OwnershipMarker } from '../model/state.js';

export const MANAGED_BY = 'platon-db';

/** Stable key order, so an unchanged marker compares equal as text. */
export const markerComment = (marker: OwnershipMarker): string =>
  JSON.stringify({
    managedBy: MANAGED_BY,
    file: marker.file,
    team: marker.team,
    commit: marker.commit,
    // Only when set, so markers written before these fields existed still compare equal.
    ...(marker.state ? { state: marker.state } : {}),
    ...(marker.movedTo ? { movedTo: marker.movedTo } : {}),
  });

/** The database a marker's file declares (the file name is the database name). */
export const databaseOf = (marker: Pick<OwnershipMarker, 'file'>): string => (marker.file.split('/').pop() ?? '').replace(/\.ya?ml$/, '');

/**
 * Our marker, or null for no comment, someone else's comment, or malformed JSON. A `state` this
 * version does not know (a newer platon-db's, or a hand-written one) is kept as `unknownState`,
 * never read as `retired` or as active: the planner refuses to touch that database.
 */
export function parseMarker(comment: string | null | undefined): OwnershipMarker | null {
  if (!comment || !comment.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(comment);
    if (typeof value !== 'object' || value === null) return null;
    const v = value as Record<string, unknown>;
    if (v.managedBy !== MANAGED_BY || typeof v.file !== 'string') return null;
    return {
      managedBy: MANAGED_BY,
      file: v.file,
      team: typeof v.team === 'string' ? v.team : '',
      commit: typeof v.commit === 'string' ? v.commit : 'unknown',
      ...(v.state === undefined ? {} : v.state === 'retired' ? { state: 'retired' as const } : { unknownState: typeof v.state === 'string' ? v.state : JSON.stringify(v.state) }),
      ...(typeof v.movedTo === 'string' ? { movedTo: v.movedTo } : {}),
    };
  } catch {
    return null;
  }
}
