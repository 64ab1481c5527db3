/** What database rules know about the rest of the repository. */
import type { Catalogs } from '../extension-catalog.js';
import type { DatabaseDraft, InstanceDraft } from '../drafts.js';

export interface RepositoryContext {
  /** Instances by name (the first file wins when two share a name; that is reported separately). */
  readonly instances: ReadonlyMap<string, InstanceDraft>;
  /** The one instance marked default, if there is exactly one. */
  readonly defaultInstance?: InstanceDraft;
  readonly catalogs: Catalogs;
}

/** The instance a database lands on: the one it names, else the default. */
export const instanceOf = (db: DatabaseDraft, context: RepositoryContext): InstanceDraft | undefined =>
  db.instance === undefined ? context.defaultInstance : context.instances.get(db.instance);
