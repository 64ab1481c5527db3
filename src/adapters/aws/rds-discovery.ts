/**
 * What RDS says about an instance: DescribeDBInstances for endpoint, engine version, attached
 * security groups and public access; DescribeDBParameters (paginated) for the three parameters
 * that decide what the plan may do. Read-only.
 */
import { DescribeDBInstancesCommand, DescribeDBParametersCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { RdsFacts } from '../../model/rds.js';
import { AwsError, attempt } from './errors.js';

export interface RdsDiscoveryOptions {
  readonly identifier: string;
  readonly region: string;
}

const FORCE_SSL = 'rds.force_ssl';
const PRELOAD = 'shared_preload_libraries';
const ALLOWED_EXTENSIONS = 'rds.allowed_extensions';
const WANTED = [FORCE_SSL, PRELOAD, ALLOWED_EXTENSIONS];

export class RdsDiscovery {
  constructor(
    private readonly client: RDSClient,
    private readonly options: RdsDiscoveryOptions,
  ) {}

  async discover(): Promise<RdsFacts> {
    const { identifier, region } = this.options;
    const call = { permission: 'rds:DescribeDBInstances', target: `RDS instance ${identifier}`, region };
    const output = await attempt(call, () => this.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier })));
    const db = output?.DBInstances?.[0];
    if (!db) throw new AwsError(`RDS reports no instance ${identifier} in ${region}`, 'aws.not-found', 'check aws.dbInstanceIdentifier and aws.region in the instance file', undefined);
    const group = db.DBParameterGroups?.[0];
    const values = group?.DBParameterGroupName ? await this.parameters(group.DBParameterGroupName) : new Map<string, string>();
    const preload = values.get(PRELOAD);
    const allowed = values.get(ALLOWED_EXTENSIONS);
    return {
      identifier,
      engine: db.Engine ?? '',
      engineVersion: db.EngineVersion ?? '',
      ...(db.Endpoint?.Address ? { endpoint: { host: db.Endpoint.Address, port: db.Endpoint.Port ?? db.DbInstancePort ?? 5432 } } : {}),
      securityGroups: (db.VpcSecurityGroups ?? []).map((g) => ({ id: g.VpcSecurityGroupId ?? '', status: g.Status ?? '' })),
      publiclyAccessible: db.PubliclyAccessible ?? false,
      ...(group?.DBParameterGroupName ? { parameterGroup: { name: group.DBParameterGroupName, applyStatus: group.ParameterApplyStatus ?? '' } } : {}),
      parameters: {
        ...(values.has(FORCE_SSL) ? { forceSsl: values.get(FORCE_SSL)! } : {}),
        ...(preload === undefined ? {} : { sharedPreloadLibraries: list(preload) }),
        ...(allowed === undefined ? {} : { allowedExtensions: allowed.trim() === '*' ? ('*' as const) : list(allowed) }),
      },
    };
  }

  /** The wanted parameters that have a value; pages stop once all three are found. */
  private async parameters(group: string): Promise<Map<string, string>> {
    const call = { permission: 'rds:DescribeDBParameters', target: `parameter group ${group}`, region: this.options.region };
    const values = new Map<string, string>();
    let marker: string | undefined;
    do {
      const input = { DBParameterGroupName: group, MaxRecords: 100, ...(marker ? { Marker: marker } : {}) };
      const page = await attempt(call, () => this.client.send(new DescribeDBParametersCommand(input)));
      for (const p of page?.Parameters ?? []) {
        if (p.ParameterName && WANTED.includes(p.ParameterName) && p.ParameterValue !== undefined) values.set(p.ParameterName, p.ParameterValue);
      }
      marker = page?.Marker;
    } while (marker && values.size < WANTED.length);
    return values;
  }
}

/** `pg_stat_statements, pg_cron` -> both names. */
const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
