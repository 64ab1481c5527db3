/**
 * The real `platon-db` binary in a child process (bin/platon-db.js, as CI runs it), for tests that
 * need a process of its own: one that is killed, frozen, or that races another. Only the variables
 * passed in `env` reach it, besides PATH and HOME, so the test run's own PLATON_* settings never
 * leak in. `startInProcess` gives the same handle for the CLI run in the test's own process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'platon-db.js');

export interface ChildResult {
  /** null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly done: Promise<ChildResult>;
  /** Resolves once stdout or stderr (so far, or later) matches; rejects if the run ends first. */
  waitFor(pattern: RegExp): Promise<void>;
}

export interface RunningChild extends RunningCli {
  readonly child: ChildProcess;
}

export function startCli(args: readonly string[], env: Readonly<Record<string, string>>, cwd?: string): RunningChild {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = watched(args);
  child.stdout!.on('data', (chunk: Buffer) => output.add('stdout', chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.add('stderr', chunk.toString()));
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, ...output.text() }));
  });
  return { child, done, waitFor: output.waitFor(done) };
}

export const runCli = (args: readonly string[], env: Readonly<Record<string, string>>, cwd?: string): Promise<ChildResult> =>
  startCli(args, env, cwd).done;

/** `main(args)` in this process, with the same handle as a child. */
export function startInProcess(args: readonly string[], env: Readonly<Record<string, string>>, cwd: string): RunningCli {
  const output = watched(args);
  const io = { stdout: (t: string) => output.add('stdout', t), stderr: (t: string) => output.add('stderr', t), isTty: false, cwd, env };
  const done = main(args, io).then((code) => ({ code, signal: null, ...output.text() }));
  return { done, waitFor: output.waitFor(done) };
}

function watched(args: readonly string[]) {
  const text = { stdout: '', stderr: '' };
  const watchers = new Set<() => void>();
  return {
    add(stream: 'stdout' | 'stderr', chunk: string) {
      text[stream] += chunk;
      watchers.forEach((check) => check());
    },
    text: () => ({ ...text }),
    waitFor: (done: Promise<ChildResult>) => (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(text.stdout) && !pattern.test(text.stderr)) return;
          watchers.delete(check);
          resolve();
        };
        watchers.add(check);
        check();
        void done.then((r) => {
          if (watchers.delete(check)) reject(new Error(`platon-db ${args[0]} ended (${r.code ?? r.signal}) before printing ${pattern}:\n${r.stdout}\n${r.stderr}`));
        });
      }),
  };
}
