/**
 * A finished `platon-db plan --format markdown` run, read back from the files a workflow step
 * wrote (stdout, exit code, stderr), for `pr-comment` and `drift-report`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PlanRun } from '../render/plan-comment.js';
import { UserError } from '../model/user-error.js';
import { EXIT } from '../model/exit-codes.js';

export interface PlanRunFiles {
  readonly cwd: string;
  /** The markdown plan (stdout of plan). */
  readonly plan: string;
  readonly exitCode: number;
  /** stderr of plan, if kept. */
  readonly log?: string;
}

export async function readPlanRun(files: PlanRunFiles): Promise<PlanRun> {
  // A plan that failed early may leave no file at all; its log then says why.
  const markdown = await readOptional(resolve(files.cwd, files.plan), files.exitCode !== EXIT.failure);
  const log = files.log === undefined ? '' : await readOptional(resolve(files.cwd, files.log), false);
  return { markdown, exitCode: files.exitCode, log };
}

async function readOptional(path: string, required: boolean): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`cannot read ${path}: ${(error as Error).message}`);
    if (required) throw new UserError(`${path} does not exist`, { hint: 'write it with platon-db plan --format markdown > FILE', exitCode: EXIT.usageOrChanges });
    return '';
  }
}

