/**
 * Upgrade readiness: for each database, its extensions against the catalog of the target
 * PostgreSQL major. Pure. An extension the target does not offer blocks the upgrade (RDS refuses
 * it); one whose installed version is older than the target's default wants `ALTER EXTENSION ...
 * UPDATE` after it; one marked unsure or needing preload on the target is for Platon to confirm.
 */
import type { ExtensionCatalog } from '../validate/extension-catalog.js';

export interface UpgradeDatabase {
  readonly name: string;
  readonly team?: string;
  /** Installed (live, with version) or declared (from the file, no version). */
  readonly extensions: readonly { readonly name: string; readonly version?: string }[];
  /**
   * It exists on the instance, but the admin could not connect into it, so `extensions` are the
   * file's, not what is installed. Its owner can do that (ALTER DATABASE ... ALLOW_CONNECTIONS
   * false or CONNECTION LIMIT 0 need only ownership; the admin is no superuser on RDS).
   */
  readonly unreadable?: boolean;
}

export type UpgradeFindingKind = 'missing' | 'update' | 'unconfirmed' | 'preload' | 'note';

export interface UpgradeFinding {
  readonly kind: UpgradeFindingKind;
  /** Absent for a finding about the database as a whole. */
  readonly extension?: string;
  readonly message: string;
}

export interface UpgradeCheck {
  readonly instance: string;
  readonly from: number;
  readonly to: number;
  readonly catalog: string;
  /** Whether the extension versions came from the live instance (else from the files). */
  readonly live: boolean;
  readonly databases: readonly { readonly name: string; readonly team?: string; readonly findings: readonly UpgradeFinding[] }[];
  /** No database uses an extension the target does not offer. */
  readonly ready: boolean;
}

export interface UpgradeInput {
  readonly instance: string;
  readonly from: number;
  readonly to: ExtensionCatalog;
  readonly live: boolean;
  readonly databases: readonly UpgradeDatabase[];
  /** The instance's shared_preload_libraries. */
  readonly preload: readonly string[];
}

/** Built into every database; never a question for an upgrade. */
const BUILT_IN = new Set(['plpgsql']);

export function checkUpgrade(input: UpgradeInput): UpgradeCheck {
  const databases = [...input.databases]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((db) => ({
      name: db.name,
      ...(db.team === undefined ? {} : { team: db.team }),
      findings: [
        ...(db.unreadable ? [unreadable(db.name)] : []),
        ...db.extensions.filter((e) => !BUILT_IN.has(e.name)).flatMap((e) => findingsFor(e, input)),
      ],
    }));
  return {
    instance: input.instance,
    from: input.from,
    to: input.to.postgresMajor,
    catalog: input.to.file,
    live: input.live,
    databases,
    ready: databases.every((db) => db.findings.every((f) => f.kind !== 'missing')),
  };
}

/** Not ready on trust: what is installed there is unknown until the admin can connect again. */
const unreadable = (database: string): UpgradeFinding => ({
  kind: 'unconfirmed',
  message:
    `could not connect into ${database} to read its installed extensions (its owner can refuse connections), so its file's list was checked instead; ` +
    'run upgrade-check again after the next apply, which lets connections in again',
});

function findingsFor(extension: { readonly name: string; readonly version?: string }, input: UpgradeInput): UpgradeFinding[] {
  const to = input.to.postgresMajor;
  const entry = input.to.extensions.get(extension.name);
  const at = { extension: extension.name };
  if (!entry) {
    return [{ ...at, kind: 'missing', message: `${extension.name} is not offered on PostgreSQL ${to} (${input.to.file}): drop it, or find a replacement, before the upgrade` }];
  }
  const out: UpgradeFinding[] = [];
  const target = entry.defaultVersion;
  if (extension.version !== undefined && target !== undefined && compareVersions(extension.version, target) < 0) {
    out.push({ ...at, kind: 'update', message: `${extension.name} ${extension.version} is older than ${target}, the version PostgreSQL ${to} installs: run ALTER EXTENSION "${extension.name}" UPDATE after the upgrade` });
  }
  if (entry.upgradeNote) out.push({ ...at, kind: 'note', message: `${extension.name}: ${entry.upgradeNote}` });
  if (entry.unsure?.includes('available')) out.push({ ...at, kind: 'unconfirmed', message: `the catalog is not sure RDS offers ${extension.name} on PostgreSQL ${to}; confirm on a test instance (platon-db catalog --from-live)` });
  if (entry.preload && !input.preload.includes(extension.name)) {
    out.push({ ...at, kind: 'preload', message: `${extension.name} needs shared_preload_libraries on PostgreSQL ${to}, which the instance does not preload` });
  }
  return out;
}

/** `1.10` after `1.9`: numeric parts compare as numbers, anything else as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i] ?? '0', pb[i] ?? '0'];
    const [nx, ny] = [Number(x), Number(y)];
    const diff = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}
