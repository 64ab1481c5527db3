/**
 * The validator: parsed files in, every diagnostic and the normalised specs out. Pure; the
 * pipeline reads top to bottom: schema, then each instance, then each database against its
 * instance, then the rules that need all files at once.
 */
import type { ParsedFile } from '../load/parse-file.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { DatabaseSpec, InstanceSpec } from '../model/spec.js';
import { databaseDraft, instanceDraft, type DatabaseDraft, type InstanceDraft } from './drafts.js';
import type { Catalogs } from './extension-catalog.js';
import type { Finding } from './finding.js';
import { normaliseDatabase, normaliseInstance } from './normalise.js';
import { allowlistQuotaRule } from './rules/allowlist-quota.js';
import { instanceOf, type RepositoryContext } from './rules/context.js';
import { reservedNameRule } from './rules/database-name.js';
import { extensionRules } from './rules/extensions.js';
import { duplicateNameRule, nameMatchesFileRule, schemaCommentRule } from './rules/file-rules.js';
import { instanceExistsRule } from './rules/instance-reference.js';
import { defaultInstanceRule, instanceRules } from './rules/instances.js';
import { limitRules } from './rules/limits.js';
import { baselineNetworkRules, externalNetworkRules } from './rules/networks.js';
import { schemaFindings } from './schema-findings.js';
import { aboutPlaceholder, placeholderRule } from './rules/placeholders.js';
import { namedRoleRules, sharedRoleRule } from './rules/users.js';

export interface Validation {
  readonly diagnostics: readonly Diagnostic[];
  /** Specs of the files without errors (a database also needs a valid instance). */
  readonly databases: readonly DatabaseSpec[];
  readonly instances: readonly InstanceSpec[];
}

export function validateRepository(files: readonly ParsedFile[], catalogs: Catalogs): Validation {
  const findings: Finding[] = [];
  for (const file of files) {
    const schema = schemaFindings(file.path, file.kind, file.yaml.value)
      .filter((f) => file.kind !== 'database' || !aboutPlaceholder(file.yaml.value, f.path))
      // In a partly read file a "missing" setting may be in the part the syntax error hid.
      .filter((f) => !file.partial || f.code !== 'schema.required');
    findings.push(...schemaCommentRule(file.path, file.kind, file.text), ...schema);
    if (file.kind === 'database') findings.push(...placeholderRule(file.path, file.yaml.value));
  }

  const instances = files.filter((f) => f.kind === 'instance').map((f) => instanceDraft(f.path, f.yaml.value));
  for (const instance of instances) {
    findings.push(...nameMatchesFileRule(instance, 'instance'), ...instanceRules(instance, catalogs), ...baselineNetworkRules(instance));
  }
  findings.push(...defaultInstanceRule(instances), ...duplicateNameRule(instances, 'instance'));

  const context = repositoryContext(instances, catalogs);
  const databaseFiles = files.filter((f) => f.kind === 'database');
  const databases = databaseFiles.map((f) => databaseDraft(f.path, f.yaml.value));
  // A partly read file whose `instance:` line is in the unreadable part has an unknown instance,
  // not the default one: its instance-specific checks would be against the wrong limits.
  const instanceUnread = new Set(databaseFiles.filter((f) => f.partial?.unreadKeys.includes('instance')).map((f) => f.path));
  for (const db of databases) {
    const instance = instanceUnread.has(db.file) ? undefined : instanceOf(db, context);
    const catalog = instance?.postgresMajor === undefined ? undefined : catalogs.get(instance.postgresMajor);
    findings.push(
      ...nameMatchesFileRule(db, 'database'),
      ...reservedNameRule(db, instance),
      ...instanceExistsRule(db, context),
      ...extensionRules(db, instance, catalog),
      ...externalNetworkRules(db, instance),
      ...limitRules(db, instance),
      ...namedRoleRules(db, instance),
    );
  }
  findings.push(...duplicateNameRule(databases, 'database'), ...sharedRoleRule(databases));
  for (const instance of instances) {
    findings.push(...allowlistQuotaRule(instance, databases.filter((db) => !instanceUnread.has(db.file) && instanceOf(db, context) === instance)));
  }

  const byPath = new Map(files.map((f) => [f.path, f] as const));
  const diagnostics = sortDiagnostics(findings.map((f) => positioned(f, byPath.get(f.file))));
  return { diagnostics, ...specs(files, diagnostics, databases, context) };
}

function repositoryContext(instances: readonly InstanceDraft[], catalogs: Catalogs): RepositoryContext {
  const byName = new Map<string, InstanceDraft>();
  for (const instance of [...instances].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    if (instance.name !== undefined && !byName.has(instance.name)) byName.set(instance.name, instance);
  }
  const defaults = instances.filter((i) => i.isDefault);
  return { instances: byName, catalogs, ...(defaults.length === 1 ? { defaultInstance: defaults[0]! } : {}) };
}

function specs(files: readonly ParsedFile[], diagnostics: readonly Diagnostic[], databases: readonly DatabaseDraft[], context: RepositoryContext) {
  const invalid = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  const valid = (file: ParsedFile) => !invalid.has(file.path) && !file.partial;
  const instanceSpecs = files.filter((f) => f.kind === 'instance' && valid(f)).map((f) => normaliseInstance(f.path, f.yaml.value));
  const instanceByFile = new Map(instanceSpecs.map((i) => [i.file, i] as const));
  const draftByFile = new Map(databases.map((d) => [d.file, d] as const));
  const databaseSpecs: DatabaseSpec[] = [];
  for (const file of files.filter((f) => f.kind === 'database' && valid(f))) {
    const instanceFile = instanceOf(draftByFile.get(file.path)!, context)?.file;
    const instance = instanceFile === undefined ? undefined : instanceByFile.get(instanceFile);
    if (instance) databaseSpecs.push(normaliseDatabase(file.path, file.yaml.value, instance));
  }
  return { databases: databaseSpecs, instances: instanceSpecs };
}

function positioned(finding: Finding, file: ParsedFile | undefined): Diagnostic {
  const { line, column } = finding.position ?? file?.yaml.locate(finding.path, finding.anchor) ?? { line: 1, column: 1 };
  const { file: path, severity, code, message, hint } = finding;
  return { file: path, line, column, severity, code, message, ...(hint === undefined ? {} : { hint }) };
}

/** By file, then position, then code: stable output for people, golden files and CI logs. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.code, b.code) || compare(a.message, b.message),
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
