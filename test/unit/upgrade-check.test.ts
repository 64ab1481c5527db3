/** Upgrade readiness against the shipped catalogs: pure, on declared and installed extensions. */
import { describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../src/load/catalogs.js';
import { checkUpgrade, compareVersions } from '../../src/upgrade/check.js';
import { renderUpgradeCheckText } from '../../src/render/upgrade-check.js';

const catalogs = loadCatalogs();
const check = (to: number, extensions: { name: string; version?: string }[], preload: string[] = []) =>
  checkUpgrade({ instance: 'shared-pg15', from: 15, to: catalogs.get(to)!, live: true, databases: [{ name: 'shop', team: 'shop-team', extensions }], preload });
const kinds = (to: number, extensions: { name: string; version?: string }[], preload?: string[]) =>
  check(to, extensions, preload).databases[0]!.findings.map((f) => `${f.kind}:${f.extension}`);

describe('upgrade-check', () => {
  it('ships catalogs for 15, 16 and 17', () => {
    expect([...catalogs.keys()].sort()).toEqual([15, 16, 17]);
  });

  it('is ready for extensions the target offers at the same version', () => {
    const result = check(16, [{ name: 'plpgsql', version: '1.0' }, { name: 'pg_trgm', version: '1.6' }, { name: 'citext', version: '1.6' }]);
    expect(result.ready).toBe(true);
    expect(result.databases[0]!.findings).toEqual([]);
  });

  it('blocks on an extension the target no longer offers (old_snapshot left PostgreSQL 17)', () => {
    const result = check(17, [{ name: 'old_snapshot', version: '1.0' }]);
    expect(result.ready).toBe(false);
    expect(result.databases[0]!.findings[0]!.message).toContain('not offered on PostgreSQL 17');
    expect(check(16, [{ name: 'old_snapshot', version: '1.0' }]).ready).toBe(true);
  });

  it('names the blocked databases in a sentence that agrees with their number', () => {
    const blocked = (names: string[]) =>
      renderUpgradeCheckText(
        checkUpgrade({ instance: 'shared-pg15', from: 15, to: catalogs.get(17)!, live: true, databases: names.map((name) => ({ name, extensions: [{ name: 'old_snapshot', version: '1.0' }] })), preload: [] }),
      );
    expect(blocked(['new_db'])).toContain('Not ready: new_db uses extensions PostgreSQL 17 does not offer.');
    expect(blocked(['a', 'b'])).toContain('Not ready: a, b use extensions PostgreSQL 17 does not offer.');
  });

  it('asks for ALTER EXTENSION UPDATE where the target installs a newer version', () => {
    expect(kinds(16, [{ name: 'fuzzystrmatch', version: '1.1' }])).toEqual(['update:fuzzystrmatch']);
    expect(kinds(17, [{ name: 'pg_stat_statements', version: '1.10' }], ['pg_stat_statements'])).toEqual(['update:pg_stat_statements']);
    // From the files there is no version, so no update advice.
    expect(kinds(16, [{ name: 'fuzzystrmatch' }])).toEqual([]);
  });

  it('passes on PostGIS upgrade steps, unconfirmed offers and preload needs', () => {
    expect(kinds(17, [{ name: 'postgis', version: '3.3.2' }, { name: 'h3' }, { name: 'pg_cron' }])).toEqual([
      'note:postgis',
      'unconfirmed:h3',
      'preload:pg_cron',
    ]);
  });

  it("says so when it could not connect into a database (its owner set ALLOW_CONNECTIONS false or CONNECTION LIMIT 0): the file's list is not what is installed", () => {
    const result = checkUpgrade({
      instance: 'shared-pg15',
      from: 15,
      to: catalogs.get(16)!,
      live: true,
      databases: [{ name: 'locked', team: 'locked-team', extensions: [{ name: 'pg_trgm' }], unreadable: true }],
      preload: [],
    });
    expect(result.databases[0]!.findings.map((f) => f.kind)).toEqual(['unconfirmed']);
    const text = renderUpgradeCheckText(result);
    expect(text).not.toContain('locked (locked-team): ready');
    expect(text).toContain("  confirm: could not connect into locked to read its installed extensions (its owner can refuse connections), so its file's list was checked instead");
  });

  it.each([
    ['1.10', '1.9', 1],
    ['1.2', '1.2', 0],
    ['3.3.2', '3.4.0', -1],
    ['1.0', '1', 0],
  ])('compares %s with %s as %d', (a, b, sign) => {
    expect(compareVersions(a, b)).toBe(sign);
  });
});
