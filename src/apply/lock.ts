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

/** The session holding the lock ended (terminated, timed out, network): another run may start. */
export class LockLostError extends Error {
  constructor(readonly instance: string) {
    super(`the apply lock on instance ${instance} was lost (the session holding it ended): stopped here, so that no other run applies at the same time`);
    this.name = 'LockLostError';
  }
}

/** Given to the work done under the lock. */
export interface HeldLock {
  /** Throws LockLostError once the session holding the lock has ended; cheap, call it before each step. */
  readonly assertHeld: () => void;
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

export async function withApplyLock<T>(connector: Connector, options: LockOptions, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  const client = await connector.connect();
  // A lock lives as long as its session. Measured (test/integration/faults.test.ts): with the
  // session terminated mid-apply, the apply used to carry on unprotected to the end.
  let lost = false;
  const onLost = () => void (lost = true);
  client.on('error', onLost);
  client.on('end', onLost);
  const lock: HeldLock = {
    assertHeld: () => {
      if (lost) throw new LockLostError(options.instance);
    },
  };
  try {
    // The session is idle for the whole apply: a server-side idle_session_timeout must not end it.
    await client.query('SET idle_session_timeout = 0').catch(() => undefined);
    await acquire(client, options);
    try {
      return await fn(lock);
    } finally {
      if (!lost) await client.query(UNLOCK_SQL, [options.instance]).catch(() => undefined);
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
