/**
 * A catalog file (schema/extensions/rds-postgres-<major>.json) from what a live server offers.
 * Pure. What a server cannot tell (needs shared_preload_libraries, needs special setup) is kept
 * from the catalog the repository already has; for an extension it does not know yet, preload is
 * marked unsure.
 */
import type { CatalogExtension, ExtensionCatalog } from '../validate/extension-catalog.js';
import type { AvailableExtensions } from '../inspect/extensions-available.js';

export interface LiveCatalogInput {
  readonly facts: AvailableExtensions;
  readonly instance: string;
  /** Where the server is, without credentials, for the source line. */
  readonly address: string;
  readonly date: string;
  readonly previous?: ExtensionCatalog;
}

export function catalogFromLive({ facts, instance, address, date, previous }: LiveCatalogInput): object {
  const names = facts.rdsExtensions ?? [...facts.available.keys()];
  const extensions = [...new Set(names)].sort().map((name): CatalogExtension => {
    const live = facts.available.get(name);
    const known = previous?.extensions.get(name);
    const unsure: ('available' | 'preload')[] = [];
    // Listed by rds.extensions, but this server has no files for it: not installable here.
    if (!live) unsure.push('available');
    if (!known) unsure.push('preload');
    return {
      name,
      trusted: live?.trusted ?? known?.trusted ?? false,
      preload: known?.preload ?? false,
      specialSetup: known?.specialSetup ?? false,
      ...(known?.setupNote ? { setupNote: known.setupNote } : {}),
      ...(unsure.length > 0 ? { unsure } : {}),
      ...(live ? { defaultVersion: live.defaultVersion, versions: [...live.versions] } : {}),
      ...(known?.upgradeNote ? { upgradeNote: known.upgradeNote } : {}),
    };
  });
  const listedBy = facts.rdsExtensions ? 'SHOW rds.extensions, with versions and trusted flags from pg_available_extension_versions' : 'pg_available_extension_versions (the server has no rds.extensions: not RDS)';
  return {
    $schema: '../extension-catalog.schema.json',
    engine: 'rds-postgres',
    postgresMajor: facts.major,
    source: {
      title: `Read from instance ${instance} (PostgreSQL ${facts.serverVersion}) by platon-db catalog --from-live`,
      url: address,
      compiled: `${date}: ${listedBy}. preload, specialSetup and their notes come from the previous catalog where it knew the extension.`,
      authority: 'The live instance: SHOW rds.extensions and pg_available_extension_versions. `platon-db plan` re-checks every requested extension there.',
      unsure: '"available" in unsure: rds.extensions lists it but the server offers no version of it; "preload": not known whether it needs shared_preload_libraries.',
    },
    extensions,
  };
}
