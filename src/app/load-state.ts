/**
 * The shared front half of plan and apply: validated repository -> chosen instance -> desired
 * state. Nothing here touches a server; an invalid repository stops here.
 */
import type { DesiredDatabase, DesiredState } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import type { DatabaseSpec, InstanceSpec, RepositorySpec } from '../model/spec.js';
import type { SecretStore } from '../model/secret-store.js';
import { UserError } from '../model/user-error.js';
import { loadRepository } from './load-repository.js';

export type Loaded =
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: true; readonly diagnostics: readonly Diagnostic[]; readonly repo: RepositorySpec; readonly instance: InstanceSpec };

export async function loadForInstance(root: string, instanceName: string | undefined): Promise<Loaded> {
  const { spec, diagnostics } = await loadRepository(root);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  return { ok: true, diagnostics, repo: spec, instance: chooseInstance(spec, instanceName) };
}

export function chooseInstance(repo: RepositorySpec, name: string | undefined): InstanceSpec {
  const known = repo.instances.map((i) => i.name).sort();
  const instance = name === undefined ? repo.instances.find((i) => i.default) : repo.instances.find((i) => i.name === name);
  if (instance) return instance;
  throw new UserError(name === undefined ? 'no instance is marked default: true' : `there is no instance named ${name}`, {
    hint: `instances in this repository: ${known.join(', ') || '(none)'}`,
    exitCode: 2,
  });
}

/**
 * The databases an instance serves. The local instance is a rehearsal of the RDS instances, so it
 * takes every database meant for one of them, and its own; a database that names another local
 * instance lives there (two local instances stand for two servers, e.g. in the move test).
 */
export function databasesFor(repo: RepositorySpec, instance: InstanceSpec): DatabaseSpec[] {
  const kindOf = new Map(repo.instances.map((i) => [i.name, i.kind]));
  return repo.databases.filter(
    (db) => db.instance === instance.name || (instance.kind === 'local' && kindOf.get(db.instance) !== 'local'),
  );
}

export function desiredState(repo: RepositorySpec, instance: InstanceSpec, secrets: SecretStore, commit: string): DesiredState {
  const here = databasesFor(repo, instance);
  const served = new Set(here.map((db) => db.name));
  const elsewhere = repo.databases.filter((db) => !served.has(db.name)).map((db) => [db.name, db.instance] as const);
  return {
    instance: instance.name,
    commit,
    databases: here.map((spec) => ({ spec, secrets: secretRefs(spec, secrets) })),
    admin: instance.connection.adminUser,
    ...(instance.connection.planUser === undefined ? {} : { planUser: instance.connection.planUser }),
    ...(elsewhere.length > 0 ? { elsewhere: new Map(elsewhere) } : {}),
  };
}

/** Where a database's users' secrets live; a hand-named role's ref carries its name for the credentials. */
export function secretRefs(spec: DatabaseSpec, secrets: SecretStore): DesiredDatabase['secrets'] {
  const named = (user: 'rw' | 'ro') => spec.users[user];
  const ref = (user: 'rw' | 'ro') => {
    const role = named(user);
    return { ...secrets.refFor(spec.name, user), ...(role === undefined ? {} : { role }) };
  };
  return { rw: ref('rw'), ro: ref('ro') };
}
