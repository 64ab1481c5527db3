/**
 * ajv's errors as findings a team member understands: a stable `schema.*` code (or a field's own
 * code from field-messages), the field in words, what was expected and what was found, and the
 * path so the position comes from the YAML source.
 */
import type { ErrorObject } from 'ajv';
import type { YamlPath } from '../load/parse-yaml.js';
import { closest, didYouMean } from './did-you-mean.js';
import { describePath, describeValue, fieldOf, firstSentence, quote, typeWord } from './describe.js';
import { checkedByRules, explainField } from './field-messages.js';
import { error, withHint, type Finding } from './finding.js';
import { checkSchema, schemaOf, type JsonSchema, type SchemaName } from './schemas.js';

export function schemaFindings(file: string, schema: SchemaName, value: unknown): Finding[] {
  const findings: Finding[] = [];
  for (const e of checkSchema(schema, value)) {
    const finding = toFinding(file, schema, value, e);
    if (finding) findings.push(finding);
  }
  return findings;
}

function toFinding(file: string, schema: SchemaName, root: unknown, e: ErrorObject): Finding | undefined {
  const path = pathOf(root, e.instancePath);
  const at = describePath(path);
  const parent = (e.parentSchema ?? {}) as JsonSchema;
  const made = (code: string, message: string, hint?: string, target: YamlPath = path, anchor: 'key' | 'value' = 'value') =>
    error(file, code, message, { path: target, anchor, ...withHint(hint) });

  if (checkedByRules(schema, fieldOf(path), e.keyword)) return undefined;
  const special = explainField(schema, fieldOf(path), e.data, e);
  if (special) return made(special.code, special.message, special.hint);

  switch (e.keyword) {
    case 'if':
      return undefined; // the failing `then` reports itself
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const what = firstSentence(parent.properties?.[missing]?.description);
      const where = path.length === 0 ? '' : ` in ${describePath(path)}`;
      return made('schema.required', `\`${missing}\` is missing${where}${what ? `: ${what}` : ''}`, undefined, path, 'key');
    }
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(parent.properties ?? {});
      const where = path.length === 0 ? `a ${schema} file` : describePath(path);
      const hint = didYouMean(key, known) ?? nestedSuggestion(schema, key, path) ?? `known settings here: ${known.join(', ')}`;
      const shown = key.length > 60 ? `${key.slice(0, 60)}…` : key;
      return made('schema.unknown-key', `\`${shown}\` is not a setting of ${where}`, hint, [...path, key], 'key');
    }
    case 'type': {
      const expected = String((e.params as { type: string }).type);
      const found = e.data;
      const message = found === null ? `${at} has no value; it must be ${typeWord(expected)}` : `${at} must be ${typeWord(expected)}, not ${describeValue(found)}`;
      return made('schema.type', message, typeHint(expected, found));
    }
    case 'enum':
    case 'const': {
      const allowed = (parent.enum ?? [parent.const]).map(String);
      return made('schema.enum', `${at} must be ${oneOf(allowed)}, not ${describeValue(e.data)}`, typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined);
    }
    case 'discriminator': {
      const { tag, error: kind } = e.params as { tag: string; error: string };
      if (kind === 'tag' && !(typeof e.data === 'object' && e.data !== null && tag in e.data)) return undefined; // `required` says it
      const allowed = (parent.oneOf ?? []).map((branch) => String(branch.properties?.[tag]?.const));
      const found = (e.data as Record<string, unknown>)[tag];
      return made('schema.enum', `${describePath([...path, tag])} must be ${oneOf(allowed)}, not ${describeValue(found)}`, typeof found === 'string' ? didYouMean(found, allowed) : undefined, [...path, tag]);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { comparison, limit } = e.params as { comparison: string; limit: number };
      const words: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'more than', '<': 'less than' };
      return made('schema.range', `${at} must be ${words[comparison] ?? comparison} ${limit}, not ${String(e.data)}`);
    }
    case 'minLength':
    case 'maxLength': {
      const limit = (e.params as { limit: number }).limit;
      if (e.keyword === 'minLength' && limit === 1) return made('schema.length', `${at} must not be empty`);
      return made('schema.length', `${at} must be ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${limit} characters long`);
    }
    case 'minItems':
      return made('schema.items', `${at} needs at least ${(e.params as { limit: number }).limit} entries`);
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      return made('schema.items', `${describePath([...path, j])} repeats entry ${i + 1} of ${at}`, 'remove one of them', [...path, i]);
    }
    case 'pattern':
    case 'format': {
      // The same words the editor shows (patternErrorMessage), else the field's description.
      const what = typeof parent.patternErrorMessage === 'string' ? parent.patternErrorMessage.replace(/\.$/, '') : firstSentence(parent.description);
      return made(`schema.${e.keyword}`, `${at} is ${describeValue(e.data)}, which does not have the expected form${what ? `: ${what}` : ''}`);
    }
    default:
      return made('schema.invalid', `${at} ${e.message ?? 'is not valid'}`);
  }
}

/** ajv's `/access/external/0/cidr` as a data path, with numbers where the data has lists. */
function pathOf(root: unknown, pointer: string): YamlPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let node = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step = Array.isArray(node) ? Number(segment) : segment;
    path.push(step);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[step] : undefined;
  }
  return path;
}

/** `readOnly` at the top level is probably `users.readOnly`: look for the key anywhere in the schema. */
function nestedSuggestion(schema: SchemaName, key: string, path: YamlPath): string | undefined {
  const here = path.filter((s) => typeof s === 'string').join('.');
  const byName = new Map<string, string>();
  for (const field of allFields(schemaOf(schema))) {
    const parts = field.split('.');
    if (parts.slice(0, -1).join('.') !== here) byName.set(parts.at(-1)!, field);
  }
  const match = closest(key, byName.keys());
  if (match === undefined) return undefined;
  const field = byName.get(match)!;
  const parent = field.split('.').slice(0, -1).join('.');
  return parent ? `did you mean \`${match}\` under \`${parent}\`?` : `did you mean \`${match}\` at the top level?`;
}

function allFields(schema: JsonSchema, prefix = ''): string[] {
  const fields: string[] = [];
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    const field = prefix ? `${prefix}.${name}` : name;
    fields.push(field, ...allFields(sub, field), ...(sub.items ? allFields(sub.items, field) : []));
  }
  return fields;
}

function typeHint(expected: string, found: unknown): string | undefined {
  if (expected === 'boolean' && typeof found === 'string' && /^(yes|no|on|off|y|n)$/i.test(found)) {
    return 'YAML 1.2 reads yes, no, on and off as text: write true or false';
  }
  if (expected === 'string' && (typeof found === 'number' || typeof found === 'boolean')) {
    return `put it in quotes: "${String(found)}"`;
  }
  if (expected === 'array' && typeof found === 'string') return `write a list: [${found}]`;
  if (expected === 'integer' && typeof found === 'string' && /^\d+$/.test(found.trim())) return 'remove the quotes around the number';
  return undefined;
}

const oneOf = (allowed: readonly string[]) => (allowed.length === 1 ? quote(allowed[0]!) : `one of ${allowed.join(', ')}`);
