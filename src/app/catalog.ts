/** `platon-db catalog --from-live`: a catalog file from what a live instance offers. Reads only. */
import type { Diagnostic } from '../model/diagnostic.js';
import { loadCatalogs } from '../load/catalogs.js';
import { readAvailableExtensions } from '../inspect/extensions-available.js';
import { catalogFromLive } from '../upgrade/catalog-from-live.js';
import { describeConnectionFailure } from './connection-failure.js';
import { connectInstance, type TargetOptions } from './instance-target.js';
import { loadForInstance } from './load-state.js';

export interface CatalogRequest extends TargetOptions {
  readonly instance?: string;
  readonly date?: string;
}

export type CatalogOutcome =
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'catalog'; readonly major: number; readonly catalog: object; readonly extensions: number };

export async function runCatalogFromLive(request: CatalogRequest): Promise<CatalogOutcome> {
  const loaded = await loadForInstance(request.root, request.instance);
  if (!loaded.ok) return { kind: 'invalid', diagnostics: loaded.diagnostics };
  const { instance } = loaded;
  const target = await connectInstance(instance, request);
  try {
    const facts = await readAvailableExtensions(target.connector).catch((error: unknown) => {
      throw describeConnectionFailure(instance, target, error);
    });
    const catalog = catalogFromLive({
      facts,
      instance: instance.name,
      address: `postgresql://${target.endpoint.host}:${target.endpoint.port}/`,
      date: request.date ?? new Date().toISOString().slice(0, 10),
      ...(loadCatalogs().has(facts.major) ? { previous: loadCatalogs().get(facts.major)! } : {}),
    });
    return { kind: 'catalog', major: facts.major, catalog, extensions: (catalog as { extensions: unknown[] }).extensions.length };
  } finally {
    await target.close();
  }
}
