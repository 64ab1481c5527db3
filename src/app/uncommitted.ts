/**
 * An apply stamps every object it changes with the commit it ran from; the audit reads that as
 * "this reviewed commit is what is live". Files that differ from the commit would make the stamp
 * a lie, so apply refuses them on a shared instance. A local instance is a rehearsal: it applies,
 * and the stamp says `<sha>+dirty` so the audit shows it as not reviewed.
 */
import type { InstanceSpec } from '../model/spec.js';
import { UserError } from '../model/user-error.js';
import type { CommitStamp } from './commit.js';

const SHOWN = 10;

export function refuseUncommitted(instance: InstanceSpec, stamp: CommitStamp): void {
  if (stamp.uncommitted.length === 0 || instance.kind === 'local') return;
  const more = stamp.uncommitted.length - SHOWN;
  const files = [...stamp.uncommitted.slice(0, SHOWN), ...(more > 0 ? [`and ${more} more`] : [])].join(', ');
  throw new UserError(`not applying to instance ${instance.name}: files differ from the commit the markers would record (${files})`, {
    hint: 'commit them first (applies record the commit they ran from); in CI, set PLATON_COMMIT to the commit checked out',
  });
}
