/** How a change reads in a plan, and where it runs. Pure. */
import type { Change, Placement, PlannedChange } from '../model/change.js';
import { ingressSummary } from './describe-ingress.js';
import { toApiCall } from './to-api-call.js';
import { toSql } from './to-sql.js';

export function placement(change: Change): Placement {
  switch (change.kind) {
    case 'authorize-ingress':
    case 'update-ingress-description':
    case 'revoke-ingress':
      return { target: 'allowlist', groupId: change.groupId, transactional: false };
    case 'grant-schema-read':
    case 'grant-default-privileges':
    case 'create-extension':
    case 'drop-extension':
      return { target: 'database', database: change.database, transactional: true };
    case 'create-database':
    case 'drop-database':
      // PostgreSQL refuses CREATE DATABASE and DROP DATABASE inside a transaction block.
      return { target: 'cluster', transactional: false };
    case 'delete-secret':
      return { target: 'secrets', transactional: false };
    default:
      return { target: 'cluster', transactional: true };
  }
}

function action(change: Change): PlannedChange['action'] {
  switch (change.kind) {
    // Adding a privilege or setting is a creation, so a new database reads as all `+`.
    case 'create-role':
    case 'create-database':
    case 'create-extension':
    case 'grant-membership':
    case 'grant-connect':
    case 'grant-schema-read':
    case 'grant-default-privileges':
    case 'set-role-setting':
    case 'authorize-ingress':
      return 'create';
    case 'drop-extension':
    case 'revoke-membership':
    case 'revoke-ingress':
    case 'revoke-connect':
    case 'drop-database':
    case 'drop-role':
    case 'delete-secret':
      return 'delete';
    default:
      return 'update';
  }
}

export function summary(change: Change): string {
  switch (change.kind) {
    case 'create-role': {
      if (!change.login) return `create role ${change.role} (NOLOGIN, owns the database)`;
      const where = change.secret ? `, password in ${change.secret.store} at ${change.secret.path}` : '';
      const limit = change.connectionLimit === undefined ? '' : `, at most ${change.connectionLimit} connections`;
      return `create login role ${change.role}${limit}${where}`;
    }
    case 'grant-membership':
      return `grant membership in ${change.role} to ${change.member}`;
    case 'revoke-membership':
      return `revoke unexpected membership of ${change.member} in ${change.role}`;
    case 'create-database':
      return change.vanished
        ? `recreate database ${change.database}, EMPTY, owned by ${change.owner}: it vanished (dropped outside platon-db); its roles and secrets remain`
        : `create database ${change.database} owned by ${change.owner}`;
    case 'alter-database': {
      const parts: string[] = [];
      if (change.isTemplate !== undefined) parts.push('no longer a template (IS_TEMPLATE false)');
      if (change.allowConnections !== undefined) parts.push('connections allowed again (ALLOW_CONNECTIONS true)');
      if (change.connectionLimit !== undefined) parts.push(`connection limit ${change.connectionLimit} (was ${change.was.connectionLimit})`);
      for (const setting of change.resetSettings ?? []) parts.push(`reset setting ${setting} (was ${change.was.settings?.[setting]})`);
      return `correct database ${change.database}, changed outside platon-db: ${parts.join(', ')}`;
    }
    case 'revoke-public':
      return `revoke ${change.privileges.join(', ')} on database ${change.database} from PUBLIC (other teams may not connect)`;
    case 'grant-connect':
      return `allow ${change.role} to connect to ${change.database}`;
    case 'set-role-setting':
      return `set ${change.setting} = ${change.value} for ${change.role} (objects it creates belong to the owner role)`;
    case 'grant-schema-read':
      return `give ${change.role} read access to schema ${change.schema} in ${change.database}`;
    case 'grant-default-privileges':
      return `make future ${change.target} of ${change.owner} readable by ${change.role}`;
    case 'create-extension':
      return `create extension ${change.extension} in ${change.database}`;
    case 'drop-extension':
      return `drop extension ${change.extension} from ${change.database}`;
    case 'alter-role': {
      const parts: string[] = [];
      if (change.login !== undefined) parts.push(change.login ? 'allow login' : 'disable login');
      if (change.connectionLimit !== undefined) parts.push(`connection limit ${change.connectionLimit}`);
      if (change.remove !== undefined) parts.push(`remove ${change.remove.join(', ')}`);
      return `correct role ${change.role}: ${parts.join(', ')}`;
    }
    case 'reset-password':
      return change.reason === 'rotation-pending'
        ? `finish the interrupted rotation of ${change.role}: set the latest password from ${change.secret.store} at ${change.secret.path}`
        : `issue a new password for ${change.role}: its secret is missing from ${change.secret.store} at ${change.secret.path}`;
    case 'revoke-connect':
      return `retire: ${change.role} may no longer connect to ${change.database}`;
    case 'terminate-sessions':
      return `retire: end the open sessions of ${change.roles.join(', ')} on ${change.database}`;
    case 'drop-database':
      return `drop database ${change.database} and all its data (retired by an earlier apply)`;
    case 'drop-role':
      return `drop role ${change.role}`;
    case 'delete-secret':
      return `delete the credentials of ${change.role} from ${change.secret.store} at ${change.secret.path}`;
    case 'set-marker':
      if (change.repair !== undefined) {
        return `repair marker on database ${change.name}: its comment ${change.repair}; ownership is read from role markers, which teams cannot write`;
      }
      if (change.marker.state === 'retired' && change.object === 'database') {
        return `record that database ${change.name} is retired (commit ${change.marker.commit.slice(0, 12)})`;
      }
      return `record ownership of ${change.object} ${change.name} (commit ${change.marker.commit.slice(0, 12)})`;
    case 'authorize-ingress':
    case 'update-ingress-description':
    case 'revoke-ingress':
      return ingressSummary(change);
  }
}

export function toPlannedChange(change: Change): PlannedChange {
  const apiCall = toApiCall(change);
  return {
    change,
    action: action(change),
    summary: summary(change),
    placement: placement(change),
    statements: toSql(change),
    ...(apiCall ? { apiCall } : {}),
  };
}
