/**
 * A retired database whose file now says `state: dropped` is not dropped without
 * `--allow-destroy`. Until someone does, the instance still differs from git: `plan
 * --detailed-exitcode` exits 2 (as for any change), which is what the scheduled drift check
 * reads, and the plan says what is waiting.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseYaml, writeLocalRepo } from '../support/local-repo.js';
import { adminUrl, dropPrefixed, uniquePrefix } from '../support/postgres.js';
import { runCli } from '../support/run-cli.js';

const prefix = uniquePrefix(import.meta.url);
const name = `${prefix}_shop`;
afterAll(() => dropPrefixed(prefix));

describe('a drop waiting for --allow-destroy', () => {
  it('is pending work: plan --detailed-exitcode exits 2 and names it; after the drop, 0', async () => {
    const root = await writeLocalRepo(`dp-${prefix.slice(-6)}`, [{ name }]);
    const env = { PLATON_DATABASE_URL: adminUrl(), PLATON_COMMIT: 'c0ffee' };
    const cli = (...args: string[]) => runCli([...args, '--root', root], { cwd: root, env });
    const file = join(root, 'databases', `${name}.yaml`);
    expect((await cli('apply', '--auto-approve')).code).toBe(0);
    await writeFile(file, `${databaseYaml({ name })}state: retired\n`);
    expect((await cli('apply', '--auto-approve')).code).toBe(0);
    expect((await cli('plan', '--detailed-exitcode')).code).toBe(0);

    await writeFile(file, `${databaseYaml({ name })}state: dropped\n`);
    const pending = await cli('plan', '--detailed-exitcode');
    expect(pending.code, pending.out + pending.err).toBe(2);
    expect(pending.out).toContain(`database ${name} is retired and its file says dropped`);

    expect((await cli('apply', '--auto-approve', '--allow-destroy')).code).toBe(0);
    expect((await cli('plan', '--detailed-exitcode', '--allow-destroy')).code).toBe(0);
  });
});
