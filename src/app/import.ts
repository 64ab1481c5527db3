/**
 * `platon-db import <database>`: describe a database that exists on the live instance but that
 * platon-db did not create, as `databases/<name>.yaml` with `adopt: true`. Reads the instance,
 * writes one new file, changes nothing on the server: the adoption itself is a reviewed apply.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import type { InstanceSpec } from '../model/spec.js';
import type { LiveState } from '../model/state.js';
import { isManagedDatabase, managedFile } from '../diff/ownership.js';
import { inspect } from '../inspect/inspect.js';
import { writersIn } from '../inspect/legacy.js';
import { importedFile } from '../import/file.js';
import { chooseRoles, type LegacyRole, type RoleChoice } from '../import/roles.js';
import { UserError } from '../model/user-error.js';
import { describeConnectionFailure } from './connection-failure.js';
import { connectInstance, type TargetOptions } from './instance-target.js';
import { chooseInstance } from './load-state.js';
import { loadRepository } from './load-repository.js';

export interface ImportRequest extends TargetOptions {
  readonly database: string;
  readonly instance?: string;
  readonly team?: string;
  readonly project?: string;
  readonly contact?: string;
  readonly rw?: string;
  readonly ro?: string;
  /** For the file's header; tests fix it. */
  readonly today?: string;
}

export type ImportOutcome =
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[] }
  | {
      readonly kind: 'imported';
      readonly file: string;
      readonly roles: RoleChoice;
      readonly extensions: readonly string[];
      /** What a reviewer should know: unmapped roles, limits the first apply changes, ... */
      readonly warnings: readonly string[];
      /** The repository validated with the new file (its TODO placeholders show here). */
      readonly diagnostics: readonly Diagnostic[];
    };

const NOT_TEAM_DATABASES = new Set(['postgres', 'rdsadmin', 'template0', 'template1']);

export async function runImport(request: ImportRequest): Promise<ImportOutcome> {
  const name = request.database;
  const relative = `databases/${name}.yaml`;
  if (existsSync(join(request.root, relative))) {
    throw new UserError(`${relative} already exists`, { hint: 'import writes a new file only; edit the existing one instead' });
  }
  // Other database files may still wait for their TODOs (several imports in a row): only the
  // instance files must be valid here.
  const { spec: repo, diagnostics: found } = await loadRepository(request.root);
  const instanceErrors = found.filter((d) => d.severity === 'error' && d.file.startsWith('instances/'));
  if (instanceErrors.length > 0) return { kind: 'invalid', diagnostics: instanceErrors };
  const instance = chooseInstance(repo, request.instance);
  if (repo.databases.some((d) => d.name === name)) {
    throw new UserError(`a database named ${name} is already declared`, { hint: 'import writes a new file only; edit the existing one instead' });
  }
  if (!/^[a-z][a-z0-9_]*$/.test(name) || name.length > 57 || NOT_TEAM_DATABASES.has(name) || name === instance.connection.adminDatabase) {
    throw new UserError(`${name} cannot be imported as a team database`, { hint: 'database files need a name of lowercase letters, digits and _ (at most 57), and system databases stay out' });
  }
  const target = await connectInstance(instance, request);
  try {
    const live = await inspect(target.connector, { only: new Set([name]) }).catch((error: unknown) => {
      throw describeConnectionFailure(instance, target, error);
    });
    const asked = { rw: request.rw, ro: request.ro };
    const facts = await legacyFacts(live, name, instance, asked, (roles) => writersIn(target.connector, name, roles));
    const written = importedFile(
      {
        name,
        instance: instance.name,
        writeInstance: !instance.default,
        ...pick(request, ['team', 'project', 'contact']),
        ...facts.roles,
        extensions: facts.extensions,
        connectionLimit: facts.connectionLimit,
        notes: facts.notes,
      },
      request.today ?? new Date().toISOString().slice(0, 10),
    );
    await writeFile(join(request.root, relative), written, { flag: 'wx' });
    const { diagnostics } = await loadRepository(request.root);
    return { kind: 'imported', file: relative, roles: facts.roles, extensions: facts.extensions, warnings: facts.warnings, diagnostics };
  } finally {
    await target.close();
  }
}

interface LegacyFacts {
  readonly roles: RoleChoice;
  readonly extensions: readonly string[];
  readonly connectionLimit: number;
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
}

async function legacyFacts(
  live: LiveState,
  name: string,
  instance: InstanceSpec,
  asked: { readonly rw?: string; readonly ro?: string },
  writers: (roles: readonly string[]) => Promise<ReadonlySet<string> | undefined>,
): Promise<LegacyFacts> {
  const db = live.databases.get(name);
  if (!db) throw new UserError(`database ${name} does not exist on instance ${instance.name}`, { hint: 'platon-db import describes an existing database; to order a new one, write its file' });
  if (isManagedDatabase(db, live)) throw new UserError(`database ${name} is already managed by platon-db (from ${managedFile(db, live)})`);
  if (db.owner === live.admin || /^(pg_|rds)/.test(db.owner) || db.owner === 'postgres') {
    throw new UserError(`database ${name} is owned by ${db.owner}, not by a team's role`, {
      hint: `platon-db adopts a database with its owner; give it to the team's role first (ALTER DATABASE ${name} OWNER TO <role>), then import`,
    });
  }
  const connect = new Set(db.acl.filter((e) => e.privilege === 'CONNECT').map((e) => e.grantee));
  const reaching = [...live.roles.values()].filter(
    (r) => r.name !== live.admin && (connect.has(r.name) || r.name === db.owner || r.memberOf.includes(db.owner)),
  );
  const canWrite = await writers(reaching.map((r) => r.name));
  const roles: LegacyRole[] = reaching.map((r) => ({
    name: r.name,
    login: r.login,
    connectionLimit: r.connectionLimit,
    connect: connect.has(r.name),
    writes: canWrite?.has(r.name) ?? r.name === db.owner,
    memberOf: r.memberOf,
  }));
  const mapping = chooseRoles({ owner: db.owner, roles, ...asked });
  return finish(mapping, roles, db.contents?.extensions, instance, name, canWrite === undefined);
}

function finish(
  mapping: ReturnType<typeof chooseRoles>,
  roles: readonly LegacyRole[],
  installed: readonly { readonly name: string }[] | undefined,
  instance: InstanceSpec,
  name: string,
  blind: boolean,
): LegacyFacts {
  if (!mapping.ok) throw new UserError(`database ${name}: ${mapping.problem}`, { hint: mapping.hint });
  const chosen = mapping.roles;
  const warnings: string[] = [];
  const notes: string[] = [];
  if (blind) warnings.push(`the admin cannot connect to ${name} yet, so its extensions are not listed; the first apply gives it access and the plan after it shows any extension as kept`);
  for (const other of chosen.others) warnings.push(`login role ${other} can connect to ${name} but is neither its read/write nor read-only user: it keeps its access, and the plan warns about it until someone decides`);
  const limits = [chosen.rw, chosen.ro].flatMap((r) => roles.filter((x) => x.name === r).map((x) => x.connectionLimit));
  const max = instance.limits.maxConnectionLimit;
  const fits = limits.filter((l) => l >= 1 && l <= max);
  const connectionLimit = fits.length === limits.length && limits.length > 0 ? Math.max(...fits) : Math.min(max, Math.max(instance.limits.defaultConnectionLimit, ...fits));
  const changed = limits.filter((l) => l !== connectionLimit);
  if (changed.length > 0) {
    const was = [...new Set(changed)].map((l) => (l === -1 ? 'unlimited' : String(l))).join(', ');
    notes.push(`connectionLimit was ${was} before adoption; the first apply sets ${connectionLimit} (instance ${instance.name} allows at most ${max})`);
    warnings.push(`the first apply sets the connection limit of the team's users to ${connectionLimit} (was ${was})`);
  }
  const extensions = (installed ?? []).map((e) => e.name).filter((e) => e !== 'plpgsql').sort();
  return { roles: chosen, extensions, connectionLimit, notes, warnings };
}

const pick = <T extends object, K extends keyof T>(from: T, keys: readonly K[]): Partial<Pick<T, K>> =>
  Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]])) as Partial<Pick<T, K>>;
