/**
 * The `databases/<name>.yaml` that `platon-db import` writes: pure text, so a test can read it
 * whole. What import cannot know (team, project, contact) becomes a `TODO:` placeholder, which
 * fails validation until a person fills it in.
 */
import { PLACEHOLDER_PREFIX } from '../validate/rules/placeholders.js';
import { schemaComment } from '../validate/rules/file-rules.js';

export interface ImportedDatabase {
  readonly name: string;
  readonly instance: string;
  /** Whether `instance:` must be written (it is not the default instance). */
  readonly writeInstance: boolean;
  readonly team?: string;
  readonly project?: string;
  readonly contact?: string;
  readonly owner: string;
  readonly rw: string;
  readonly ro?: string;
  readonly extensions: readonly string[];
  readonly connectionLimit: number;
  /** Lines of YAML comment about the connection limit import chose, shown above it. */
  readonly notes: readonly string[];
}

const TODO = {
  team: `${PLACEHOLDER_PREFIX}: the GitHub team slug that owns this database`,
  project: `${PLACEHOLDER_PREFIX}: the project or application that uses it`,
  contact: `${PLACEHOLDER_PREFIX}: the team's e-mail address (preferably a list)`,
};

/** A YAML scalar: plain where that reads the same, else double-quoted (JSON's form is valid YAML). */
const scalar = (value: string): string => (/^[A-Za-z0-9][A-Za-z0-9 _.@/-]*$/.test(value) && !/^(true|false|null|yes|no|on|off)$/i.test(value) ? value : JSON.stringify(value));

export function importedFile(db: ImportedDatabase, date: string): string {
  const lines = [
    schemaComment('database'),
    `# Imported from instance ${db.instance} by platon-db import on ${date}: this database existed before`,
    '# platon-db. Its first apply only adopts it (ownership markers, missing read grants, PUBLIC',
    "# revoked) and changes no password. Fill in the TODO lines before opening the pull request.",
    `name: ${db.name}`,
    `team: ${scalar(db.team ?? TODO.team)}`,
    `project: ${scalar(db.project ?? TODO.project)}`,
    `contact: ${scalar(db.contact ?? TODO.contact)}`,
    'adopt: true',
    ...(db.writeInstance ? [`instance: ${db.instance}`] : []),
    'users:',
    `  owner: ${db.owner}${db.owner === db.rw ? '        # the read/write user owns the database; kept so' : '        # owns the database and its objects; kept so'}`,
    `  rw: ${db.rw}`,
    ...(db.ro === undefined ? [] : [`  ro: ${db.ro}`]),
    ...(db.extensions.length === 0 ? [] : [`extensions: [${db.extensions.join(', ')}]`]),
    ...db.notes.map((note) => `# ${note}`),
    `connectionLimit: ${db.connectionLimit}`,
  ];
  return `${lines.join('\n')}\n`;
}
