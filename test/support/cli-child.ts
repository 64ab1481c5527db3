/**
 * The real `platon-db` binary in a child process (bin/platon-db.js, as CI runs it), for tests that
 * need a process of its own: one that is killed, or two that race. Only the variables passed in
 * `env` reach it, besides PATH and HOME, so the test run's own PLATON_* settings never leak in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'platon-db.js');

export interface ChildResult {
  /** null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly done: Promise<ChildResult>;
  /** Resolves once stdout or stderr (so far, or later) matches; rejects if the process ends first. */
  waitFor(pattern: RegExp): Promise<void>;
}

export function startCli(args: readonly string[], env: Readonly<Record<string, string>>, cwd?: string): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  const seen = () => watchers.forEach((check) => check());
  child.stdout!.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), seen()));
  child.stderr!.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), seen()));
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(stdout) && !pattern.test(stderr)) return;
        watchers.delete(check);
        resolve();
      };
      watchers.add(check);
      check();
      void done.then((r) => {
        if (watchers.delete(check)) reject(new Error(`platon-db ${args[0]} ended (${r.code ?? r.signal}) before printing ${pattern}:\n${r.stdout}\n${r.stderr}`));
      });
    });
  return { child, done, waitFor };
}

export const runCli = (args: readonly string[], env: Readonly<Record<string, string>>, cwd?: string): Promise<ChildResult> =>
  startCli(args, env, cwd).done;
