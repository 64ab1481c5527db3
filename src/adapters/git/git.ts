/**
 * Runs git in a repository. Arguments are passed as an array (no shell), and paths after `--`,
 * so a database name can never be read as an option or a command.
 */
import { execFile } from 'node:child_process';
import { UserError } from '../../model/user-error.js';

export interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `git args` in `cwd`; never throws for a non-zero exit (callers decide what it means). */
export function runGit(cwd: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      // A long history of a busy file stays well under this; the default 1 MB does not.
      { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new UserError(`cannot run git: ${error.message}`, { hint: 'install git, or run audit where it is on PATH' }));
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs git and returns stdout; a non-zero exit is an error naming the command. */
export async function git(cwd: string, args: readonly string[]): Promise<string> {
  const result = await runGit(cwd, args);
  if (result.code !== 0) {
    const reason = result.stderr.trim().split('\n')[0] || `exit code ${result.code}`;
    throw new UserError(`git ${args[0]} failed: ${reason}`);
  }
  return result.stdout;
}
