/**
 * What rules read: the fields of a file that have the right type, each with its path, and nothing
 * else. A file with schema errors still gets every rule that can run on what is there, so one run
 * reports a wrong CIDR *and* a misspelt key.
 */
import type { YamlPath } from '../load/parse-yaml.js';

export interface NetworkDraft {
  readonly path: YamlPath;
  readonly cidr?: string;
  readonly description?: string;
}

export interface DatabaseDraft {
  readonly file: string;
  /** The file name without `.yaml`/`.yml`: what `name` must equal. */
  readonly stem: string;
  readonly name?: string;
  readonly extensions: readonly { readonly path: YamlPath; readonly name: string }[];
  readonly external: readonly NetworkDraft[];
  readonly retentionDays?: number;
  readonly connectionLimit?: number;
  readonly instance?: string;
  readonly adopt: boolean;
  readonly readOnly?: boolean;
  /** Hand-made role names (users.owner, users.rw, users.ro) that are strings. */
  readonly namedRoles: readonly { readonly path: YamlPath; readonly user: 'owner' | 'rw' | 'ro'; readonly name: string }[];
}

export interface InstanceDraft {
  readonly file: string;
  readonly stem: string;
  readonly name?: string;
  readonly isDefault: boolean;
  readonly kind?: string;
  readonly postgresMajor?: number;
  readonly adminDatabase?: string;
  readonly adminUser?: string;
  readonly planUser?: string;
  readonly hasAws: boolean;
  readonly securityGroups: number;
  readonly baseline: readonly NetworkDraft[];
  readonly minIpv4PrefixLength?: number;
  readonly minIpv6PrefixLength?: number;
  readonly backupRetentionDays?: number;
  readonly defaultConnectionLimit?: number;
  readonly maxConnectionLimit?: number;
  readonly rulesPerSecurityGroup?: number;
  readonly secretsPathTemplate?: string;
  readonly preloadLibraries: readonly string[];
}

type Data = Readonly<Record<string, unknown>>;

export function databaseDraft(file: string, data: Data): DatabaseDraft {
  const extensions = list(data.extensions).flatMap((name, i) => (typeof name === 'string' ? [{ path: ['extensions', i], name }] : []));
  return {
    file,
    stem: stemOf(file),
    ...optional('name', text(data.name)),
    extensions,
    external: networks(list(record(data.access).external), ['access', 'external']),
    ...optional('retentionDays', integer(record(data.backup).retentionDays)),
    ...optional('connectionLimit', integer(data.connectionLimit)),
    ...optional('instance', text(data.instance)),
    adopt: data.adopt === true,
    ...optional('readOnly', typeof record(data.users).readOnly === 'boolean' ? (record(data.users).readOnly as boolean) : undefined),
    namedRoles: (['owner', 'rw', 'ro'] as const).flatMap((user) => {
      const name = text(record(data.users)[user]);
      return name === undefined ? [] : [{ path: ['users', user], user, name }];
    }),
  };
}

export function instanceDraft(file: string, data: Data): InstanceDraft {
  const connection = record(data.connection);
  const policy = record(data.externalNetworkPolicy);
  const limits = record(data.limits);
  const aws = record(data.aws);
  return {
    file,
    stem: stemOf(file),
    ...optional('name', text(data.name)),
    isDefault: data.default === true,
    ...optional('kind', text(data.kind)),
    ...optional('postgresMajor', integer(data.postgresMajor)),
    ...optional('adminDatabase', text(connection.adminDatabase)),
    ...optional('adminUser', text(connection.adminUser)),
    ...optional('planUser', text(connection.planUser)),
    hasAws: data.aws !== undefined,
    securityGroups: list(aws.allowlistSecurityGroupIds).filter((id) => typeof id === 'string').length,
    baseline: networks(list(data.baselineNetworks), ['baselineNetworks']),
    ...optional('minIpv4PrefixLength', integer(policy.minIpv4PrefixLength)),
    ...optional('minIpv6PrefixLength', integer(policy.minIpv6PrefixLength)),
    ...optional('backupRetentionDays', integer(limits.backupRetentionDays)),
    ...optional('defaultConnectionLimit', integer(limits.defaultConnectionLimit)),
    ...optional('maxConnectionLimit', integer(limits.maxConnectionLimit)),
    ...optional('rulesPerSecurityGroup', integer(limits.rulesPerSecurityGroup)),
    ...optional('secretsPathTemplate', text(record(data.secrets).pathTemplate)),
    preloadLibraries: list(data.preloadLibraries).filter((l): l is string => typeof l === 'string'),
  };
}

function networks(items: readonly unknown[], at: YamlPath): NetworkDraft[] {
  return items.map((item, i) => {
    const entry = record(item);
    return { path: [...at, i], ...optional('cidr', text(entry.cidr)), ...optional('description', text(entry.description)) };
  });
}

export const stemOf = (file: string): string => (file.split('/').at(-1) ?? file).replace(/\.ya?ml$/, '');

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const integer = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const record = (v: unknown): Data => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Data) : {});

/** `{key: value}` when there is a value, else `{}`: drafts never hold `undefined` fields. */
const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
