/**
 * A local HTTP server that answers the few AWS calls platon-db makes, in their query-protocol
 * XML, so the real SDK (signing, parsing, the retry loop) runs against it: the CLI in a test gets
 * `AWS_ENDPOINT_URL_RDS` and `AWS_ENDPOINT_URL_EC2` pointing here, and fake static credentials.
 * RDS: DescribeDBInstances, DescribeDBParameters. EC2: DescribeSecurityGroupRules,
 * AuthorizeSecurityGroupIngress, RevokeSecurityGroupIngress, ModifySecurityGroupRules, with the
 * rules kept in memory. `fault` answers an action with throttling or access denied instead.
 *
 * It refuses what AWS refuses, with AWS's error codes (test/unit/aws-double.test.ts checks each):
 * - EC2 errors are `<Response><Errors><Error><Code>` documents with HTTP 400; RDS errors are
 *   `<ErrorResponse><Error><Type>Sender</Type><Code>` documents (404 for a missing resource).
 * - AuthorizeSecurityGroupIngress / ModifySecurityGroupRules: `InvalidGroup.NotFound` (unknown
 *   group), `InvalidGroupId.Malformed`, `InvalidPermission.Duplicate` (same protocol, ports and
 *   CIDR), `RulesPerSecurityGroupLimitExceeded` (60 inbound IPv4 rules and, counted apart, 60
 *   IPv6 rules per group: the default quota), `InvalidParameterValue` (description over 255
 *   characters or outside a-zA-Z0-9, space and ._-:/()#,@[]+=&;{}!$*; bad CIDR or port range),
 *   `InvalidSecurityGroupRuleId.NotFound` (modify). A request is all or nothing.
 * - RevokeSecurityGroupIngress by rule id: `InvalidSecurityGroupRuleId.NotFound` when any id is
 *   not a rule of that group, and then nothing is revoked.
 * - DescribeSecurityGroupRules: Filters group-id and security-group-rule-id, SecurityGroupRuleIds,
 *   MaxResults (5..1000) / NextToken paging; each group also has AWS's default egress rule.
 * - RDS DescribeDBInstances honours DBInstanceIdentifier (`DBInstanceNotFound`, 404);
 *   DescribeDBParameters answers `DBParameterGroupNotFound` for another group.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ipaddr from 'ipaddr.js';

export type AwsFault = 'throttle' | 'deny';

export interface AwsInstance {
  readonly identifier: string;
  readonly host: string;
  readonly port: number;
  readonly groupId: string;
}

export interface AwsDoubleOptions {
  /** More security groups that exist (the instance's group always does). */
  readonly groupIds?: readonly string[];
  /** Inbound rules per security group, per address family (AWS's default quota is 60). */
  readonly rulesPerGroup?: number;
}

export interface Rule {
  readonly id: string;
  groupId: string;
  protocol: string;
  fromPort: number;
  toPort: number;
  /** IPv4 or IPv6 CIDR, as given. */
  cidr: string;
  description: string;
  readonly egress?: boolean;
}

interface Answer {
  readonly status: number;
  readonly xml: string;
}

/** An error AWS would answer; thrown inside a handler, turned into the service's error document. */
class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** AWS: "Up to 255 characters in length. Allowed characters are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*". */
const DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/;
const GROUP_ID = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;
const PAGE = { min: 5, max: 1000 };

export class AwsDouble {
  /** Every call, in order: the action names. */
  readonly calls: string[] = [];
  /** Inbound rules, in the order they were added. */
  readonly rules: Rule[] = [];
  fault: ((action: string) => AwsFault | undefined) | undefined;
  readonly groupIds: ReadonlySet<string>;
  readonly rulesPerGroup: number;
  private next = 1;

  private constructor(
    private readonly server: Server,
    private readonly instance: AwsInstance,
    options: AwsDoubleOptions,
  ) {
    this.groupIds = new Set([instance.groupId, ...(options.groupIds ?? [])]);
    this.rulesPerGroup = options.rulesPerGroup ?? 60;
  }

  static async start(instance: AwsInstance, options: AwsDoubleOptions = {}): Promise<AwsDouble> {
    let double: AwsDouble | undefined;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { status, xml } = double!.answer(new URLSearchParams(body));
        res.writeHead(status, { 'content-type': 'text/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
      });
    });
    double = new AwsDouble(server, instance, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return double;
  }

  /** The base URL, for an SDK client's `endpoint`. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What a CLI process needs to talk to this double instead of AWS. */
  get env(): Record<string, string> {
    return { AWS_ENDPOINT_URL_RDS: this.url, AWS_ENDPOINT_URL_EC2: this.url, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEDOUBLE', AWS_SECRET_ACCESS_KEY: 'double-secret', AWS_REGION: 'eu-north-1' };
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(form: URLSearchParams): Answer {
    const action = form.get('Action') ?? '';
    this.calls.push(action);
    const ec2 = form.get('Version') === '2016-11-15';
    const fault = this.fault?.(action);
    if (fault) return ec2 ? ec2Fault(fault) : rdsFault(fault);
    try {
      return { status: 200, xml: ec2 ? this.ec2Action(action, form) : this.rdsAction(action, form) };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return ec2 ? ec2Error(error) : rdsError(error);
    }
  }

  // ---- RDS ----

  private rdsAction(action: string, form: URLSearchParams): string {
    switch (action) {
      case 'DescribeDBInstances': {
        const wanted = form.get('DBInstanceIdentifier');
        if (wanted !== null && wanted !== this.instance.identifier) throw new Refusal('DBInstanceNotFound', `DBInstance ${wanted} not found.`, 404);
        return this.rds(action, `<DBInstances><DBInstance>${this.describeInstance()}</DBInstance></DBInstances>`);
      }
      case 'DescribeDBParameters': {
        const group = form.get('DBParameterGroupName');
        if (group !== `${this.instance.identifier}-params`) throw new Refusal('DBParameterGroupNotFound', `DBParameterGroup not found: ${group ?? ''}`, 404);
        return this.rds(
          action,
          '<Parameters><Parameter><ParameterName>rds.force_ssl</ParameterName><ParameterValue>1</ParameterValue></Parameter><Parameter><ParameterName>shared_preload_libraries</ParameterName><ParameterValue>pg_stat_statements</ParameterValue></Parameter></Parameters>',
        );
      }
      default:
        throw new Refusal('InvalidAction', `Could not find operation ${action} for version 2014-10-31`);
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

  private rds(action: string, result: string): string {
    return `<${action}Response xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  }

  // ---- EC2 ----

  private ec2Action(action: string, form: URLSearchParams): string {
    switch (action) {
      case 'DescribeSecurityGroupRules':
        return this.describeRules(action, form);
      case 'AuthorizeSecurityGroupIngress': {
        const added = this.authorize(form);
        return this.ec2(action, `<return>true</return><securityGroupRuleSet>${added.map((r) => `<item>${this.ruleXml(r)}</item>`).join('')}</securityGroupRuleSet>`);
      }
      case 'RevokeSecurityGroupIngress':
        this.revoke(form);
        return this.ec2(action, '<return>true</return>');
      case 'ModifySecurityGroupRules':
        this.modify(form);
        return this.ec2(action, '<return>true</return>');
      default:
        throw new Refusal('InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  }

  /** The group the request names: it must be well-formed and exist. */
  private group(form: URLSearchParams): string {
    const id = form.get('GroupId');
    if (id === null) throw new Refusal('MissingParameter', 'The request must contain the parameter groupId');
    if (!GROUP_ID.test(id)) throw new Refusal('InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`);
    if (!this.groupIds.has(id)) throw new Refusal('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    return id;
  }

  private authorize(form: URLSearchParams): Rule[] {
    const groupId = this.group(form);
    const wanted: Omit<Rule, 'id'>[] = [];
    if (!form.has('IpPermissions.1.IpProtocol')) throw new Refusal('MissingParameter', 'The request must contain the parameter ipPermissions');
    for (let p = 1; form.has(`IpPermissions.${p}.IpProtocol`); p++) {
      const at = `IpPermissions.${p}`;
      const [protocol, fromPort, toPort] = ports(form.get(`${at}.IpProtocol`)!, form.get(`${at}.FromPort`), form.get(`${at}.ToPort`));
      for (const [family, key] of [['IpRanges', 'CidrIp'], ['Ipv6Ranges', 'CidrIpv6']] as const) {
        for (let i = 1; form.has(`${at}.${family}.${i}.${key}`); i++) {
          const cidr = checkCidr(form.get(`${at}.${family}.${i}.${key}`)!, family === 'IpRanges' ? 'ipv4' : 'ipv6');
          wanted.push({ groupId, protocol, fromPort, toPort, cidr, description: checkDescription(form.get(`${at}.${family}.${i}.Description`) ?? '') });
        }
      }
    }
    // All or nothing: check every new rule against the group (and each other) before adding one.
    const after = this.rules.filter((r) => r.groupId === groupId);
    for (const rule of wanted) {
      if (after.some((r) => same(r, rule))) throw duplicate(rule);
      after.push({ ...rule, id: '' });
    }
    for (const v6 of [false, true]) {
      if (after.filter((r) => r.cidr.includes(':') === v6).length > this.rulesPerGroup) throw new Refusal('RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.');
    }
    const added = wanted.map((rule) => ({ ...rule, id: `sgr-${(this.next++).toString(16).padStart(17, '0')}` }));
    this.rules.push(...added);
    return added;
  }

  private revoke(form: URLSearchParams): void {
    const groupId = this.group(form);
    const ids = indexed(form, 'SecurityGroupRuleId');
    if (ids.length === 0) throw new Refusal('MissingParameter', 'The request must contain the parameter ipPermissions or securityGroupRuleIds');
    const unknown = ids.filter((id) => !this.rules.some((r) => r.id === id && r.groupId === groupId));
    if (unknown.length > 0) throw new Refusal('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${unknown[0]}' does not exist`);
    for (const id of ids) this.rules.splice(this.rules.findIndex((r) => r.id === id), 1);
  }

  private modify(form: URLSearchParams): void {
    const groupId = this.group(form);
    const changes: { rule: Rule; to: Omit<Rule, 'id'> }[] = [];
    for (let n = 1; form.has(`SecurityGroupRule.${n}.SecurityGroupRuleId`); n++) {
      const id = form.get(`SecurityGroupRule.${n}.SecurityGroupRuleId`)!;
      const rule = this.rules.find((r) => r.id === id && r.groupId === groupId);
      if (!rule) throw new Refusal('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
      const at = `SecurityGroupRule.${n}.SecurityGroupRule`;
      const [protocol, fromPort, toPort] = ports(form.get(`${at}.IpProtocol`) ?? '', form.get(`${at}.FromPort`), form.get(`${at}.ToPort`));
      const v4 = form.get(`${at}.CidrIpv4`);
      const v6 = form.get(`${at}.CidrIpv6`);
      if ((v4 === null) === (v6 === null)) throw new Refusal('InvalidParameterCombination', 'Exactly one of CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupId must be given');
      const cidr = v4 !== null ? checkCidr(v4, 'ipv4') : checkCidr(v6!, 'ipv6');
      const to = { groupId, protocol, fromPort, toPort, cidr, description: checkDescription(form.get(`${at}.Description`) ?? '') };
      if (this.rules.some((r) => r !== rule && r.groupId === groupId && same(r, to))) throw duplicate(to);
      changes.push({ rule, to });
    }
    if (changes.length === 0) throw new Refusal('MissingParameter', 'The request must contain the parameter SecurityGroupRule');
    for (const { rule, to } of changes) Object.assign(rule, to);
  }

  private describeRules(action: string, form: URLSearchParams): string {
    let rules = [...this.groupIds].flatMap((groupId) => [...this.rules.filter((r) => r.groupId === groupId), defaultEgress(groupId)]);
    const ids = indexed(form, 'SecurityGroupRuleId');
    if (ids.length > 0) {
      const missing = ids.find((id) => !rules.some((r) => r.id === id));
      if (missing) throw new Refusal('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${missing}' does not exist`);
      rules = rules.filter((r) => ids.includes(r.id));
    }
    for (let f = 1; form.has(`Filter.${f}.Name`); f++) {
      const name = form.get(`Filter.${f}.Name`)!;
      const values = indexed(form, `Filter.${f}.Value`);
      const field = ({ 'group-id': 'groupId', 'security-group-rule-id': 'id' } as const)[name as 'group-id'];
      if (!field) throw new Refusal('InvalidParameterValue', `The filter '${name}' is invalid`);
      rules = rules.filter((r) => values.includes(r[field]));
    }
    const max = form.get('MaxResults');
    const token = form.get('NextToken');
    if (max !== null && (!/^\d+$/.test(max) || Number(max) < PAGE.min || Number(max) > PAGE.max)) {
      throw new Refusal('InvalidParameterValue', `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between ${PAGE.min} and ${PAGE.max}.`);
    }
    let start = 0;
    if (token !== null) {
      const decoded = /^page:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
      if (!decoded || Number(decoded[1]) > rules.length) throw new Refusal('InvalidPaginationToken', `Invalid pagination token: ${token}`);
      start = Number(decoded[1]);
    }
    const end = max === null ? rules.length : start + Number(max);
    const page = rules.slice(start, end);
    const next = end < rules.length ? `<nextToken>${Buffer.from(`page:${end}`).toString('base64url')}</nextToken>` : '';
    return this.ec2(action, `<securityGroupRuleSet>${page.map((r) => `<item>${this.ruleXml(r)}</item>`).join('')}</securityGroupRuleSet>${next}`);
  }

  private ruleXml(r: Rule): string {
    const cidr = r.cidr.includes(':') ? `<cidrIpv6>${r.cidr}</cidrIpv6>` : `<cidrIpv4>${r.cidr}</cidrIpv4>`;
    const description = r.description ? `<description>${esc(r.description)}</description>` : '';
    return `<securityGroupRuleId>${r.id}</securityGroupRuleId><groupId>${r.groupId}</groupId><groupOwnerId>111122223333</groupOwnerId><isEgress>${r.egress === true}</isEgress><ipProtocol>${r.protocol}</ipProtocol><fromPort>${r.fromPort}</fromPort><toPort>${r.toPort}</toPort>${cidr}${description}`;
  }

  private ec2(action: string, result: string): string {
    return `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomUUID()}</requestId>${result}</${action}Response>`;
  }
}

/** AWS gives every security group an egress rule to 0.0.0.0/0, all traffic. */
const defaultEgress = (groupId: string): Rule => ({ id: `sgr-e${groupId.slice(3).padStart(16, '0').slice(-16)}`, groupId, protocol: '-1', fromPort: -1, toPort: -1, cidr: '0.0.0.0/0', description: '', egress: true });

/** `Name.1`, `Name.2`, ... */
function indexed(form: URLSearchParams, name: string): string[] {
  const values: string[] = [];
  for (let i = 1; form.has(`${name}.${i}`); i++) values.push(form.get(`${name}.${i}`)!);
  return values;
}

/** Same rule in AWS's sense: protocol, port range and peer; the description does not count. */
const same = (a: Omit<Rule, 'id'>, b: Omit<Rule, 'id'>) =>
  a.protocol === b.protocol && a.fromPort === b.fromPort && a.toPort === b.toPort && ipaddr.parseCIDR(a.cidr).toString() === ipaddr.parseCIDR(b.cidr).toString();

const duplicate = (rule: Omit<Rule, 'id'>) =>
  new Refusal('InvalidPermission.Duplicate', `the specified rule "peer: ${rule.cidr}, ${rule.protocol.toUpperCase()}, from port: ${rule.fromPort}, to port: ${rule.toPort}, ALLOW" already exists`);

/** Protocol and port range: tcp/udp (or 6/17) need 0 <= FromPort <= ToPort <= 65535; -1 (all) has none. */
function ports(protocolName: string, from: string | null, to: string | null): [string, number, number] {
  const protocol = ({ '6': 'tcp', '17': 'udp', all: '-1' } as Record<string, string>)[protocolName.toLowerCase()] ?? protocolName.toLowerCase();
  if (protocol === '-1') return ['-1', -1, -1];
  if (protocol !== 'tcp' && protocol !== 'udp') throw new Refusal('InvalidParameterValue', `Invalid value '${protocolName}' for IP protocol. Unknown protocol.`);
  const fromPort = Number(from ?? NaN);
  const toPort = Number(to ?? NaN);
  if (!Number.isInteger(fromPort) || !Number.isInteger(toPort) || fromPort < 0 || toPort > 65535 || fromPort > toPort) {
    throw new Refusal('InvalidParameterValue', `Invalid ${protocol.toUpperCase()} port range ${from ?? ''}-${to ?? ''}`);
  }
  return [protocol, fromPort, toPort];
}

function checkCidr(cidr: string, family: 'ipv4' | 'ipv6'): string {
  try {
    const [address] = ipaddr.parseCIDR(cidr);
    if (address.kind() === family) return cidr;
  } catch {
    // below
  }
  throw new Refusal('InvalidParameterValue', `CIDR block ${cidr} is malformed`);
}

function checkDescription(description: string): string {
  if (!DESCRIPTION.test(description)) {
    throw new Refusal('InvalidParameterValue', 'Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*');
  }
  return description;
}

function ec2Error(refusal: Refusal): Answer {
  return { status: refusal.status, xml: `<Response><Errors><Error><Code>${refusal.code}</Code><Message>${esc(refusal.message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>` };
}

function rdsError(refusal: Refusal): Answer {
  return {
    status: refusal.status,
    xml: `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>${refusal.code}</Code><Message>${esc(refusal.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

function rdsFault(fault: AwsFault): Answer {
  return fault === 'throttle'
    ? rdsError(new Refusal('Throttling', 'Rate exceeded', 400))
    : rdsError(new Refusal('AccessDenied', 'User: arn:aws:sts::111122223333:assumed-role/platon-db-apply is not authorized to perform this action', 403));
}

function ec2Fault(fault: AwsFault): Answer {
  return fault === 'throttle'
    ? ec2Error(new Refusal('RequestLimitExceeded', 'Request limit exceeded.', 503))
    : ec2Error(new Refusal('UnauthorizedOperation', 'You are not authorized to perform this operation. Encoded authorization failure message: AbCdEf0123', 403));
}
