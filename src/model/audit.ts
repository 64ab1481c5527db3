/**
 * `platon-db audit`: for each database, who changed its file on main, when, through which pull
 * request and with whose approval, and which commit each live object was last applied from.
 */

export const AUDIT_FORMAT_VERSION = 'platon-db.audit.v1';

/** One field's change in a database file, e.g. a CIDR added to `access.external`. */
export type FieldChange =
  | { readonly kind: 'added'; readonly path: string; readonly value: string }
  | { readonly kind: 'removed'; readonly path: string; readonly value: string }
  | { readonly kind: 'changed'; readonly path: string; readonly from: string; readonly to: string };

export interface Person {
  readonly name: string;
  readonly email: string;
}

/** What GitHub says about the pull request a change came through (only with a token). */
export interface PullRequestAudit {
  readonly number: number;
  readonly url?: string;
  readonly author?: string;
  readonly mergedBy?: string | null;
  /** Reviewers whose latest decisive review approves; undefined when not looked up. */
  readonly approvers?: readonly string[];
}

/** One commit on main that changed the database's file. */
export interface AuditEntry {
  readonly sha: string;
  /** Author date of the commit on main (for a merge: when it was merged). */
  readonly date: string;
  readonly subject: string;
  /** `ordered`: the file appeared; `removed`: it was deleted; else `changed`. */
  readonly kind: 'ordered' | 'changed' | 'removed';
  /** Who wrote the change: the commit's author, or for a merge the branch commits' authors. */
  readonly authors: readonly Person[];
  /** For a merge commit, who made it (who pressed merge, or who merged locally). */
  readonly mergedBy?: Person;
  /** From the subject (`Merge pull request #N`, `... (#N)`), enriched by GitHub when a token is set. */
  readonly pullRequest?: PullRequestAudit;
  readonly changes: readonly FieldChange[];
  /** The file at this commit (or before it) was not YAML we could read; changes are then empty. */
  readonly unreadable?: boolean;
}

export type LiveFlag =
  /** The marker's commit exists but is not in main's history (applied from a branch?). */
  | 'not-on-main'
  /** Git does not know the commit (`unknown`, a deleted branch, a shallow clone). */
  | 'unknown-commit'
  /** Applied from a checkout whose files differed from its commit (a local rehearsal): nothing reviewed it. */
  | 'uncommitted'
  /** The marker's file is not on main: the object is managed but nothing declares it. */
  | 'no-file';

export interface LiveObjectAudit {
  readonly kind: 'database' | 'role';
  readonly name: string;
  readonly file: string;
  readonly team: string;
  /** The commit the object was last changed from, as its ownership marker says. */
  readonly commit: string;
  /** That commit's history entry on main, when it is one. */
  readonly appliedFrom?: { readonly subject: string; readonly date: string; readonly pullRequest?: number };
  readonly flags: readonly LiveFlag[];
}

/** A managed allowlist rule on the instance, and the commit on main that asked for its network. */
export interface AllowlistRuleAudit {
  readonly groupId: string;
  readonly ruleId: string;
  readonly cidr: string;
  readonly description: string;
  /** The databases its description names; a baseline rule is the instance file's. */
  readonly databases: readonly string[];
  readonly baseline: boolean;
  /**
   * The latest commit on main that added the CIDR to one of those files: when it reached main,
   * not when it was applied (nothing records that). Absent when no commit did.
   */
  readonly addedBy?: { readonly file: string } & Pick<AuditEntry, 'sha' | 'date' | 'subject' | 'authors' | 'mergedBy' | 'pullRequest'>;
}

export interface DatabaseAudit {
  readonly name: string;
  readonly file: string;
  /** Oldest first: the order, then each change since. */
  readonly history: readonly AuditEntry[];
  /** Managed objects of this database on the instance; undefined when the instance was not read. */
  readonly live?: readonly LiveObjectAudit[];
}

/** Something an auditor should look at, e.g. an object applied from a commit main does not have. */
export interface AuditFinding {
  readonly database: string;
  readonly code: LiveFlag | 'no-pull-request' | 'not-approved' | 'allowlist.unreviewed';
  readonly message: string;
}

export interface AuditReport {
  readonly formatVersion: typeof AUDIT_FORMAT_VERSION;
  /** The branch the history is read from, and its commit. */
  readonly main: { readonly ref: string; readonly sha: string };
  /** The instance whose objects were read; null with --no-live. */
  readonly instance: string | null;
  readonly databases: readonly DatabaseAudit[];
  /** The instance's managed allowlist rules; absent with --no-live. */
  readonly rules?: readonly AllowlistRuleAudit[];
  readonly findings: readonly AuditFinding[];
  /** What could not be done (no token: no approvers; instance unreachable), for the reader. */
  readonly notes: readonly string[];
}
