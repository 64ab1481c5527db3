/**
 * Names PostgreSQL or RDS already use. The role suffixes are kept short enough by the schema's
 * 57-byte limit; here we refuse names that belong to the server: RDS reserves `rdsadmin` and the
 * templates, `postgres` is the admin's, and `pg_`/`rds_` prefixes belong to system and RDS roles.
 */
import type { DatabaseDraft, InstanceDraft } from '../drafts.js';
import { error, type Finding } from '../finding.js';

const RESERVED = new Set(['postgres', 'rdsadmin', 'template0', 'template1']);
const RESERVED_PREFIXES = ['pg_', 'rds_'];

export function reservedNameRule(db: DatabaseDraft, instance: InstanceDraft | undefined): Finding[] {
  const name = db.name;
  if (name === undefined) return [];
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  const reason = RESERVED.has(name)
    ? 'it is a system database of PostgreSQL or RDS'
    : prefix
      ? `names starting with ${prefix} belong to PostgreSQL or RDS`
      : name === instance?.adminDatabase
        ? `it is the admin database of instance ${instance.name ?? ''}`
        : undefined;
  if (reason === undefined) return [];
  return [error(db.file, 'name.reserved', `the database name ${name} is reserved: ${reason}`, { path: ['name'], anchor: 'value', hint: 'choose another name (and rename the file to match)' })];
}
