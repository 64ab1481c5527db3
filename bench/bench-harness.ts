/** N generated databases planned and applied through the real pipeline (inspect, diff, apply). */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSpec } from '../src/model/spec.js';
import { buildPlan } from '../src/diff/diff.js';
import { observe } from '../src/inspect/observe.js';
import { applyPlan } from '../src/apply/apply.js';
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

export async function benchHarness(adminUrl: string, prefix: string, n: number) {
  const connector = urlConnector(adminUrl);
  const root = await mkdtemp(join(tmpdir(), 'platon-db-bench-'));
  const secrets = new FileSecretStore({ store: 'file', directory: 'secrets', pathTemplate: '{instance}/{database}/{user}' }, { root, instance: 'local' });
  const specs = Array.from({ length: n }, (_, i) => generatedSpec(`${prefix}${String(i).padStart(4, '0')}`, i));
  const url = new URL(adminUrl);
  const plan = async () => {
    const databases = specs.map((spec) => ({ spec, secrets: { rw: secrets.refFor(spec.name, 'rw'), ro: secrets.refFor(spec.name, 'ro') } }));
    const desired = { instance: 'local', commit: 'bench', databases };
    return buildPlan(desired, await observe(connector, desired, secrets), { allowDestroy: false });
  };
  return {
    names: specs.map((s) => s.name),
    plan,
    apply: async () => {
      const p = await plan();
      const result = await applyPlan(p.changes, { connector, secrets, endpoint: { host: url.hostname, port: Number(url.port) } });
      if (result.failed) throw new Error(`apply failed: ${result.failed.message}`);
      return result;
    },
  };
}
