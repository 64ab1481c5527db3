/**
 * One apply at a time per instance: a session-level advisory lock held on its own connection for
 * the whole run. A second run says it is waiting, then gives up with a clear message.
 */
import type pg from 'pg';
import type { Connector } from '../adapters/postgres/connector.js';

export class LockTimeoutError extends Error {
  constructor(readonly instance: string, readonly waitedSeconds: number) {
    super(`another platon-db run holds the apply lock on instance ${instance}; gave up after ${waitedSeconds} s`);
    this.name = 'LockTimeoutError';
  }
}

export interface LockOptions {
  readonly instance: string;
  readonly timeoutMs: number;
  /** Told once when the lock is busy, so the user knows why nothing happens. */
  readonly onWait?: (message: string) => void;
  readonly pollMs?: number;
}

/** Both keys come from the instance name, so different instances never block each other. */
const LOCK_SQL = `SELECT pg_try_advisory_lock(hashtext('platon-db'), hashtext($1)) AS locked`;
const UNLOCK_SQL = `SELECT pg_advisory_unlock(hashtext('platon-db'), hashtext($1))`;

export async function withApplyLock<T>(connector: Connector, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const client = await connector.connect();
  try {
    await acquire(client, options);
    try {
      return await fn();
    } finally {
      await client.query(UNLOCK_SQL, [options.instance]).catch(() => undefined);
    }
  } finally {
    // Ending the session releases the lock too, also when the process is killed.
    await client.end().catch(() => undefined);
  }
}

async function acquire(client: pg.Client, options: LockOptions): Promise<void> {
  const started = Date.now();
  let told = false;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>(LOCK_SQL, [options.instance]);
    if (rows[0]?.locked) return;
    const waited = Date.now() - started;
    if (waited >= options.timeoutMs) throw new LockTimeoutError(options.instance, Math.round(waited / 1000));
    if (!told) {
      options.onWait?.(
        `another platon-db run is applying to instance ${options.instance}; waiting up to ${Math.round(options.timeoutMs / 1000)} s`,
      );
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
