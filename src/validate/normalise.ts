/**
 * Validated file data to the model the applier uses, with every default filled in, so the planner
 * never has to know what a file may leave out. Only called for files without errors: the schema
 * has already guaranteed the shapes cast below.
 */
import type { DatabaseSpec, InstanceSpec, NetworkSpec, SecretBackend } from '../model/spec.js';
import { parseCidr } from './cidr.js';

interface RawNetwork {
  readonly cidr: string;
  readonly description: string;
}

interface RawDatabase {
  readonly name: string;
  readonly team: string;
  readonly project: string;
  readonly contact: string;
  readonly users?: { readonly readOnly?: boolean; readonly owner?: string; readonly rw?: string; readonly ro?: string };
  readonly adopt?: boolean;
  readonly state?: DatabaseSpec['state'];
  readonly extensions?: readonly string[];
  readonly access?: { readonly external?: readonly RawNetwork[] };
  readonly backup?: { readonly retentionDays?: number };
  readonly connectionLimit?: number;
  readonly instance?: string;
}

type RawInstance = Omit<InstanceSpec, 'file' | 'default' | 'baselineNetworks'> & {
  readonly default?: boolean;
  readonly baselineNetworks: readonly RawNetwork[];
};

export function normaliseDatabase(file: string, data: unknown, instance: InstanceSpec): DatabaseSpec {
  const raw = data as RawDatabase;
  return {
    name: raw.name,
    file,
    team: raw.team,
    project: raw.project,
    contact: raw.contact,
    instance: instance.name,
    users: {
      // Naming the read-only role of an adopted database is asking for it.
      readOnly: raw.users?.readOnly ?? raw.users?.ro !== undefined,
      ...(raw.users?.owner === undefined ? {} : { owner: raw.users.owner }),
      ...(raw.users?.rw === undefined ? {} : { rw: raw.users.rw }),
      ...(raw.users?.ro === undefined ? {} : { ro: raw.users.ro }),
    },
    ...(raw.adopt === undefined ? {} : { adopt: raw.adopt }),
    ...(raw.state === undefined ? {} : { state: raw.state }),
    extensions: [...new Set(raw.extensions ?? [])].sort(),
    access: { external: (raw.access?.external ?? []).map(network) },
    backup: raw.backup?.retentionDays === undefined ? {} : { retentionDays: raw.backup.retentionDays },
    connectionLimit: raw.connectionLimit ?? instance.limits.defaultConnectionLimit,
  };
}

export function normaliseInstance(file: string, data: unknown): InstanceSpec {
  const raw = data as RawInstance;
  return {
    name: raw.name,
    file,
    default: raw.default ?? false,
    kind: raw.kind,
    postgresMajor: raw.postgresMajor,
    connection: { ...raw.connection },
    ...(raw.aws === undefined ? {} : { aws: { ...raw.aws, allowlistSecurityGroupIds: [...raw.aws.allowlistSecurityGroupIds] } }),
    baselineNetworks: raw.baselineNetworks.map(network),
    externalNetworkPolicy: { ...raw.externalNetworkPolicy },
    limits: { ...raw.limits },
    secrets: structuredClone(raw.secrets) as SecretBackend,
    preloadLibraries: [...raw.preloadLibraries],
  };
}

/** The canonical spelling, so `2001:DB8:0::/48` and `2001:db8::/48` are one rule. */
function network(raw: RawNetwork): NetworkSpec {
  const parsed = parseCidr(raw.cidr.trim());
  return { cidr: parsed.ok ? parsed.cidr.canonical : raw.cidr, description: raw.description };
}
