/**
 * `platon-db audit`: git history of each database file on main (who, when, which PR, what
 * changed), enriched with approvals from GitHub when a token is set, and the live instance's
 * ownership markers and managed allowlist rules checked against main. Reads only.
 */
import pLimit from 'p-limit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GitHubApi, PullRequestInfo } from '../adapters/github/api.js';
import { githubConfig } from '../adapters/github/config.js';
import { GitHubError } from '../adapters/github/errors.js';
import { mergedPullRequest } from '../adapters/github/merged-pull-request.js';
import { octokitGitHub } from '../adapters/github/octokit.js';
import { firstRef, isWorkTree, pathsEverIn, remoteDefaultBranch } from '../adapters/git/refs.js';
import { inspect } from '../inspect/inspect.js';
import type { InstanceSpec } from '../model/spec.js';
import { AUDIT_FORMAT_VERSION, type AuditEntry, type AuditReport, type AllowlistRuleAudit, type DatabaseAudit, type LiveObjectAudit, type PullRequestAudit } from '../model/audit.js';
import { approvers } from '../audit/approvals.js';
import { auditFindings } from '../audit/findings.js';
import { UserError } from '../model/user-error.js';
import { EXIT } from '../model/exit-codes.js';
import { databaseHistory } from './audit-history.js';
import { auditLive } from './audit-live.js';
import { allowlistFindings, auditAllowlist } from './audit-allowlist.js';
import { connectAccess } from './instance-access.js';
import { connectInstance, type TargetOptions } from './instance-target.js';
import { loadForInstance } from './load-state.js';

export interface AuditRequest extends TargetOptions {
  /** One database, or every one main ever had and every managed one live. */
  readonly database?: string;
  readonly instance?: string;
  /** Read the instance's markers (needs its admin connection). */
  readonly live: boolean;
  /** The branch the history is read from; default origin/main, else main, else origin/HEAD's branch. */
  readonly main?: string;
  readonly warn: (message: string) => void;
}

/**
 * origin/main first: it is what the remote (where pull requests are merged) has, while a local
 * main may hold commits nobody pushed or reviewed. A clone of another branch or a CI checkout may
 * have only one of the two.
 */
const DEFAULT_MAIN = ['origin/main', 'main'];
/** File name = database name; anything else could be read by git as an option or a path trick. */
const DATABASE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

export async function runAudit(request: AuditRequest): Promise<AuditReport> {
  if (request.database !== undefined && !DATABASE_NAME.test(request.database)) {
    throw new UserError(`${request.database} is not a database name`, { exitCode: EXIT.usageOrChanges });
  }
  if (!(await isWorkTree(request.root))) {
    throw new UserError(`${request.root} is not a git checkout`, { hint: 'audit reads the history of databases/: run it in a clone (in CI: fetch-depth: 0)' });
  }
  const main = await resolveMain(request);
  const notes: string[] = [];
  const live = request.live ? await readLive(request, main.ref) : undefined;

  const names = request.database !== undefined ? [request.database] : await allDatabases(request.root, main.ref, live?.objects);
  const limit = pLimit(4);
  const databases: DatabaseAudit[] = await Promise.all(
    names.map((name) =>
      limit(async () => {
        const file = `databases/${name}.yaml`;
        return {
          name,
          file,
          history: await databaseHistory(request.root, main.ref, file),
          ...(live ? { live: live.objects.get(name) ?? [] } : {}),
        };
      }),
    ),
  );
  if (request.database !== undefined) refuseUnknown(request.root, databases[0]!, live?.instance);
  const { databases: enriched, asked } = await withPullRequests(databases, request, notes);
  const findings = [...auditFindings(enriched, main.ref, asked), ...allowlistFindings(live?.rules ?? [], main.ref)];
  return {
    formatVersion: AUDIT_FORMAT_VERSION,
    main,
    instance: live?.instance ?? null,
    databases: enriched,
    ...(live ? { rules: live.rules } : {}),
    findings,
    notes,
  };
}

/** A database asked for by name that no file (on main or here) and no live managed object has: a mistyped name. */
function refuseUnknown(root: string, database: DatabaseAudit, instance: string | undefined): void {
  if (database.history.length > 0 || (database.live?.length ?? 0) > 0 || existsSync(join(root, database.file))) return;
  const live = instance === undefined ? ' (the instance was not read: --no-live)' : `, and instance ${instance} manages no database by that name`;
  throw new UserError(`unknown database ${database.name}: there is no ${database.file}, main never had one${live}`, {
    hint: 'check the name; platon-db audit without a database audits every one',
    exitCode: EXIT.usageOrChanges,
  });
}

async function resolveMain(request: AuditRequest): Promise<{ ref: string; sha: string }> {
  if (request.main !== undefined) {
    if (request.main.startsWith('-')) throw new UserError(`--main takes a branch or commit, not ${request.main}`, { exitCode: EXIT.usageOrChanges });
    const found = await firstRef(request.root, [request.main]);
    if (found) return found;
    throw new UserError(`no ${request.main} in this clone`, { hint: 'name the branch with --main REF (in CI, fetch it with fetch-depth: 0)' });
  }
  const found = await firstRef(request.root, DEFAULT_MAIN);
  if (found) return found;
  // A remote whose default branch has another name (trunk, master): the one git clone recorded.
  const remoteDefault = await remoteDefaultBranch(request.root);
  const fallback = remoteDefault === undefined ? undefined : await firstRef(request.root, [remoteDefault]);
  if (fallback) return fallback;
  throw new UserError(`no main branch in this clone: tried ${[...DEFAULT_MAIN, 'origin/HEAD'].join(', ')}`, {
    hint: 'name the branch with --main REF (in CI, fetch it with fetch-depth: 0)',
  });
}

async function readLive(
  request: AuditRequest,
  mainRef: string,
): Promise<{ instance: string; objects: Map<string, LiveObjectAudit[]>; rules?: AllowlistRuleAudit[] }> {
  const loaded = await loadForInstance(request.root, request.instance);
  if (!loaded.ok) {
    throw new UserError('the instance cannot be read: the files are invalid (platon-db validate shows why)', { hint: 'pass --no-live for the git history alone' });
  }
  const target = await connectInstance(loaded.instance, request);
  try {
    // Only the catalogs: markers are on databases and roles, nothing inside a database is needed.
    const state = await inspect(target.connector, { only: new Set() });
    const rules = await readRules(request, loaded.instance, mainRef);
    return { instance: loaded.instance.name, objects: await auditLive(request.root, mainRef, state), ...(rules ? { rules } : {}) };
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read instance ${loaded.instance.name}: ${(error as Error).message}`, { hint: 'pass --no-live for the git history alone' });
  } finally {
    await target.close();
  }
}

/**
 * The managed allowlist rules and where each came from. An auditor may hold the database
 * connection without AWS credentials: then the rules are left out with one line saying why, and
 * the rest of the audit stands.
 */
async function readRules(request: AuditRequest, instance: InstanceSpec, mainRef: string): Promise<AllowlistRuleAudit[] | undefined> {
  try {
    const access = await connectAccess(instance, request);
    return await auditAllowlist(request.root, mainRef, instance.file, await access.allowlist.list());
  } catch (error) {
    request.log(`allowlist rules of ${instance.name} not read (${error instanceof Error ? error.message : String(error)}); the audit shows none`);
    return undefined;
  }
}

/** Every database main ever had a file for, and every one managed on the instance. */
async function allDatabases(root: string, mainRef: string, live: Map<string, LiveObjectAudit[]> | undefined): Promise<string[]> {
  const fromGit = (await pathsEverIn(root, mainRef, 'databases'))
    .map((path) => /^databases\/([^/]+)\.yaml$/.exec(path)?.[1])
    .filter((name): name is string => name !== undefined);
  return [...new Set([...fromGit, ...(live?.keys() ?? [])])].sort();
}

/**
 * With GITHUB_TOKEN: each change's pull request (found by number, or for a rebase merge by the
 * commit), its author, who merged it and who approved it. Without: a note, and the numbers only.
 */
async function withPullRequests(databases: DatabaseAudit[], request: AuditRequest, notes: string[]): Promise<{ databases: DatabaseAudit[]; asked: boolean }> {
  const config = githubConfig(request.env);
  if (!config.ok) {
    if (databases.some((d) => d.history.length > 0)) notes.push(`${config.reason}: approvals were not looked up on GitHub`);
    return { databases, asked: false };
  }
  const api = octokitGitHub(config.config);
  const limit = pLimit(4);
  const lookups = new Map<string, Promise<PullRequestAudit | undefined>>();
  let failed: string | undefined;
  const lookup = (entry: AuditEntry): Promise<PullRequestAudit | undefined> => {
    const key = entry.pullRequest ? `#${entry.pullRequest.number}` : entry.sha;
    if (!lookups.has(key)) {
      lookups.set(
        key,
        limit(async () => {
          if (failed) return entry.pullRequest;
          try {
            return await describePullRequest(api, entry);
          } catch (error) {
            if (!(error instanceof GitHubError)) throw error;
            failed ??= error.message;
            return entry.pullRequest;
          }
        }),
      );
    }
    return lookups.get(key)!;
  };
  const result = await Promise.all(
    databases.map(async (d) => ({
      ...d,
      history: await Promise.all(
        d.history.map(async (entry) => {
          const pullRequest = await lookup(entry);
          return pullRequest ? { ...entry, pullRequest } : entry;
        }),
      ),
    })),
  );
  if (failed) {
    request.warn(failed);
    notes.push(`approvals are incomplete: ${failed}`);
  }
  return { databases: result, asked: failed === undefined };
}

async function describePullRequest(api: GitHubApi, entry: AuditEntry): Promise<PullRequestAudit | undefined> {
  const pr: PullRequestInfo | undefined = entry.pullRequest
    ? await api.pullRequest(entry.pullRequest.number)
    : await mergedPullRequest(api, entry.sha);
  if (!pr) return undefined;
  return { number: pr.number, url: pr.url, author: pr.author, mergedBy: pr.mergedBy, approvers: approvers(await api.listReviews(pr.number)) };
}
