import { didYouMean } from '../did-you-mean.js';
import type { DatabaseDraft } from '../drafts.js';
import { error, withHint, type Finding } from '../finding.js';
import type { RepositoryContext } from './context.js';

export function instanceExistsRule(db: DatabaseDraft, context: RepositoryContext): Finding[] {
  if (db.instance === undefined || context.instances.has(db.instance)) return [];
  const known = [...context.instances.keys()].sort();
  return [
    error(db.file, 'instance.unknown', `there is no instance named ${db.instance} (instances: ${known.join(', ') || 'none'})`, {
      path: ['instance'],
      anchor: 'value',
      ...withHint(didYouMean(db.instance, known) ?? 'leave `instance` out to use the default instance'),
    }),
  ];
}
