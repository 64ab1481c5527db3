/**
 * Before a plan creates a database, is it already on another instance? Then its file's
 * `instance` changed, and creating it empty here would not move a byte: the plan refuses (a
 * move). Only instances with their own PLATON_DATABASE_URL_<INSTANCE> are asked; one query each.
 */
import type { DesiredState } from '../model/desired.js';
import type { InstanceSpec, RepositorySpec } from '../model/spec.js';
import type { LiveState } from '../model/state.js';
import { urlConnector } from '../adapters/postgres/connector.js';
import { withReadOnlyClient } from '../adapters/postgres/read-only.js';
import { parseMarker } from '../sql/marker.js';
import { instanceUrlVariable } from './instance-target.js';

const FIND = `SELECT datname AS name, pg_catalog.shobj_description(oid, 'pg_database') AS comment FROM pg_catalog.pg_database WHERE datname = ANY($1::text[])`;

export async function locateElsewhere(
  repo: RepositorySpec,
  here: InstanceSpec,
  env: Readonly<Record<string, string | undefined>>,
  desired: DesiredState,
  live: LiveState,
): Promise<Map<string, string>> {
  const missing = desired.databases.map((d) => d.spec).filter((spec) => !live.databases.has(spec.name) && spec.state !== 'dropped');
  const found = new Map<string, string>();
  if (missing.length === 0) return found;
  const others = repo.instances.filter((i) => i.name !== here.name && env[instanceUrlVariable(i.name)]);
  for (const other of others) {
    const url = env[instanceUrlVariable(other.name)]!;
    const rows = await withReadOnlyClient(urlConnector(url), undefined, async (client) => (await client.query<{ name: string; comment: string | null }>(FIND, [missing.map((s) => s.name)])).rows).catch(
      // Another instance being down must not stop this one's plan; the move command checks again.
      () => [],
    );
    for (const row of rows) {
      const marker = parseMarker(row.comment);
      const file = missing.find((s) => s.name === row.name)?.file;
      // Ours from the same file and still in service there: a copy that a move left retired is not.
      if (marker && marker.file === file && !marker.movedTo && !found.has(row.name)) found.set(row.name, other.name);
    }
  }
  return found;
}
