/** What a database asks of its instance: backup retention and connections. */
import type { DatabaseDraft, InstanceDraft } from '../drafts.js';
import { RDS_MAX_RETENTION_DAYS } from '../field-messages.js';
import { error, warning, type Finding } from '../finding.js';

export function limitRules(db: DatabaseDraft, instance: InstanceDraft | undefined): Finding[] {
  if (!instance) return [];
  const findings: Finding[] = [];
  const name = instance.name ?? instance.stem;
  const days = db.retentionDays;
  const gives = instance.backupRetentionDays;
  if (days !== undefined && days > RDS_MAX_RETENTION_DAYS) {
    // The schema's maximum reports it (backup.retention-beyond-rds): no instance can give it.
  } else if (days !== undefined && gives !== undefined && days > gives) {
    findings.push(
      error(db.file, 'backup.retention-too-long', `you ask for ${days} days of backups, but instance ${name} keeps ${gives} days for every database.`, {
        path: ['backup', 'retentionDays'],
        anchor: 'value',
        hint: `longer retention needs a dedicated RDS instance: ask Platon, or remove retentionDays to accept ${gives} days`,
      }),
    );
  } else if (days !== undefined && gives !== undefined && days < gives) {
    findings.push(
      warning(db.file, 'backup.retention-shorter', `instance ${name} keeps ${gives} days of backups for every database; asking for ${days} changes nothing`, {
        path: ['backup', 'retentionDays'],
        anchor: 'value',
        hint: `if backups must be deleted sooner (e.g. for personal data), talk to Platon; else set ${gives} or remove the line`,
      }),
    );
  }
  const limit = db.connectionLimit;
  const max = instance.maxConnectionLimit;
  if (limit !== undefined && max !== undefined && limit > max) {
    findings.push(
      error(db.file, 'connection-limit.too-high', `connectionLimit ${limit} is more than instance ${name} allows per user (${max})`, {
        path: ['connectionLimit'],
        anchor: 'value',
        hint: 'use a connection pool in the application; if you really need more, ask Platon',
      }),
    );
  }
  return findings;
}
