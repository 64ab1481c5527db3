/**
 * A separate process that writes one secret with compare-and-set and prints `won` or `conflict`:
 * `node bin/run-ts.js test/support/secret-writer.ts <root> <expectedVersion> <password>`.
 * It prints `ready` once loaded and writes when a line arrives on stdin, so that a test can
 * release several writers at the same moment. Proves the file store's lock holds across
 * processes, not only within one.
 */
import { once } from 'node:events';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { buildCredentials } from '../../src/adapters/secrets/credentials.js';
import { SecretConflictError } from '../../src/model/secret-store.js';

const [root, expected, password] = process.argv.slice(2);
const store = new FileSecretStore(
  { store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' },
  { root: root!, instance: 'local' },
);
const ref = store.refFor('race', 'rw');
const credentials = buildCredentials({ username: 'race_rw', password: password!, host: 'h', port: 5432, database: 'race' });
process.stdout.write('ready\n');
await once(process.stdin, 'data');
try {
  await store.write(ref, credentials, Number(expected));
  process.stdout.write('won\n');
} catch (error) {
  if (!(error instanceof SecretConflictError)) throw error;
  process.stdout.write('conflict\n');
}
process.stdin.destroy();
