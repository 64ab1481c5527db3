/**
 * The plan re-checks what the PR check could only take from files against what RDS reports:
 * engine version, attached security groups, the port, and the parameters that decide whether a
 * requested extension can be created at all. Pure. Problems that would make the apply fail are
 * errors; the rest are warnings for Platon.
 */
import { INSTANCE_WIDE, type Change, type Note, type PlanError } from '../model/change.js';
import type { RdsExpectations, RdsFacts } from '../model/rds.js';
import type { DatabaseSpec } from '../model/spec.js';

export interface CheckResult {
  readonly notes: readonly Note[];
  readonly errors: readonly PlanError[];
}

/** `planned`: the plan's changes, to tell an extension about to be created from one already there. */
export function rdsChecks(
  instance: string,
  expected: RdsExpectations,
  facts: RdsFacts,
  databases: readonly DatabaseSpec[],
  planned: readonly Change[],
): CheckResult {
  const notes: Note[] = [];
  const errors: PlanError[] = [];
  const file = expected.instanceFile;
  const error = (code: string, message: string, hint: string) => errors.push({ code, database: INSTANCE_WIDE, file, message, hint });
  const warn = (message: string) => notes.push({ kind: 'warning', database: INSTANCE_WIDE, message });
  const rds = `RDS instance ${facts.identifier}`;

  const major = Number.parseInt(facts.engineVersion, 10);
  if (facts.engine !== 'postgres' || major !== expected.postgresMajor) {
    error('rds.engine-version', `${rds} runs ${facts.engine} ${facts.engineVersion}, but ${file} says PostgreSQL ${expected.postgresMajor}`, 'correct postgresMajor in the instance file (it also chooses the extension catalog the PR check uses)');
  }

  const attached = new Map(facts.securityGroups.map((g) => [g.id, g.status]));
  const listed = facts.securityGroups.map((g) => g.id).join(', ') || 'none';
  for (const id of expected.allowlistGroupIds) {
    const status = attached.get(id);
    if (status === 'active' || status === 'adding') continue;
    const state = status === undefined ? 'is not attached to' : `is ${status} on`;
    error('rds.group-not-attached', `allowlist security group ${id} ${state} ${rds} (attached: ${listed}), so its rules let no one in`, `attach it to the instance, or correct aws.allowlistSecurityGroupIds in ${file}`);
  }

  if (facts.endpoint && facts.endpoint.port !== expected.connection.port) {
    error('rds.port', `${rds} listens on port ${facts.endpoint.port}, but ${file} says ${expected.connection.port}: the allowlist rules would open the wrong port`, 'correct connection.port in the instance file');
  }
  if (facts.endpoint && facts.endpoint.host !== expected.connection.host) {
    warn(`${file} names host ${expected.connection.host}, but ${rds}'s endpoint is ${facts.endpoint.host}; new credentials use the endpoint RDS reports`);
  }
  if (facts.publiclyAccessible) {
    warn(`${rds} is publicly accessible: its security groups, including this allowlist, are all that keeps the internet out`);
  }

  const group = facts.parameterGroup ? `parameter group ${facts.parameterGroup.name}` : 'its parameter group';
  if (facts.parameterGroup?.applyStatus === 'pending-reboot') {
    warn(`${group} has changes that wait for a reboot of ${rds}; these checks read the group's values, which may not be in effect yet`);
  }
  if (facts.parameters.forceSsl === '0') {
    warn(`rds.force_ssl is 0 in ${group}: clients may connect without TLS (the credentials platon-db writes ask for sslmode=require, but nothing enforces it)`);
  }
  const preloaded = facts.parameters.sharedPreloadLibraries;
  if (preloaded && !sameSet(preloaded, expected.preloadLibraries)) {
    warn(`${file} lists preloadLibraries [${expected.preloadLibraries.join(', ')}], but ${group} preloads [${preloaded.join(', ')}]; the PR check trusts the file, so correct it`);
  }

  const creating = new Set(planned.flatMap((c) => (c.kind === 'create-extension' ? [`${c.database}/${c.extension}`] : [])));
  const allowed = facts.parameters.allowedExtensions;
  for (const db of databases) {
    for (const extension of db.extensions) {
      const problems: string[] = [];
      if (allowed !== undefined && allowed !== '*' && !allowed.includes(extension)) {
        problems.push(`rds.allowed_extensions of ${rds} does not allow ${extension} (it allows: ${allowed.join(', ') || 'none'})`);
      }
      if (preloaded && expected.needsPreload.includes(extension) && !preloaded.includes(extension)) {
        problems.push(`${extension} needs shared_preload_libraries, and ${group} does not preload it`);
      }
      for (const message of problems) {
        if (creating.has(`${db.name}/${extension}`)) {
          errors.push({ code: 'extension.refused-by-instance', database: db.name, file: db.file, message, hint: 'ask Platon: changing the parameter group is their decision (and may need a reboot)' });
        } else {
          notes.push({ kind: 'warning', database: db.name, message: `${message}; it is installed already, but could not be created again` });
        }
      }
    }
  }
  return { notes, errors };
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  new Set(a).size === new Set(b).size && a.every((x) => b.includes(x));
