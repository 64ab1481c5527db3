/**
 * A throwaway platon-db repository whose one instance keeps its secrets in Vault KV v2 like
 * instances/shared-pg15.yaml, at the Vault double, on the test PostgreSQL. It is `kind: local` so
 * that plan and apply keep the allowlist in a file instead of asking AWS (which an RDS instance
 * needs); which secret store an instance uses does not depend on its kind.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminUrl, dropPrefixed } from './postgres.js';
import { VaultDouble } from './vault-double.js';

export interface VaultRepoOptions {
  readonly instance: string;
  readonly vaultAddress: string;
  /** The admin URL: its host and port become the instance endpoint written into credentials. */
  readonly adminUrl: string;
  readonly databases: readonly { readonly name: string; readonly readOnly: boolean }[];
  readonly auth?: string;
  /** Makes it `kind: rds` with this allowlist security group (for tests with an AWS double). */
  readonly awsSecurityGroup?: string;
}

export async function writeVaultRepo(options: VaultRepoOptions): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'platon-db-vault-repo-'));
  await mkdir(join(root, 'instances'));
  await mkdir(join(root, 'databases'));
  const { hostname, port } = new URL(options.adminUrl);
  await writeFile(
    join(root, 'instances', `${options.instance}.yaml`),
    `name: ${options.instance}
default: true
kind: ${options.awsSecurityGroup ? 'rds' : 'local'}
postgresMajor: 15
connection:
  host: ${hostname}
  port: ${port}
  adminUser: platon_admin
  adminDatabase: postgres
${options.awsSecurityGroup ? `aws:\n  region: eu-north-1\n  dbInstanceIdentifier: ${options.instance}\n  allowlistSecurityGroupIds: [${options.awsSecurityGroup}]\n` : ''}baselineNetworks:
  - cidr: 198.51.100.0/24
    description: Office network
externalNetworkPolicy:
  minIpv4PrefixLength: 16
  minIpv6PrefixLength: 48
limits:
  backupRetentionDays: 30
  defaultConnectionLimit: 20
  maxConnectionLimit: 100
  rulesPerSecurityGroup: 60
secrets:
  store: vault
  address: ${options.vaultAddress}
  mount: secret
  pathTemplate: platon/rds/{instance}/{database}/{user}
  auth:
    ${options.auth ?? 'method: token'}
preloadLibraries: [pg_stat_statements]
`,
  );
  for (const db of options.databases) await writeDatabaseFile(root, db.name, db.readOnly);
  return root;
}

/** Adds (or replaces) `databases/<name>.yaml`; returns its path so a test can remove it again. */
export async function writeDatabaseFile(root: string, name: string, readOnly: boolean): Promise<string> {
  const team = name.replace(/_/g, '-');
  const file = join(root, 'databases', `${name}.yaml`);
  await writeFile(file, `name: ${name}\nteam: ${team}\nproject: ${name}\ncontact: ${team}@example.org\nusers:\n  readOnly: ${readOnly}\n`);
  return file;
}

export interface VaultWorld {
  readonly vault: VaultDouble;
  readonly root: string;
  /** PLATON_DATABASE_URL, VAULT_TOKEN and a fixed commit: what a command gets as its env. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the double, drops the databases and roles named `<prefix>...`, removes the repo. */
  readonly close: () => Promise<void>;
}

/** A Vault double and a repository whose instance uses it, for `<prefix>_shop` (with ro) and `<prefix>_blog`. */
export async function vaultWorld(prefix: string, instance: string): Promise<VaultWorld> {
  const vault = await VaultDouble.start();
  const root = await writeVaultRepo({
    instance,
    vaultAddress: vault.address,
    adminUrl: adminUrl(),
    databases: [
      { name: `${prefix}_shop`, readOnly: true },
      { name: `${prefix}_blog`, readOnly: false },
    ],
  });
  const env = { PLATON_DATABASE_URL: adminUrl(), VAULT_TOKEN: vault.issueToken(), PLATON_COMMIT: 'c0ffee' };
  const close = async () => {
    await vault.stop();
    await dropPrefixed(prefix);
    await rm(root, { recursive: true, force: true });
  };
  return { vault, root, env, close };
}
