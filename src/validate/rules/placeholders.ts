/**
 * `platon-db import` cannot know a database's team, project or contact, so it writes `TODO: ...`
 * placeholders. They must fail validation until someone fills them in, with one clear error each
 * (not also the pattern or e-mail error the placeholder text would cause).
 */
import type { YamlPath } from '../../load/parse-yaml.js';
import { error, type Finding } from '../finding.js';

export const PLACEHOLDER_PREFIX = 'TODO';

const FIELDS = ['team', 'project', 'contact'] as const;

const isPlaceholder = (value: unknown): boolean => typeof value === 'string' && value.trimStart().startsWith(PLACEHOLDER_PREFIX);

export function placeholderRule(file: string, data: unknown): Finding[] {
  const record = (data ?? {}) as Record<string, unknown>;
  return FIELDS.filter((field) => isPlaceholder(record[field])).map((field) =>
    error(file, 'field.placeholder', `${field} is still the placeholder platon-db import wrote: ${String(record[field])}`, {
      path: [field],
      anchor: 'value',
      hint: 'fill it in before the pull request can be merged',
    }),
  );
}

/** Whether a finding is about a placeholder field, which placeholderRule already reports. */
export function aboutPlaceholder(data: unknown, path: YamlPath): boolean {
  const record = (data ?? {}) as Record<string, unknown>;
  return path.length === 1 && (FIELDS as readonly (string | number)[]).includes(path[0]!) && isPlaceholder(record[path[0] as string]);
}
