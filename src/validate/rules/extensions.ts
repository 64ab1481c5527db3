/**
 * Extensions against the catalog of the instance's PostgreSQL version. Preloaded libraries are an
 * instance-wide parameter-group change with a reboot, so an extension that needs one is Platon's
 * decision, not something a PR can ask for in passing.
 */
import { didYouMean } from '../did-you-mean.js';
import type { DatabaseDraft, InstanceDraft } from '../drafts.js';
import type { ExtensionCatalog } from '../extension-catalog.js';
import { error, warning, withHint, type Finding } from '../finding.js';

export function extensionRules(db: DatabaseDraft, instance: InstanceDraft | undefined, catalog: ExtensionCatalog | undefined): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  for (const { path, name } of db.extensions) {
    const where = { path, anchor: 'value' as const };
    const first = seen.get(name);
    if (first !== undefined) {
      findings.push(warning(db.file, 'extension.duplicate', `${name} is already listed as entry ${first + 1}`, { ...where, hint: 'remove one of them' }));
      continue;
    }
    seen.set(name, path[1] as number);
    if (!catalog || !instance) continue; // the instance's own problem is reported on its file
    const version = `PostgreSQL ${catalog.postgresMajor} on RDS`;
    const entry = catalog.extensions.get(name);
    if (!entry) {
      findings.push(
        error(db.file, 'extension.unknown', `${JSON.stringify(name)} is not an extension ${version} offers (${catalog.file})`, {
          ...where,
          ...withHint(didYouMean(name, catalog.extensions.keys()) ?? 'if RDS offers it, ask Platon to add it to the catalog'),
        }),
      );
      continue;
    }
    if (entry.preload && !instance.preloadLibraries.includes(name)) {
      findings.push(
        error(db.file, 'extension.needs-preload', `${name} needs shared_preload_libraries, which instance ${instance.name ?? instance.stem} does not preload; changing that is a Platon decision (parameter group and reboot)`, {
          ...where,
          hint: `ask Platon before asking for ${name}: they can preload it or offer a dedicated instance`,
        }),
      );
    }
    if (entry.specialSetup) {
      findings.push(
        warning(db.file, 'extension.special-setup', `${name} needs more than CREATE EXTENSION.${entry.setupNote ? ` ${entry.setupNote}` : ''}`, {
          ...where,
          hint: 'Platon will do that setup by hand after merge; tell them in the pull request',
        }),
      );
    }
    if (entry.unsure?.includes('available')) {
      findings.push(warning(db.file, 'extension.unconfirmed', `the catalog is not sure ${version} offers ${name}; the plan checks the live instance`, where));
    }
  }
  return findings;
}
