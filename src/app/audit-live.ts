/**
 * The instance half of the audit: every managed database and role, the commit its ownership
 * marker says it was last applied from, and whether main knows that commit and still has the file.
 */
import type { LiveFlag, LiveObjectAudit } from '../model/audit.js';
import type { LiveDatabase, LiveState, OwnershipMarker } from '../model/state.js';
import { managedFile } from '../diff/ownership.js';
import { databaseOf } from '../sql/marker.js';
import { ancestry, commitInfo, existsAt, type Ancestry } from '../adapters/git/refs.js';
import { pullRequestNumber } from '../audit/pull-request-number.js';
import { DIRTY_SUFFIX } from './commit.js';

/** Managed objects grouped by the database their marker's file declares (file name = database name). */
export async function auditLive(root: string, mainRef: string, live: LiveState): Promise<Map<string, LiveObjectAudit[]>> {
  const managed = [
    ...[...live.databases.values()].flatMap((d) => (trustedComment(d, live) ? [{ kind: 'database' as const, name: d.name, marker: d.marker! }] : [])),
    ...[...live.roles.values()].flatMap((r) => (r.marker ? [{ kind: 'role' as const, name: r.name, marker: r.marker }] : [])),
  ];
  const cached = <T>(fn: (key: string) => Promise<T>) => {
    const seen = new Map<string, Promise<T>>();
    return (key: string) => seen.get(key) ?? seen.set(key, fn(key)).get(key)!;
  };
  const onMain = cached((commit) => ancestry(root, commit, mainRef));
  const fileOnMain = cached((file) => existsAt(root, mainRef, file));
  const info = cached((commit) => commitInfo(root, commit));

  const grouped = new Map<string, LiveObjectAudit[]>();
  for (const object of managed) {
    const audited = await auditObject(object, { onMain, fileOnMain, info });
    const database = databaseOf(object.marker);
    grouped.set(database, [...(grouped.get(database) ?? []), audited]);
  }
  for (const objects of grouped.values()) objects.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'database' ? -1 : 1));
  return grouped;
}

interface Lookups {
  readonly onMain: (commit: string) => Promise<Ancestry>;
  readonly fileOnMain: (file: string) => Promise<boolean>;
  readonly info: (commit: string) => Promise<{ subject: string; date: string } | undefined>;
}

async function auditObject(
  object: { kind: 'database' | 'role'; name: string; marker: OwnershipMarker },
  lookups: Lookups,
): Promise<LiveObjectAudit> {
  const { marker } = object;
  // `<sha>+dirty`: the files were not those of <sha>, so that commit's history says nothing about it.
  if (marker.commit.endsWith(DIRTY_SUFFIX)) {
    const hasFile = await lookups.fileOnMain(marker.file);
    return { kind: object.kind, name: object.name, file: marker.file, team: marker.team, commit: marker.commit, flags: ['uncommitted', ...(hasFile ? [] : ['no-file' as const])] };
  }
  const [where, hasFile, commit] = await Promise.all([lookups.onMain(marker.commit), lookups.fileOnMain(marker.file), lookups.info(marker.commit)]);
  const flags: LiveFlag[] = [];
  if (where === 'not-on-branch') flags.push('not-on-main');
  if (where === 'unknown-commit') flags.push('unknown-commit');
  if (!hasFile) flags.push('no-file');
  const number = commit ? pullRequestNumber(commit.subject) : undefined;
  return {
    kind: object.kind,
    name: object.name,
    file: marker.file,
    team: marker.team,
    commit: marker.commit,
    ...(commit ? { appliedFrom: { ...commit, ...(number === undefined ? {} : { pullRequest: number }) } } : {}),
    flags,
  };
}

/**
 * The team owns its database and can COMMENT on it: the comment is audited only when it agrees
 * with the owner role's marker (which only the admin can write), else it would file the database
 * under whatever the team wrote. The plan repairs a comment that disagrees.
 */
const trustedComment = (d: LiveDatabase, live: LiveState): boolean =>
  d.marker !== null && d.marker.unknownState === undefined && managedFile(d, live) === d.marker.file;
