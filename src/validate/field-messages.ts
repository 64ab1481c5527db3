/**
 * Wording for schema errors on the fields teams edit most, with the stable codes the issue names
 * (`name.invalid`, `team.invalid`, `contact.invalid`, ...). The schema keeps the same constraints so
 * editors flag them while typing; this table only decides how a failure reads.
 */
import type { ErrorObject } from 'ajv';
import type { SchemaName } from './schemas.js';
import { quote } from './describe.js';

export interface Explained {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

type Explain = (value: unknown, error: ErrorObject) => Explained | undefined;

const SG_CHARACTERS = 'letters a-z and A-Z, digits, spaces and . _ - : / ( ) # , @ [ ] + = ; { } ! $ *';
const SG_ALLOWED = /[a-zA-Z0-9. _:/()#,@[\]+=;{}!$*-]/u;

const description: Explain = (value, error) => {
  if (typeof value !== 'string') return undefined;
  switch (error.keyword) {
    case 'pattern': {
      const bad = [...new Set([...value].filter((c) => !SG_ALLOWED.test(c)))];
      return {
        code: 'description.invalid-characters',
        message: `the description contains ${bad.map((c) => quote(c)).join(', ')}, which AWS does not allow in a security-group rule description`,
        hint: `use only ${SG_CHARACTERS}`,
      };
    }
    case 'maxLength':
      return {
        code: 'description.too-long',
        message: `the description is ${value.length} characters; at most 100 fit (AWS allows 255 and platon-db adds the database names)`,
      };
    case 'minLength':
      return { code: 'description.empty', message: 'the description is empty; say whose network this is', hint: 'e.g. description: Partner application servers' };
    default:
      return undefined;
  }
};

const databaseName: Explain = (value, error) => {
  if (typeof value !== 'string') return undefined;
  if (error.keyword === 'maxLength') {
    return {
      code: 'name.too-long',
      message: `the database name is ${Buffer.byteLength(value)} bytes; at most 57 fit, because PostgreSQL cuts names at 63 bytes and the role ${value}_owner adds 6`,
      hint: 'choose a shorter name (and rename the file to match)',
    };
  }
  if (error.keyword !== 'pattern') return undefined;
  const suggestion = value.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^[^a-z]+/, '');
  return {
    code: 'name.invalid',
    message: `the database name ${quote(value)} may use only lowercase letters a-z, digits and underscores, and must start with a letter`,
    ...(suggestion && suggestion !== value ? { hint: `did you mean \`${suggestion}\`? (rename the file to match)` } : {}),
  };
};

const instanceName: Explain = (value, error) =>
  typeof value === 'string' && (error.keyword === 'pattern' || error.keyword === 'maxLength')
    ? { code: 'name.invalid', message: `the instance name ${quote(value)} may use only lowercase letters, digits and hyphens, start with a letter, and be at most 63 characters` }
    : undefined;

const team: Explain = (value, error) => {
  if (typeof value !== 'string' || !['pattern', 'maxLength'].includes(error.keyword)) return undefined;
  const slug = value.replace(/^@?[^/]*\//, '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+|[-_]+$/g, '');
  return {
    code: 'team.invalid',
    message: `\`team\` must be the slug of a GitHub team (lowercase letters, digits, - and _), not ${quote(value)}`,
    hint: value.includes('/') ? `write only the part after the slash: ${slug}` : slug && slug !== value ? `did you mean \`${slug}\`?` : 'the slug is in the team page address: github.com/orgs/ORG/teams/SLUG',
  };
};

const contact: Explain = (value, error) =>
  typeof value === 'string' && ['format', 'maxLength'].includes(error.keyword)
    ? { code: 'contact.invalid', message: `\`contact\` must be an e-mail address, not ${quote(value)}`, hint: 'preferably a team list, e.g. studentweb-dev@example.org' }
    : undefined;

const project: Explain = (value, error) =>
  typeof value === 'string' && ['pattern', 'minLength', 'maxLength'].includes(error.keyword)
    ? { code: 'project.invalid', message: '`project` must be one line of 1 to 100 characters naming the project or application' }
    : undefined;

const connectionLimit: Explain = (value, error) =>
  error.keyword === 'minimum'
    ? { code: 'connection-limit.out-of-range', message: `\`connectionLimit\` must be at least 1, not ${String(value)}`, hint: 'leave it out to get the instance default' }
    : undefined;

/** RDS keeps automated backups 0 to 35 days (AWS RDS User Guide, "Backup retention period"). */
export const RDS_MAX_RETENTION_DAYS = 35;

const retentionDays: Explain = (value, error) =>
  error.keyword === 'maximum'
    ? {
        code: 'backup.retention-beyond-rds',
        message: `RDS keeps automated backups (point-in-time recovery) for at most ${RDS_MAX_RETENTION_DAYS} days, so ${String(value)} days cannot be given by any instance`,
        hint: 'longer keeping needs snapshots or an export: talk to Platon',
      }
    : undefined;

const TABLE: Readonly<Record<string, Explain>> = {
  'database:backup.retentionDays': retentionDays,
  'database:name': databaseName,
  'database:team': team,
  'database:contact': contact,
  'database:project': project,
  'database:connectionLimit': connectionLimit,
  'database:access.external.description': description,
  'instance:name': instanceName,
  'instance:baselineNetworks.description': description,
};

/**
 * Schema checks a rule makes again with a better message: the CIDR pattern is there for editors,
 * the CIDR rules say what exactly is wrong (missing prefix, octal, host bits).
 */
const CHECKED_BY_RULES: ReadonlySet<string> = new Set(['database:access.external.cidr:pattern', 'instance:baselineNetworks.cidr:pattern']);

export const checkedByRules = (schema: SchemaName, field: string, keyword: string): boolean => CHECKED_BY_RULES.has(`${schema}:${field}:${keyword}`);

/** The special wording for this field and failure, if there is one. */
export const explainField = (schema: SchemaName, field: string, value: unknown, error: ErrorObject): Explained | undefined =>
  TABLE[`${schema}:${field}`]?.(value, error);
