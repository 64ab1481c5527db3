/**
 * A throwaway repository with one instance of kind `local` (file secret store under the repo) and
 * the given database files. With PLATON_DATABASE_URL set, plan and apply run it on the test
 * server; a name of its own per repository gives it its own apply lock, so repositories can be
 * applied side by side.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { adminUrl } from './postgres.js';
import { dataParent } from './test-server.js';

const LOCAL_INSTANCE = join(import.meta.dirname, '..', '..', 'instances', 'local.yaml');

export interface DatabaseFile {
  readonly name: string;
  readonly readOnly?: boolean;
  readonly extensions?: readonly string[];
}

const made: string[] = [];
// In RAM (see dataParent): removed when the test file ends.
afterAll(() => Promise.all(made.splice(0).map((root) => rm(root, { recursive: true, force: true }))));

export async function writeLocalRepo(instance: string, databases: readonly DatabaseFile[]): Promise<string> {
  const root = await mkdtemp(join(await dataParent(), 'platon-db-repo-'));
  made.push(root);
  await mkdir(join(root, 'instances'));
  await mkdir(join(root, 'databases'));
  const admin = decodeURIComponent(new URL(adminUrl()).username);
  const local = (await readFile(LOCAL_INSTANCE, 'utf8'))
    .replace(/^name: local$/m, `name: ${instance}`)
    .replace(/^default: false$/m, 'default: true')
    .replace(/^( {2}adminUser:) .*$/m, `$1 ${admin}`);
  await writeFile(join(root, 'instances', `${instance}.yaml`), local);
  for (const db of databases) await writeFile(join(root, 'databases', `${db.name}.yaml`), databaseYaml(db));
  return root;
}

/**
 * The latest password the file secret store of a repository (as `local.yaml` keeps it, under
 * .platon/secrets) holds for `database`'s `user`: what the team reads to log in.
 */
export async function storedPassword(root: string, instance: string, database: string, user: 'rw' | 'ro' = 'rw'): Promise<string> {
  const store = new FileSecretStore({ store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' }, { root, instance });
  const stored = await store.read(store.refFor(database, user));
  if (!stored) throw new Error(`no ${user} secret for ${database} in ${root}`);
  return stored.credentials.password;
}

export function databaseYaml(db: DatabaseFile): string {
  const extensions = db.extensions?.length ? `extensions: [${db.extensions.join(', ')}]\n` : '';
  return `name: ${db.name}\nteam: test-team\nproject: ${db.name}\ncontact: test-team@example.org\nusers:\n  readOnly: ${db.readOnly ?? true}\n${extensions}`;
}

/** `count` databases `<prefix>_d00`, `<prefix>_d01`, ...: a mix of read-only users and extensions. */
export function manyDatabases(prefix: string, count: number): DatabaseFile[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}_d${String(i).padStart(2, '0')}`,
    readOnly: i % 3 !== 2,
    extensions: i % 4 === 0 ? ['citext', 'pg_trgm'] : i % 4 === 1 ? ['uuid-ossp'] : [],
  }));
}
