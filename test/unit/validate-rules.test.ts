/** The rules beyond the schema, one row per rule and case, checked on in-memory files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsed, realInstances, REPO, validDatabase, validateInMemory } from './validate-helpers.js';

/** `severity code@line:column` of one database file checked with the real instances. */
const check = (extra: string, name = 'app') =>
  validateInMemory({ [`databases/${name}.yaml`]: validDatabase(name, extra) }).diagnostics.map((d) => `${d.severity} ${d.code}@${d.line}:${d.column}`);

const external = (...cidrs: string[]) => `access:\n  external:\n${cidrs.map((c) => `    - cidr: "${c}"\n      description: Partner\n`).join('')}`;
// In `external(...)`, entry i's cidr value is on line 8 + 2i, column 13.

describe('database rules', () => {
  it.each([
    ['a valid minimal file', '', []],
    // names
    ['name matches the file', '', [], 'app'],
    // extensions
    ['known trusted extensions', 'extensions: [pg_trgm, uuid-ossp, citext]\n', []],
    ['an unknown extension', 'extensions: [pgtrgm]\n', ['error extension.unknown@6:14']],
    ['a preload extension not preloaded', 'extensions: [pg_hint_plan]\n', ['error extension.needs-preload@6:14']],
    ['a preload extension that is preloaded', 'extensions: [pg_stat_statements]\n', []],
    ['an extension with special setup', 'extensions: [postgis]\n', ['warning extension.special-setup@6:14']],
    ['an extension the catalog is unsure of', 'extensions: [h3]\n', ['warning extension.unconfirmed@6:14']],
    ['a repeated extension', 'extensions: [citext, citext]\n', ['warning extension.duplicate@6:22']],
    // networks
    ['a public network', external('81.91.101.0/28'), []],
    ['a public IPv6 network', external('2a0e:1c80:9::/48'), []],
    ['a single address', external('81.91.101.7/32'), []],
    ['not a CIDR', external('81.91.101.300/28'), ['error cidr.invalid@8:13']],
    ['no prefix', external('81.91.101.7'), ['error cidr.missing-prefix@8:13']],
    ['host bits', external('81.91.101.5/28'), ['error cidr.host-bits@8:13']],
    ['/0', external('0.0.0.0/0'), ['error cidr.all-addresses@8:13']],
    ['IPv6 /0', external('::/0'), ['error cidr.all-addresses@8:13']],
    ['broader than /16', external('81.90.0.0/15'), ['error cidr.too-broad@8:13']],
    ['exactly /16', external('81.91.0.0/16'), []],
    ['broader than /48', external('2a0e:1c80::/32'), ['error cidr.too-broad@8:13']],
    ['private', external('10.20.0.0/16'), ['error cidr.non-routable@8:13']],
    ['loopback', external('127.0.0.1/32'), ['error cidr.non-routable@8:13']],
    ['link-local', external('169.254.1.0/24'), ['error cidr.non-routable@8:13']],
    ['carrier-grade NAT', external('100.64.1.0/24'), ['error cidr.non-routable@8:13']],
    ['documentation', external('192.0.2.0/28'), ['error cidr.non-routable@8:13']],
    ['IPv6 unique local', external('fd12:3456::/48'), ['error cidr.non-routable@8:13']],
    ['IPv6 documentation', external('2001:db8:1::/48'), ['error cidr.non-routable@8:13']],
    ['IPv6 link-local', external('fe80::/64'), ['error cidr.non-routable@8:13']],
    ['IPv4-mapped IPv6', external('::ffff:81.91.101.0/120'), ['error cidr.ipv4-mapped@8:13']],
    ['a duplicate', external('81.91.101.0/28', '81.91.101.0/28'), ['error cidr.duplicate@10:13']],
    ['a duplicate spelled differently', external('2a0e:1c80:9::/48', '2A0E:1C80:0009::/48'), ['error cidr.duplicate@10:13']],
    ['one network inside another', external('81.91.0.0/16', '81.91.101.0/24'), ['warning cidr.overlap@10:13']],
    ['inside a baseline network', external('198.51.100.0/28'), ['error cidr.non-routable@8:13']],
    ['several problems, all reported', external('10.0.0.0/8', '1.2.3.4', '81.91.101.5/28'), ['error cidr.non-routable@8:13', 'error cidr.missing-prefix@10:13', 'error cidr.host-bits@12:13']],
    // limits
    ['retention the instance gives', 'backup:\n  retentionDays: 30\n', []],
    ['retention beyond the instance', 'backup:\n  retentionDays: 31\n', ['error backup.retention-too-long@7:18']],
    // AWS: a DB instance's backup retention period is 0 to 35 days (RDS User Guide, "Backup retention period").
    ['retention beyond RDS', 'backup:\n  retentionDays: 90\n', ['error backup.retention-beyond-rds@7:18']],
    ['retention at RDS maximum, beyond the instance', 'backup:\n  retentionDays: 35\n', ['error backup.retention-too-long@7:18']],
    ['retention shorter than the instance keeps', 'backup:\n  retentionDays: 7\n', ['warning backup.retention-shorter@7:18']],
    ['connection limit at the maximum', 'connectionLimit: 100\n', []],
    ['connection limit over the maximum', 'connectionLimit: 101\n', ['error connection-limit.too-high@6:18']],
    // instance
    ['the default instance by name', 'instance: shared-pg15\n', []],
    ['the local instance', 'instance: local\n', []],
    ['an unknown instance', 'instance: shared-pg16\n', ['error instance.unknown@6:11']],
    ['extensions against the named instance: local preloads nothing', 'instance: local\nextensions: [pg_stat_statements]\n', ['error extension.needs-preload@7:14']],
  ])('%s', (_, extra, expected, name = 'app') => {
    expect(check(extra, name)).toEqual(expected);
  });

  it('says what a refused IPv6 range is, and shows an IPv4-mapped network as typed with its IPv4 form', () => {
    const messages = validateInMemory({ 'databases/app.yaml': validDatabase('app', external('fd00:1::/48', '::ffff:81.91.101.0/120')) }).diagnostics.map((d) => `${d.message} | ${d.hint}`);
    expect(messages).toEqual([
      'fd00:1::/48 lies in fc00::/7, unique local addresses (RFC 4193), private to a site like 10.0.0.0/8; no client on the internet connects from there | list the public network your clients connect from (ask their network team); office and VPN access is already in the baseline',
      expect.stringMatching(/^"::ffff:81\.91\.101\.0\/120" is an IPv4 network written as IPv4-mapped IPv6 .* \| write it as 81\.91\.101\.0\/24$/),
    ]);
  });

  it.each([
    ['postgres', 'name.reserved'],
    ['rdsadmin', 'name.reserved'],
    ['template0', 'name.reserved'],
    ['template1', 'name.reserved'],
    ['pg_reports', 'name.reserved'],
    ['rds_tools', 'name.reserved'],
    ['a'.repeat(57), undefined],
    ['a'.repeat(58), 'name.too-long'],
    ['Studentweb', 'name.invalid'],
    ['student-web', 'name.invalid'],
    ['1student', 'name.invalid'],
    ['_student', 'name.invalid'],
    ['studentweb', undefined],
    ['student_web_2', undefined],
  ])('database name %s -> %s', (name, code) => {
    const codes = check('', name).map((d) => d.replace(/^\w+ (\S+)@.*/, '$1'));
    expect(codes).toEqual(code ? [code] : []);
  });

  it('requires the file name to equal the name', () => {
    const { diagnostics } = validateInMemory({ 'databases/app.yaml': validDatabase('other') });
    expect(diagnostics.map((d) => [d.code, d.line, d.column, d.hint])).toEqual([['name.mismatch', 2, 7, 'rename the file to databases/other.yaml, or set name: app']]);
  });

  it('refuses two files with one name, pointing at the second', () => {
    const { diagnostics } = validateInMemory({ 'databases/app.yaml': validDatabase('app'), 'databases/app.yml': validDatabase('app') });
    expect(diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['databases/app.yml name.duplicate']);
    expect(diagnostics[0]!.message).toContain('databases/app.yaml');
  });

  it('warns when the schema comment is missing or wrong', () => {
    const text = validDatabase('app').replace(/^#.*\n/, '');
    expect(validateInMemory({ 'databases/app.yaml': text }).diagnostics.map((d) => `${d.severity} ${d.code}@${d.line}:${d.column}`)).toEqual(['warning file.schema-comment@1:1']);
    const wrong = validDatabase('app').replace('database.schema', 'instance.schema');
    expect(validateInMemory({ 'databases/app.yaml': wrong }).diagnostics[0]!.message).toContain('wrong schema');
  });
});

describe('instance rules', () => {
  const shared = readFileSync(join(REPO, 'instances/shared-pg15.yaml'), 'utf8');
  const local = readFileSync(join(REPO, 'instances/local.yaml'), 'utf8');
  const checkInstances = (sharedText: string, localText = local, databases: Record<string, string> = {}) =>
    validateInMemory(databases, [parsed('instances/shared-pg15.yaml', 'instance', sharedText), parsed('instances/local.yaml', 'instance', localText)]).diagnostics.map(
      (d) => `${d.severity} ${d.code} ${d.file}`,
    );

  it('accepts the real instance files', () => {
    expect(validateInMemory({}, realInstances()).diagnostics).toEqual([]);
  });

  it.each([
    ['no default', shared.replace('default: true', 'default: false'), local, ['error instance.default-missing instances/local.yaml']],
    ['two defaults', shared, local.replace('default: false', 'default: true'), ['error instance.default-multiple instances/local.yaml', 'error instance.default-multiple instances/shared-pg15.yaml']],
    ['no catalog for the major version', shared.replace('postgresMajor: 15', 'postgresMajor: 18'), local, ['error instance.no-catalog instances/shared-pg15.yaml']],
    ['default limit above the maximum', shared.replace('defaultConnectionLimit: 20', 'defaultConnectionLimit: 200'), local, ['error instance.limits-inconsistent instances/shared-pg15.yaml']],
    ['a secret path without {user}', shared.replace('{database}/{user}', '{database}'), local, ['error secrets.path-template instances/shared-pg15.yaml']],
    ['an unknown placeholder', shared.replace('{instance}', '{env}'), local, ['error secrets.path-template instances/shared-pg15.yaml']],
    ['an aws block on a local instance', shared, `${local}aws:\n  region: eu-north-1\n  dbInstanceIdentifier: x\n  allowlistSecurityGroupIds: [sg-0123456789abcdef0]\n`, ['warning instance.aws-unused instances/local.yaml']],
    ['an rds instance without aws', shared.replace(/^aws:\n(?: .*\n)+/m, ''), local, ['error schema.required instances/shared-pg15.yaml']],
    ['a baseline with host bits', shared.replace('198.51.100.0/24', '198.51.100.1/24'), local, ['error cidr.host-bits instances/shared-pg15.yaml']],
    ['a duplicate baseline', shared.replace('203.0.113.0/24', '198.51.100.0/24'), local, ['error cidr.duplicate instances/shared-pg15.yaml']],
    ['a private baseline is fine', shared.replace('198.51.100.0/24', '10.10.0.0/16'), local, []],
    ['a file name that is not the name', shared.replace('name: shared-pg15', 'name: shared'), local, ['error name.mismatch instances/shared-pg15.yaml']],
  ])('%s', (_, sharedText, localText, expected) => {
    expect(checkInstances(sharedText, localText)).toEqual(expected);
  });

  it('warns about an external network the baseline already covers', () => {
    const publicBaseline = shared.replace('198.51.100.0/24', '81.91.0.0/16');
    const databases = { 'databases/app.yaml': validDatabase('app', external('81.91.101.0/24')) };
    expect(checkInstances(publicBaseline, local, databases)).toEqual(['warning cidr.in-baseline databases/app.yaml']);
  });

  describe('allowlist quota (60 rules per family per group, 2 baseline rules on shared-pg15)', () => {
    const databasesWith = (count: number, family: 'ipv4' | 'ipv6' = 'ipv4') => {
      const cidrs = Array.from({ length: count }, (_, i) => (family === 'ipv4' ? `81.91.${i}.0/24` : `2a0e:1c80:${i.toString(16)}::/48`));
      // Spread over files of 10 networks, the way teams would add them; repeats across files count once.
      const files: Record<string, string> = {};
      for (let f = 0; f * 10 < count; f++) {
        const name = `team_${String(f).padStart(2, '0')}`;
        files[`databases/${name}.yaml`] = validDatabase(name, external(...cidrs.slice(f * 10, f * 10 + 10)));
      }
      files['databases/zz_repeat.yaml'] = validDatabase('zz_repeat', external(cidrs[0]!));
      return files;
    };
    it.each([
      [45, 'ipv4', []],
      [46, 'ipv4', ['warning allowlist.quota-near instances/shared-pg15.yaml']],
      [58, 'ipv4', ['warning allowlist.quota-near instances/shared-pg15.yaml']],
      [59, 'ipv4', ['error allowlist.quota-exceeded databases/team_05.yaml']],
      [47, 'ipv6', []],
      [48, 'ipv6', ['warning allowlist.quota-near instances/shared-pg15.yaml']],
      [61, 'ipv6', ['error allowlist.quota-exceeded databases/team_06.yaml']],
    ] as const)('%i external %s networks -> %j', (count, family, expected) => {
      expect(checkInstances(shared, local, databasesWith(count, family))).toEqual(expected);
    });

    it('counts the capacity of every security group', () => {
      const twoGroups = shared.replace('    - sg-0123456789abcdef0', '    - sg-0123456789abcdef0\n    - sg-0123456789abcdef1');
      expect(checkInstances(twoGroups, local, databasesWith(59))).toEqual([]);
    });
  });
});
