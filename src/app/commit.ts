/** The commit a plan is made from, recorded in ownership markers for the audit trail. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function currentCommit(root: string, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  if (env.PLATON_COMMIT) return env.PLATON_COMMIT;
  try {
    const { stdout } = await run('git', ['rev-parse', 'HEAD'], { cwd: root });
    return stdout.trim() || 'unknown';
  } catch {
    // Not a git checkout (or no commit yet): plans still work, markers say so.
    return 'unknown';
  }
}
