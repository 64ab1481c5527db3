/** `platon-db upgrade-check --to <major>`: extensions in use against the target major's catalog. Reads only. */
import type { Diagnostic } from '../model/diagnostic.js';
import { loadCatalogs } from '../load/catalogs.js';
import { inspect } from '../inspect/inspect.js';
import { checkUpgrade, type UpgradeCheck, type UpgradeDatabase } from '../upgrade/check.js';
import { UserError } from '../model/user-error.js';
import { describeConnectionFailure } from './connection-failure.js';
import { connectInstance, type TargetOptions } from './instance-target.js';
import { databasesFor, loadForInstance } from './load-state.js';

export interface UpgradeCheckRequest extends TargetOptions {
  readonly instance?: string;
  readonly to: number;
  /** Check the files' extensions without connecting (no versions, so no update advice). */
  readonly offline: boolean;
}

export type UpgradeCheckOutcome =
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'checked'; readonly check: UpgradeCheck };

export async function runUpgradeCheck(request: UpgradeCheckRequest): Promise<UpgradeCheckOutcome> {
  const loaded = await loadForInstance(request.root, request.instance);
  if (!loaded.ok) return { kind: 'invalid', diagnostics: loaded.diagnostics };
  const { instance, repo } = loaded;
  const catalogs = loadCatalogs();
  const to = catalogs.get(request.to);
  if (!to) {
    throw new UserError(`there is no extension catalog for PostgreSQL ${request.to}`, {
      hint: `catalogs exist for ${[...catalogs.keys()].sort().join(', ')}; platon-db catalog --from-live makes one from a test instance`,
      exitCode: 2,
    });
  }
  const declared: UpgradeDatabase[] = databasesFor(repo, instance)
    .filter((spec) => spec.state !== 'dropped')
    .map((spec) => ({ name: spec.name, team: spec.team, extensions: spec.extensions.map((name) => ({ name })) }));
  const databases = request.offline ? declared : await installed(request, instance, declared);
  return {
    kind: 'checked',
    check: checkUpgrade({ instance: instance.name, from: instance.postgresMajor, to, live: !request.offline, databases, preload: instance.preloadLibraries }),
  };
}

/** Live versions where the database exists; the file's list where it does not yet, or where the admin cannot connect. */
async function installed(
  request: UpgradeCheckRequest,
  instance: Parameters<typeof connectInstance>[0],
  declared: readonly UpgradeDatabase[],
): Promise<UpgradeDatabase[]> {
  const target = await connectInstance(instance, request);
  try {
    const live = await inspect(target.connector, { only: new Set(declared.map((d) => d.name)), readOnlyChecks: new Set() }).catch((error: unknown) => {
      throw describeConnectionFailure(instance, target, error);
    });
    return declared.map((db) => {
      const found = live.databases.get(db.name);
      if (found?.contents) return { ...db, extensions: found.contents.extensions };
      return found ? { ...db, unreadable: true } : db;
    });
  } finally {
    await target.close();
  }
}
