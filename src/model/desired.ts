import type { AllowlistTarget } from './allowlist.js';
import type { SecretRef } from './change.js';
import type { RdsExpectations } from './rds.js';
import type { DatabaseSpec } from './spec.js';

/** One declared database with what the planner needs beyond the file: where its secrets live. */
export interface DesiredDatabase {
  readonly spec: DatabaseSpec;
  readonly secrets: { readonly rw: SecretRef; readonly ro: SecretRef };
}

/** What the repository wants on one instance. */
export interface DesiredState {
  readonly instance: string;
  /** The commit the plan is made from; recorded in ownership markers. */
  readonly commit: string;
  readonly databases: readonly DesiredDatabase[];
  /** The instance's read-only plan role (connection.planUser), granted CONNECT on every managed database. */
  readonly planUser?: string;
  /** The admin role applies run as (connection.adminUser); plans made as the plan role are made for it. */
  readonly admin?: string;
  /** The allowlist the instance file asks for; absent: the plan leaves the allowlist alone. */
  readonly allowlist?: AllowlistTarget;
  /**
   * Databases whose file names another instance, by name, with that instance: a managed database
   * here that its file sends elsewhere is a move, which `platon-db move` carries out, not apply.
   */
  readonly elsewhere?: ReadonlyMap<string, string>;
  /**
   * Declared databases missing here that live on another instance (found by `platon-db plan`
   * where it can reach the others): creating them empty here would not move their data.
   */
  readonly livesElsewhere?: ReadonlyMap<string, string>;
  /** What the plan re-checks against RDS (with LiveState.rds); absent off RDS. */
  readonly rds?: RdsExpectations;
}

export interface DiffOptions {
  /** Drop what the files no longer ask for (extensions). Off by default: nothing is dropped by accident. */
  readonly allowDestroy: boolean;
}
