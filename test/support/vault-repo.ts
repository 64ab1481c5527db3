/**
 * A throwaway platon-db repository whose one instance is shaped like instances/shared-pg15.yaml
 * (kind rds, secrets in Vault KV v2) but points at the test PostgreSQL and the Vault double.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface VaultRepoOptions {
  readonly instance: string;
  readonly vaultAddress: string;
  /** The admin URL: its host and port become the instance endpoint written into credentials. */
  readonly adminUrl: string;
  readonly databases: readonly { readonly name: string; readonly readOnly: boolean }[];
  readonly auth?: string;
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
kind: rds
postgresMajor: 15
connection:
  host: ${hostname}
  port: ${port}
  adminUser: platon_admin
  adminDatabase: postgres
aws:
  region: eu-north-1
  dbInstanceIdentifier: ${options.instance}
  allowlistSecurityGroupIds: [sg-0123456789abcdef0]
baselineNetworks:
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
  for (const db of options.databases) {
    await writeFile(
      join(root, 'databases', `${db.name}.yaml`),
      `name: ${db.name}
team: ${db.name.replace(/_/g, '-')}
project: ${db.name}
contact: ${db.name.replace(/_/g, '-')}@example.org
users:
  readOnly: ${db.readOnly}
`,
    );
  }
  return root;
}
