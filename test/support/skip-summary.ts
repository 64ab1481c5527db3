/**
 * A vitest reporter beside the default one: after the run, one line naming every skipped test file
 * and what installs what it needs. In CI (`CI=true`) a skipped test fails the run: `.ci/run`
 * installs everything the skipping tests need, so a skip there means a check silently did not run.
 * (A run filtered on purpose, `-t` or `.only`, is not CI's.)
 */
import type { Reporter, TestModule } from 'vitest/node';

/** What each file's skips need, and the Debian package that brings it. */
const NEEDS: ReadonlyArray<{ readonly file: RegExp; readonly need: string; readonly pkg?: string }> = [
  { file: /report-browser\.test\.ts$/, need: 'Chromium', pkg: 'chromium' },
  { file: /(move|connection-script)\.test\.ts$/, need: 'PostgreSQL 15 client tools (psql, pg_dump, pg_restore)', pkg: 'postgresql-client-15' },
];
const SUPERUSER_NOTE = 'the superuser of the embedded server (absent with PLATON_DATABASE_URL)';

export default class SkipSummary implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const skipped = new Map<string, number>();
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        if (test.result().state !== 'skipped' || test.options.mode === 'todo') continue;
        const file = module.relativeModuleId;
        skipped.set(file, (skipped.get(file) ?? 0) + 1);
      }
    }
    if (skipped.size === 0) return;
    const needs = new Set<string>();
    const packages = new Set<string>();
    const files = [...skipped].map(([file, count]) => {
      const known = NEEDS.find((entry) => entry.file.test(file));
      needs.add(known?.need ?? SUPERUSER_NOTE);
      if (known?.pkg) packages.add(known.pkg);
      return `${file} (${count})`;
    });
    const total = [...skipped.values()].reduce((a, b) => a + b, 0);
    const install = packages.size ? `; install with: sudo apt-get install -y ${[...packages].join(' ')} (or run .ci/run as root)` : '';
    console.log(`\nSkipped ${total} test${total === 1 ? '' : 's'} in ${files.join(', ')}: they need ${[...needs].join(' and ')}${install}`);
    if (process.env.CI === 'true' && !process.env.PLATON_ALLOW_SKIPS) {
      console.log('CI=true: a skipped test is a check that did not run, so this run fails (PLATON_ALLOW_SKIPS=1 to allow).');
      process.exitCode = 1;
    }
  }
}
