/** The local instance: the embedded PostgreSQL that `npm start` and `--instance local` use. */
import type { InstanceSpec } from '../model/spec.js';
import type { Endpoint } from '../apply/secrets.js';
import { startLocalPostgres } from '../adapters/postgres/local-postgres.js';
import { UserError } from '../cli/user-error.js';

export interface LocalInstance {
  readonly adminUrl: string;
  readonly endpoint: Endpoint;
  readonly stop: () => Promise<void>;
}

export async function startLocalInstance(root: string, instance: InstanceSpec, log: (message: string) => void): Promise<LocalInstance> {
  try {
    const server = await startLocalPostgres({
      root,
      port: instance.connection.port,
      adminUser: instance.connection.adminUser,
      adminDatabase: instance.connection.adminDatabase,
      progress: log,
    });
    return { adminUrl: server.adminUrl, endpoint: { host: server.host, port: server.port }, stop: () => server.stop() };
  } catch (error) {
    throw new UserError(`could not start the local instance: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'see .platon/postgres.log; another process may be using the port in instances/local.yaml',
      cause: error,
    });
  }
}
