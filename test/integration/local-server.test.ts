/**
 * `platon-db local-server` in a process of its own: while it runs, other commands with
 * `--instance local` use its server instead of failing on the instance's lock, and Ctrl-C stops
 * it, removes its lock and says so.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/adapters/postgres/free-port.js';
import { localDataDir } from '../../src/adapters/postgres/local-postgres.js';
import { postmasterState, stopPostmaster } from '../../src/adapters/postgres/postmaster.js';
import { cli, tempRepository } from '../support/cli.js';
import { startCli } from '../support/cli-child.js';

describe('platon-db local-server', () => {
  it('serves the other --instance local commands while it runs, and stops cleanly on Ctrl-C; local-run says which', async () => {
    const root = tempRepository();
    const port = await freePort();
    const instanceFile = join(root, 'instances', 'local.yaml');
    writeFileSync(instanceFile, readFileSync(instanceFile, 'utf8').replace(/^( {2}port:) \d+$/m, `$1 ${port}`));
    const dataDir = await localDataDir(root);
    const server = startCli(['local-server', '--root', root], {});
    // Not the test server: the local instance of this repository.
    const local = (...args: string[]) => cli([...args, '--root', root, '--instance', 'local'], { PLATON_DATABASE_URL: '' });
    try {
      await server.waitFor(/Press Ctrl-C/);
      for (let run = 0; run < 2; run++) {
        const plan = await local('plan');
        expect(plan.err).toContain(`using the local instance that platon-db local-server runs on 127.0.0.1:${port}`);
        expect(plan.code, plan.err).toBe(0);
      }
      // npm start on the served instance: the second run has nothing to apply, and the server stays up.
      await local('local-run');
      const again = await local('local-run');
      expect(again.code, again.err).toBe(0);
      expect(again.out).toContain('== 3/4 apply ==\nNothing to apply.\n');
      expect(again.out).toContain(`the local instance listens on 127.0.0.1:${port}.`);

      const second = await cli(['local-server', '--root', root], { PLATON_DATABASE_URL: '' });
      expect(second.code).toBe(1);
      expect(second.err).toContain('hint: stop that run first');

      server.child.kill('SIGINT');
      const stopped = await server.done;
      expect(stopped.stdout).toContain('Stopped.\n');
      expect(stopped.code).toBe(0);
      expect(existsSync(join(root, '.platon', 'local-postgres.lock'))).toBe(false);
      expect(existsSync(join(root, '.platon', 'local-server.json'))).toBe(false);
      expect((await postmasterState(dataDir)).state).not.toBe('running');

      // Without a local-server, a run starts the instance itself and stops it when it ends.
      const alone = await local('local-run');
      expect(alone.code, alone.err).toBe(0);
      expect(alone.out).toContain(`the local instance (127.0.0.1:${port}) has stopped with this run; to keep it running, e.g. to connect with psql, run \`npx platon-db local-server\`.`);
    } finally {
      server.child.kill('SIGKILL');
      const state = await postmasterState(dataDir);
      if (state.state === 'running') await stopPostmaster(state.pid);
      rmSync(root, { recursive: true, force: true });
      if (!dataDir.startsWith(root)) rmSync(join(dataDir, '..'), { recursive: true, force: true });
    }
  });
});
