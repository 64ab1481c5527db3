/**
 * What RDS says about an instance (DescribeDBInstances, DescribeDBParameters), and what the
 * repository expects of it. The plan re-checks the repository's assumptions against these facts:
 * the PR check had no live access.
 */

export interface RdsFacts {
  readonly identifier: string;
  /** `postgres` for RDS for PostgreSQL. */
  readonly engine: string;
  /** e.g. `15.8`. */
  readonly engineVersion: string;
  /** Absent while the instance is being created. */
  readonly endpoint?: { readonly host: string; readonly port: number };
  /** Attached VPC security groups with their status (`active`, `adding`, `removing`, ...). */
  readonly securityGroups: readonly { readonly id: string; readonly status: string }[];
  readonly publiclyAccessible: boolean;
  readonly parameterGroup?: { readonly name: string; readonly applyStatus: string };
  /** Absent values: the parameter group reports none (the engine default applies). */
  readonly parameters: {
    readonly forceSsl?: string;
    readonly sharedPreloadLibraries?: readonly string[];
    /** `*` (the default) allows every extension RDS offers. */
    readonly allowedExtensions?: readonly string[] | '*';
  };
}

/** The repository's side of the checks, from the instance file and the extension catalog. */
export interface RdsExpectations {
  readonly instanceFile: string;
  readonly postgresMajor: number;
  readonly connection: { readonly host: string; readonly port: number };
  readonly allowlistGroupIds: readonly string[];
  /** The instance file's `preloadLibraries`. */
  readonly preloadLibraries: readonly string[];
  /** Extensions the catalog marks as needing shared_preload_libraries. */
  readonly needsPreload: readonly string[];
}
