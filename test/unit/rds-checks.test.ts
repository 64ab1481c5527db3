import { describe, expect, it } from 'vitest';
import { rdsChecks } from '../../src/diff/rds-checks.js';
import type { Change } from '../../src/model/change.js';
import type { RdsExpectations, RdsFacts } from '../../src/model/rds.js';
import { spec } from '../support/states.js';

const expected: RdsExpectations = {
  instanceFile: 'instances/shared-pg15.yaml',
  postgresMajor: 15,
  connection: { host: 'db.example.org', port: 5432 },
  allowlistGroupIds: ['sg-a'],
  preloadLibraries: ['pg_stat_statements'],
  needsPreload: ['pg_cron', 'pg_stat_statements'],
};

const healthy: RdsFacts = {
  identifier: 'shared-pg15',
  engine: 'postgres',
  engineVersion: '15.8',
  endpoint: { host: 'db.example.org', port: 5432 },
  securityGroups: [
    { id: 'sg-default', status: 'active' },
    { id: 'sg-a', status: 'active' },
  ],
  publiclyAccessible: false,
  parameterGroup: { name: 'platon-pg15', applyStatus: 'in-sync' },
  parameters: { forceSsl: '1', sharedPreloadLibraries: ['pg_stat_statements'], allowedExtensions: '*' },
};

const check = (facts: Partial<RdsFacts>, options: { databases?: ReturnType<typeof spec>[]; planned?: Change[] } = {}) =>
  rdsChecks('shared-pg15', expected, { ...healthy, ...facts }, options.databases ?? [], options.planned ?? []);
const messages = (result: ReturnType<typeof check>) => ({
  errors: result.errors.map((e) => `${e.code} [${e.database}] ${e.message}`),
  warnings: result.notes.map((n) => (n.kind === 'warning' ? `[${n.database}] ${n.message}` : n.kind)),
});

describe('checks against RDS', () => {
  it('finds nothing on a healthy instance', () => {
    expect(check({})).toEqual({ notes: [], errors: [] });
  });

  it.each([
    [
      'an allowlist group that is not attached',
      { securityGroups: [{ id: 'sg-default', status: 'active' }] },
      'rds.group-not-attached [] allowlist security group sg-a is not attached to RDS instance shared-pg15 (attached: sg-default), so its rules let no one in',
    ],
    [
      'an allowlist group being removed',
      { securityGroups: [{ id: 'sg-a', status: 'removing' }] },
      'rds.group-not-attached [] allowlist security group sg-a is removing on RDS instance shared-pg15 (attached: sg-a), so its rules let no one in',
    ],
    [
      'another major version',
      { engineVersion: '16.3' },
      'rds.engine-version [] RDS instance shared-pg15 runs postgres 16.3, but instances/shared-pg15.yaml says PostgreSQL 15',
    ],
    [
      'another port',
      { endpoint: { host: 'db.example.org', port: 5433 } },
      'rds.port [] RDS instance shared-pg15 listens on port 5433, but instances/shared-pg15.yaml says 5432: the allowlist rules would open the wrong port',
    ],
  ])('refuses %s', (_name, facts, error) => {
    expect(messages(check(facts))).toEqual({ errors: [error], warnings: [] });
  });

  it.each([
    ['public access', { publiclyAccessible: true }, 'is publicly accessible'],
    ['force_ssl off', { parameters: { ...healthy.parameters, forceSsl: '0' } }, 'rds.force_ssl is 0 in parameter group platon-pg15'],
    ['a pending reboot', { parameterGroup: { name: 'platon-pg15', applyStatus: 'pending-reboot' } }, 'wait for a reboot'],
    ['another endpoint', { endpoint: { host: 'other.example.org', port: 5432 } }, 'new credentials use the endpoint RDS reports'],
    [
      'preloaded libraries the instance file does not list',
      { parameters: { ...healthy.parameters, sharedPreloadLibraries: ['pg_stat_statements', 'pg_cron'] } },
      'lists preloadLibraries [pg_stat_statements], but parameter group platon-pg15 preloads [pg_stat_statements, pg_cron]',
    ],
  ])('warns about %s', (_name, facts, warning) => {
    const result = messages(check(facts));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([expect.stringContaining(warning)]);
  });

  describe('extensions', () => {
    const shop = spec('shop', { extensions: ['pg_cron', 'pg_trgm'] });
    const creating: Change[] = shop.extensions.map((extension) => ({ kind: 'create-extension', database: 'shop', extension }));
    const preloaded = ['pg_stat_statements', 'pg_cron'];
    const narrowed = { parameters: { ...healthy.parameters, sharedPreloadLibraries: preloaded, allowedExtensions: ['pg_cron', 'uuid-ossp'] } };

    it('refuses one to be created that rds.allowed_extensions does not allow', () => {
      const result = check(narrowed, { databases: [shop], planned: creating });
      expect(result.errors).toEqual([
        {
          code: 'extension.refused-by-instance',
          database: 'shop',
          file: 'databases/shop.yaml',
          message: 'rds.allowed_extensions of RDS instance shared-pg15 does not allow pg_trgm (it allows: pg_cron, uuid-ossp)',
          hint: 'ask Platon: changing the parameter group is their decision (and may need a reboot)',
        },
      ]);
    });

    it('refuses one that needs a library the instance does not preload', () => {
      const result = messages(check({}, { databases: [shop], planned: creating }));
      expect(result.errors).toEqual([
        'extension.refused-by-instance [shop] pg_cron needs shared_preload_libraries, and parameter group platon-pg15 does not preload it',
      ]);
    });

    it('only warns about one that is installed already', () => {
      const result = messages(check({}, { databases: [shop], planned: [] }));
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([
        '[shop] pg_cron needs shared_preload_libraries, and parameter group platon-pg15 does not preload it; it is installed already, but could not be created again',
      ]);
    });

    it('allows everything with the default *', () => {
      const result = check({ parameters: { ...healthy.parameters, sharedPreloadLibraries: preloaded } }, { databases: [shop], planned: creating });
      expect(result.errors).toEqual([]);
    });
  });
});
