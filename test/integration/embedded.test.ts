/** Failures of the embedded server explain themselves (its own log lines are in the error). */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgresError, startEmbedded } from '../../src/adapters/postgres/embedded.js';
import { adminUrl, superuserUrl } from '../support/postgres.js';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'platon-embedded-'));
  await chmod(base, 0o755); // as root the server runs as `postgres`, which must enter it
});
afterAll(() => rm(base, { recursive: true, force: true }));

const options = { superuserPassword: 'su-Password-1', admin: { user: 'platon_admin', password: 'admin-Password-1' }, initdbFlags: ['--no-sync'] };

describe('startEmbedded', () => {
  // The run's own server holds its port, so a second server cannot bind it.
  it.skipIf(!superuserUrl())('says why it did not start, from the server log, and leaves no throwaway data', async () => {
    const dataDir = join(base, 'busy');
    const port = Number(new URL(adminUrl()).port);
    const started = startEmbedded({ ...options, dataDir, port, persistent: false });
    await expect(started).rejects.toBeInstanceOf(EmbeddedPostgresError);
    await expect(started).rejects.toThrow(new RegExp(`did not start on port ${port}[^]*Address already in use`));
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses a folder that is neither empty nor a cluster, and an admin named like the superuser', async () => {
    const notACluster = join(base, 'not-a-cluster');
    await mkdir(notACluster);
    await writeFile(join(notACluster, 'notes.txt'), 'mine');
    await expect(startEmbedded({ ...options, dataDir: notACluster, persistent: true })).rejects.toThrow(/neither empty nor a PostgreSQL data folder/);
    await expect(
      startEmbedded({ ...options, admin: { user: 'postgres', password: 'x' }, dataDir: join(base, 'x'), persistent: false }),
    ).rejects.toThrow(/cannot be named postgres/);
  });
});
