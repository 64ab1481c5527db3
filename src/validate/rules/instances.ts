/** Rules on instance files, alone and together. */
import type { Catalogs } from '../extension-catalog.js';
import type { InstanceDraft } from '../drafts.js';
import { error, warning, type Finding } from '../finding.js';

export function instanceRules(instance: InstanceDraft, catalogs: Catalogs): Finding[] {
  const findings: Finding[] = [];
  const { file } = instance;
  if (instance.postgresMajor !== undefined && !catalogs.has(instance.postgresMajor)) {
    findings.push(
      error(file, 'instance.no-catalog', `there is no extension catalog for PostgreSQL ${instance.postgresMajor} (schema/extensions/rds-postgres-${instance.postgresMajor}.json)`, {
        path: ['postgresMajor'],
        anchor: 'value',
        hint: `catalogs exist for: ${[...catalogs.keys()].sort().join(', ')}`,
      }),
    );
  }
  const { defaultConnectionLimit: def, maxConnectionLimit: max } = instance;
  if (def !== undefined && max !== undefined && def > max) {
    findings.push(error(file, 'instance.limits-inconsistent', `defaultConnectionLimit ${def} is more than maxConnectionLimit ${max}`, { path: ['limits', 'defaultConnectionLimit'], anchor: 'value' }));
  }
  if (instance.planUser !== undefined && instance.planUser === instance.adminUser) {
    findings.push(
      error(file, 'instance.plan-user-is-admin', 'connection.planUser is the admin; plans would then hold the rights to apply', {
        path: ['connection', 'planUser'],
        anchor: 'value',
        hint: 'name a separate role with LOGIN and no other rights, e.g. platon_planner',
      }),
    );
  }
  if (instance.kind === 'local' && instance.hasAws) {
    findings.push(warning(file, 'instance.aws-unused', 'a local instance has no AWS resources; the aws block is ignored', { path: ['aws'], hint: 'remove the aws block' }));
  }
  findings.push(...pathTemplateRule(instance));
  return findings;
}

const PLACEHOLDERS = ['instance', 'database', 'user'];

/** Every user's secret needs its own path, or one database's password overwrites another's. */
function pathTemplateRule(instance: InstanceDraft): Finding[] {
  const template = instance.secretsPathTemplate;
  if (template === undefined) return [];
  const used = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
  const unknown = used.filter((p) => !PLACEHOLDERS.includes(p));
  const missing = ['database', 'user'].filter((p) => !used.includes(p));
  const problems = [
    ...unknown.map((p) => `{${p}} is not a placeholder`),
    ...missing.map((p) => `{${p}} is missing, so secrets of different ${p === 'user' ? 'users' : 'databases'} would share a path`),
  ];
  if (problems.length === 0) return [];
  return [
    error(instance.file, 'secrets.path-template', `secrets.pathTemplate: ${problems.join('; ')}`, {
      path: ['secrets', 'pathTemplate'],
      anchor: 'value',
      hint: 'placeholders are {instance}, {database} and {user}, e.g. platon/rds/{instance}/{database}/{user}',
    }),
  ];
}

/** Exactly one instance is the default. */
export function defaultInstanceRule(instances: readonly InstanceDraft[]): Finding[] {
  const defaults = instances.filter((i) => i.isDefault);
  if (defaults.length === 1 || instances.length === 0) return [];
  if (defaults.length === 0) {
    const first = [...instances].sort((a, b) => (a.file < b.file ? -1 : 1))[0]!;
    return [error(first.file, 'instance.default-missing', 'no instance is marked `default: true`, so databases that name no instance have nowhere to go', { path: [], hint: 'add `default: true` to the shared instance' })];
  }
  const names = defaults.map((i) => i.name ?? i.stem).join(', ');
  return defaults.map((i) =>
    error(i.file, 'instance.default-multiple', `${defaults.length} instances are marked \`default: true\` (${names}); exactly one may be`, { path: ['default'], hint: 'keep default: true on one instance only' }),
  );
}
