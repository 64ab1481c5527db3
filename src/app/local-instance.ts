/** The local instance: the embedded PostgreSQL that `npm start` and `--instance local` use. */
import type { InstanceSpec } from '../model/spec.js';
import type { Endpoint } from '../apply/secrets.js';
import { LocalInstanceBusyError, openLocalPostgres } from '../adapters/postgres/local-postgres.js';
import { UserError } from '../model/user-error.js';

export interface LocalInstance {
  readonly adminUrl: string;
  readonly endpoint: Endpoint;
  /** Whether a running `platon-db local-server` serves it (stop then leaves it running). */
  readonly shared: boolean;
  readonly stop: () => Promise<void>;
}

export interface LocalInstanceOptions {
  /** For `local-server`: other runs connect to this one while it runs, instead of starting their own. */
  readonly serve?: boolean;
}

/** Starts the local instance, or connects to the one a `platon-db local-server` keeps running. */
export async function startLocalInstance(root: string, instance: InstanceSpec, log: (message: string) => void, options: LocalInstanceOptions = {}): Promise<LocalInstance> {
  try {
    const server = await openLocalPostgres({
      root,
      port: instance.connection.port,
      adminUser: instance.connection.adminUser,
      adminDatabase: instance.connection.adminDatabase,
      progress: log,
      ...(options.serve ? { serve: true } : {}),
    });
    if (server.shared) log(`using the local instance that platon-db local-server runs on ${server.host}:${server.port}`);
    return { adminUrl: server.adminUrl, endpoint: { host: server.host, port: server.port, tls: false }, shared: server.shared, stop: () => server.stop() };
  } catch (error) {
    const message = `could not start the local instance: ${error instanceof Error ? error.message : String(error)}`;
    if (error instanceof LocalInstanceBusyError) {
      throw new UserError(message, {
        hint: options.serve
          ? 'stop that run first (a local-server: Ctrl-C in its terminal); while a local-server runs, other commands use it'
          : 'wait for that run to finish and try again; to share one running instance between commands, keep `npx platon-db local-server` running in another terminal',
        cause: error,
      });
    }
    throw new UserError(message, { hint: 'see .platon/postgres.log; another process may be using the port in instances/local.yaml', cause: error });
  }
}
