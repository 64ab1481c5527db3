/** The extensions an instance's PostgreSQL version offers: `schema/extensions/rds-postgres-<major>.json`. */

export interface CatalogExtension {
  readonly name: string;
  /** Installable by a user with CREATE on the database (PostgreSQL 13+ trusted extension). */
  readonly trusted: boolean;
  /** Needs `shared_preload_libraries`, which only Platon can change. */
  readonly preload: boolean;
  /** Needs more than CREATE EXTENSION; `setupNote` says what. */
  readonly specialSetup: boolean;
  readonly setupNote?: string;
  /** Facts the catalog's authors could not confirm. */
  readonly unsure?: readonly ('available' | 'preload')[];
  /** What CREATE EXTENSION installs on this major version, where known. */
  readonly defaultVersion?: string;
  /** Every version offered, when the catalog was read from a live instance. */
  readonly versions?: readonly string[];
  /** What a major-version upgrade needs for it (e.g. PostGIS: update it first). */
  readonly upgradeNote?: string;
}

export interface ExtensionCatalog {
  /** Repository-relative path, for messages. */
  readonly file: string;
  readonly postgresMajor: number;
  readonly extensions: ReadonlyMap<string, CatalogExtension>;
}

/** Catalogs by PostgreSQL major version. */
export type Catalogs = ReadonlyMap<number, ExtensionCatalog>;
