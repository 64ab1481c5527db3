/**
 * The shared front half of plan and apply: validated repository -> chosen instance -> desired
 * state. Nothing here touches a server; an invalid repository stops here.
 */
import type { DesiredState } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import type { DatabaseSpec, InstanceSpec, RepositorySpec } from '../model/spec.js';
import type { SecretStore } from '../model/secret-store.js';
import { UserError } from '../cli/user-error.js';
import { loadRepository } from './load-repository.js';

export type Loaded =
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: true; readonly diagnostics: readonly Diagnostic[]; readonly repo: RepositorySpec; readonly instance: InstanceSpec };

export async function loadForInstance(root: string, instanceName: string | undefined): Promise<Loaded> {
  const { spec, diagnostics } = await loadRepository(root);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  return { ok: true, diagnostics, repo: spec, instance: chooseInstance(spec, instanceName) };
}

function chooseInstance(repo: RepositorySpec, name: string | undefined): InstanceSpec {
  const known = repo.instances.map((i) => i.name).sort();
  const instance = name === undefined ? repo.instances.find((i) => i.default) : repo.instances.find((i) => i.name === name);
  if (instance) return instance;
  throw new UserError(name === undefined ? 'no instance is marked default: true' : `there is no instance named ${name}`, {
    hint: `instances in this repository: ${known.join(', ') || '(none)'}`,
    exitCode: 2,
  });
}

/**
 * The databases an instance serves. The local instance is a rehearsal of the whole repository, so
 * it takes every database whatever instance the file names; a real instance takes its own.
 */
export const databasesFor = (repo: RepositorySpec, instance: InstanceSpec): DatabaseSpec[] =>
  repo.databases.filter((db) => instance.kind === 'local' || db.instance === instance.name);

export function desiredState(repo: RepositorySpec, instance: InstanceSpec, secrets: SecretStore, commit: string): DesiredState {
  return {
    instance: instance.name,
    commit,
    databases: databasesFor(repo, instance).map((spec) => ({
      spec,
      secrets: { rw: secrets.refFor(spec.name, 'rw'), ro: secrets.refFor(spec.name, 'ro') },
    })),
  };
}
