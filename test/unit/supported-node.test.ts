/**
 * Node 20 reached end of life in April 2026: what we promise, and what every workflow runs on, are
 * the supported LTS lines (22 and 24). npm warns (EBADENGINE) when a dependency needs more than the
 * Node it runs on; a supported line must not get such a warning from our lockfile.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import semver from 'semver';

const ROOT = join(import.meta.dirname, '..', '..');
const SUPPORTED = ['22.12.0', '24.0.0'];
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));

describe('supported Node versions', () => {
  it('package.json engines admits the supported LTS lines and not the end-of-life Node 20', () => {
    for (const version of SUPPORTED) expect(semver.satisfies(version, pkg.engines.node), version).toBe(true);
    expect(semver.satisfies('20.19.0', pkg.engines.node)).toBe(false);
  });

  it('every workflow that sets up Node uses a supported line', () => {
    const dir = join(ROOT, '.github', 'workflows');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
      const versions = [...readFileSync(join(dir, file), 'utf8').matchAll(/node-version:\s*['"]?(\d+)/g)].map((m) => Number(m[1]));
      for (const major of versions) expect([22, 24], `${file} node-version ${major}`).toContain(major);
    }
  });

  it('no installed package needs a newer Node than the oldest supported line (npm would warn EBADENGINE)', () => {
    // Only what npm ci installs here: optional packages for other platforms are skipped, unwarned.
    const needsMore = Object.entries(lock.packages as Record<string, { engines?: { node?: string } | string[] }>)
      .filter(([path, p]) => path !== '' && existsSync(join(ROOT, path)) && p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !semver.satisfies(SUPPORTED[0]!, (p.engines as { node: string }).node, { includePrerelease: true }))
      .map(([path, p]) => `${path} ${(p.engines as { node: string }).node}`);
    expect(needsMore).toEqual([]);
  });
});
