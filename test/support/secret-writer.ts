/**
 * A separate process that writes one secret with compare-and-set and prints `won` or `conflict`:
 * `node bin/run-ts.js test/support/secret-writer.ts <root> <expectedVersion> <password> <startAtMs>`.
 * Both processes wait until `startAtMs` so that their writes really overlap.
 * Used to prove the file store's lock holds across processes, not only within one.
 */
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { buildCredentials } from '../../src/adapters/secrets/credentials.js';
import { SecretConflictError } from '../../src/model/secret-store.js';

const [root, expected, password, startAt] = process.argv.slice(2);
const store = new FileSecretStore(
  { store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' },
  { root: root!, instance: 'local' },
);
const ref = store.refFor('race', 'rw');
const credentials = buildCredentials({ username: 'race_rw', password: password!, host: 'h', port: 5432, database: 'race' });
await new Promise((resolve) => setTimeout(resolve, Number(startAt) - Date.now()));
try {
  await store.write(ref, credentials, Number(expected));
  process.stdout.write('won');
} catch (error) {
  if (!(error instanceof SecretConflictError)) throw error;
  process.stdout.write('conflict');
}
