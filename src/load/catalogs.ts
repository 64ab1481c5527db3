/**
 * The extension catalogs shipped with platon-db (schema/extensions/<engine>-<major>.json), read
 * once per process. A broken catalog is a bug in platon-db, not in a team's file: it throws.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogExtension, Catalogs, ExtensionCatalog } from '../validate/extension-catalog.js';
import { checkSchema } from '../validate/schemas.js';
import { TOOL_ROOT } from './tool-root.js';

interface RawCatalog {
  readonly postgresMajor: number;
  readonly extensions: readonly CatalogExtension[];
}

const cache = new Map<string, Catalogs>();

export function loadCatalogs(toolRoot: string = TOOL_ROOT): Catalogs {
  const cached = cache.get(toolRoot);
  if (cached) return cached;
  const folder = join(toolRoot, 'schema', 'extensions');
  const catalogs = new Map<number, ExtensionCatalog>();
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.json')).sort()) {
    const file = `schema/extensions/${name}`;
    const raw: unknown = JSON.parse(readFileSync(join(folder, name), 'utf8'));
    const errors = checkSchema('catalog', raw);
    if (errors.length > 0) throw new Error(`${file} does not match schema/extension-catalog.schema.json: ${errors.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
    const { postgresMajor, extensions } = raw as RawCatalog;
    if (catalogs.has(postgresMajor)) throw new Error(`${file}: a second catalog for PostgreSQL ${postgresMajor}`);
    catalogs.set(postgresMajor, { file, postgresMajor, extensions: new Map(extensions.map((e) => [e.name, e])) });
  }
  cache.set(toolRoot, catalogs);
  return catalogs;
}
