import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// PLATON_TEST_ONLY (absolute paths, comma-separated): run just those files, with this same config
// and global setup. test/integration/exit-codes.test.ts uses it to run deliberately failing files
// through `npm test` without putting them where the real suite would find them.
const only = process.env.PLATON_TEST_ONLY?.split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: only ?? ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // One embedded PostgreSQL 15 per run (or PLATON_DATABASE_URL); see test/support/global-setup.ts.
    globalSetup: ['test/support/global-setup.ts'],
    // vitest's default is one worker per core minus one: a single worker on a 2-core CI machine,
    // so files ran one after another. Most files wait on PostgreSQL or child processes, not on
    // this process's CPU, so one more worker than cores keeps both cores busy.
    maxWorkers: availableParallelism() + 1,
    testTimeout: 60_000,
    // The default output, plus one line naming skipped tests and what they need (fails under CI).
    reporters: ['default', './test/support/skip-summary.ts'],
    // The AWS SDK warns once per process that it will need Node 22 from 2027 (STACK.md).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    hookTimeout: 120_000,
  },
});
