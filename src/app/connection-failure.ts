/** A server that cannot be reached is the user's to fix: one clear line, never the password. */
import type { InstanceSpec } from '../model/spec.js';
import { UserError } from '../model/user-error.js';
import { redact } from '../apply/redact.js';
import type { Target } from './instance-target.js';

export function describeConnectionFailure(instance: InstanceSpec, target: Target, error: unknown): UserError {
  if (error instanceof UserError) return error;
  const reason = redact(error instanceof Error ? error.message : String(error), []);
  return new UserError(`cannot read instance ${instance.name} (${target.connector.display}): ${reason}`, {
    hint: 'check that the server is up and that PLATON_DATABASE_URL names its admin role',
    cause: error,
  });
}
