/**
 * A local HTTP server that answers the few AWS calls platon-db makes, in their query-protocol
 * XML, so the real SDK (signing, parsing, the retry loop) runs against it: the CLI in a test gets
 * `AWS_ENDPOINT_URL_RDS` and `AWS_ENDPOINT_URL_EC2` pointing here, and fake static credentials.
 * RDS: DescribeDBInstances, DescribeDBParameters. EC2: DescribeSecurityGroupRules,
 * AuthorizeSecurityGroupIngress, RevokeSecurityGroupIngress, ModifySecurityGroupRules, with the
 * rules kept in memory. `fault` answers an action with throttling or access denied instead.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AwsFault = 'throttle' | 'deny';

export interface AwsInstance {
  readonly identifier: string;
  readonly host: string;
  readonly port: number;
  readonly groupId: string;
}

interface Rule {
  readonly id: string;
  readonly cidr: string;
  readonly port: number;
  description: string;
}

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export class AwsDouble {
  /** Every call, in order: the action names. */
  readonly calls: string[] = [];
  readonly rules: Rule[] = [];
  fault: ((action: string) => AwsFault | undefined) | undefined;
  private next = 1;

  private constructor(
    private readonly server: Server,
    private readonly instance: AwsInstance,
  ) {}

  static async start(instance: AwsInstance): Promise<AwsDouble> {
    let double: AwsDouble | undefined;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { status, xml } = double!.answer(new URLSearchParams(body));
        res.writeHead(status, { 'content-type': 'text/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
      });
    });
    double = new AwsDouble(server, instance);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return double;
  }

  /** What a CLI process needs to talk to this double instead of AWS. */
  get env(): Record<string, string> {
    const url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return { AWS_ENDPOINT_URL_RDS: url, AWS_ENDPOINT_URL_EC2: url, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEDOUBLE', AWS_SECRET_ACCESS_KEY: 'double-secret', AWS_REGION: 'eu-north-1' };
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(form: URLSearchParams): { status: number; xml: string } {
    const action = form.get('Action') ?? '';
    this.calls.push(action);
    const ec2 = form.get('Version') === '2016-11-15';
    const fault = this.fault?.(action);
    if (fault) return ec2 ? ec2Error(fault) : rdsError(fault);
    const ok = (xml: string) => ({ status: 200, xml });
    switch (action) {
      case 'DescribeDBInstances':
        return ok(this.rds(action, `<DBInstances><DBInstance>${this.describeInstance()}</DBInstance></DBInstances>`));
      case 'DescribeDBParameters':
        return ok(this.rds(action, '<Parameters><Parameter><ParameterName>rds.force_ssl</ParameterName><ParameterValue>1</ParameterValue></Parameter><Parameter><ParameterName>shared_preload_libraries</ParameterName><ParameterValue>pg_stat_statements</ParameterValue></Parameter></Parameters>'));
      case 'DescribeSecurityGroupRules':
        return ok(this.ec2(action, `<securityGroupRuleSet>${this.rules.map((r) => `<item>${this.ruleXml(r)}</item>`).join('')}</securityGroupRuleSet>`));
      case 'AuthorizeSecurityGroupIngress': {
        const added = this.authorize(form);
        return ok(this.ec2(action, `<return>true</return><securityGroupRuleSet>${added.map((r) => `<item>${this.ruleXml(r)}</item>`).join('')}</securityGroupRuleSet>`));
      }
      case 'RevokeSecurityGroupIngress': {
        const ids = [...form.entries()].filter(([k]) => k.startsWith('SecurityGroupRuleId.')).map(([, v]) => v);
        for (const id of ids) this.rules.splice(this.rules.findIndex((r) => r.id === id), 1);
        return ok(this.ec2(action, '<return>true</return>'));
      }
      case 'ModifySecurityGroupRules': {
        const rule = this.rules.find((r) => r.id === form.get('SecurityGroupRule.1.SecurityGroupRuleId'));
        if (rule) rule.description = form.get('SecurityGroupRule.1.SecurityGroupRule.Description') ?? rule.description;
        return ok(this.ec2(action, '<return>true</return>'));
      }
      default:
        return ec2 ? { status: 400, xml: '<Response><Errors><Error><Code>InvalidAction</Code><Message>unknown</Message></Error></Errors></Response>' } : rdsError('deny');
    }
  }

  private describeInstance(): string {
    const { identifier, host, port, groupId } = this.instance;
    return `<DBInstanceIdentifier>${identifier}</DBInstanceIdentifier><Engine>postgres</Engine><EngineVersion>15.8</EngineVersion>
      <Endpoint><Address>${host}</Address><Port>${port}</Port></Endpoint><DbInstancePort>${port}</DbInstancePort>
      <VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>${groupId}</VpcSecurityGroupId><Status>active</Status></VpcSecurityGroupMembership></VpcSecurityGroups>
      <DBParameterGroups><DBParameterGroup><DBParameterGroupName>${identifier}-params</DBParameterGroupName><ParameterApplyStatus>in-sync</ParameterApplyStatus></DBParameterGroup></DBParameterGroups>
      <PubliclyAccessible>false</PubliclyAccessible>`;
  }

  private authorize(form: URLSearchParams): Rule[] {
    const added: Rule[] = [];
    for (const family of ['IpRanges', 'Ipv6Ranges']) {
      const key = family === 'IpRanges' ? 'CidrIp' : 'CidrIpv6';
      for (let i = 1; form.has(`IpPermissions.1.${family}.${i}.${key}`); i++) {
        const rule = { id: `sgr-${String(this.next++).padStart(17, '0')}`, cidr: form.get(`IpPermissions.1.${family}.${i}.${key}`)!, port: Number(form.get('IpPermissions.1.FromPort')), description: form.get(`IpPermissions.1.${family}.${i}.Description`) ?? '' };
        this.rules.push(rule);
        added.push(rule);
      }
    }
    return added;
  }

  private ruleXml(r: Rule): string {
    const cidr = r.cidr.includes(':') ? `<cidrIpv6>${r.cidr}</cidrIpv6>` : `<cidrIpv4>${r.cidr}</cidrIpv4>`;
    return `<securityGroupRuleId>${r.id}</securityGroupRuleId><groupId>${this.instance.groupId}</groupId><isEgress>false</isEgress><ipProtocol>tcp</ipProtocol><fromPort>${r.port}</fromPort><toPort>${r.port}</toPort>${cidr}<description>${esc(r.description)}</description>`;
  }

  private rds(action: string, result: string): string {
    return `<${action}Response xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>r-${this.calls.length}</RequestId></ResponseMetadata></${action}Response>`;
  }

  private ec2(action: string, result: string): string {
    return `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>e-${this.calls.length}</requestId>${result}</${action}Response>`;
  }
}

function rdsError(fault: AwsFault): { status: number; xml: string } {
  const [status, code, message] = fault === 'throttle' ? [400, 'Throttling', 'Rate exceeded'] : [403, 'AccessDenied', 'User: arn:aws:sts::111122223333:assumed-role/platon-db-apply is not authorized to perform this action'];
  return { status, xml: `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>x</RequestId></ErrorResponse>` };
}

function ec2Error(fault: AwsFault): { status: number; xml: string } {
  const [status, code, message] = fault === 'throttle' ? [503, 'RequestLimitExceeded', 'Request limit exceeded.'] : [403, 'UnauthorizedOperation', 'You are not authorized to perform this operation. Encoded authorization failure message: AbCdEf0123'];
  return { status, xml: `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>x</RequestID></Response>` };
}
