/**
 * Generated databases for the plan and apply benchmarks: each as a file the CLI reads and as the
 * spec the planner gets, so the apply floor runs the statements the CLI's own plan has.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSpec } from '../src/model/spec.js';
import { buildPlan } from '../src/diff/diff.js';
import { observe } from '../src/inspect/observe.js';
import { urlConnector } from '../src/adapters/postgres/connector.js';
import { FileSecretStore } from '../src/adapters/secrets/file-store.js';

export function generatedSpec(name: string, i: number): DatabaseSpec {
  return {
    name,
    file: `databases/${name}.yaml`,
    team: `team-${i % 17}`,
    project: `Project ${i}`,
    contact: `team${i}@example.org`,
    instance: 'local',
    users: { readOnly: i % 2 === 0 },
    extensions: i % 3 === 0 ? ['pg_trgm'] : [],
    access: { external: [] },
    backup: {},
    connectionLimit: 10,
  };
}

/** The same database as a team's file. */
export const generatedFile = (spec: DatabaseSpec): string =>
  [
    `name: ${spec.name}`,
    `team: ${spec.team}`,
    `project: ${spec.project}`,
    `contact: ${spec.contact}`,
    `instance: ${spec.instance}`,
    'users:',
    `  readOnly: ${spec.users.readOnly}`,
    `extensions: [${spec.extensions.join(', ')}]`,
    `connectionLimit: ${spec.connectionLimit}`,
    '',
  ].join('\n');

export const generatedName = (prefix: string, i: number): string => `${prefix}${String(i).padStart(4, '0')}`;

/** The plan for N new databases named `prefix0000`…, made in this process (for the apply floor). */
export async function planNew(adminUrl: string, prefix: string, n: number) {
  const connector = urlConnector(adminUrl);
  const root = await mkdtemp(join(tmpdir(), 'platon-db-bench-'));
  const secrets = new FileSecretStore({ store: 'file', directory: 'secrets', pathTemplate: '{instance}/{database}/{user}' }, { root, instance: 'local' });
  const specs = Array.from({ length: n }, (_, i) => generatedSpec(generatedName(prefix, i), i));
  const databases = specs.map((spec) => ({ spec, secrets: { rw: secrets.refFor(spec.name, 'rw'), ro: secrets.refFor(spec.name, 'ro') } }));
  const desired = { instance: 'local', commit: 'bench', databases };
  return buildPlan(desired, await observe(connector, desired, secrets), { allowDestroy: false });
}
