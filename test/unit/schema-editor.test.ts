/**
 * What an editor (yaml-language-server) gets from schema/*.json (issue 15, item 8): every value
 * the tool accepts is offered for completion, defaults are the ones the tool applies, examples are
 * valid files' values, a pattern mistake reads as words (yaml-language-server shows
 * `patternErrorMessage` instead of "String does not match the pattern of ..."), and a CIDR is
 * checked as far as a regular expression can, without refusing one the tool accepts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../src/validate/cidr.js';
import { schemaOf, type JsonSchema, type SchemaName } from '../../src/validate/schemas.js';
import { REPO, validDatabase, validateInMemory } from './validate-helpers.js';

/** String literals of a property's (or type alias's) union type in src/model/spec.ts. */
function specLiterals(name: string): string[] {
  const file = ts.createSourceFile('spec.ts', readFileSync(join(REPO, 'src/model/spec.ts'), 'utf8'), ts.ScriptTarget.Latest);
  const values = new Set<string>();
  const collect = (type: ts.Node): void => {
    if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) values.add(type.literal.text);
    ts.forEachChild(type, collect);
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isPropertySignature(node) || ts.isTypeAliasDeclaration(node)) && node.name.getText(file) === name && node.type) {
      // Only the literals directly in this member's union, not nested object members' ones.
      const union = ts.isUnionTypeNode(node.type) ? node.type.types : [node.type];
      for (const t of union) if (ts.isLiteralTypeNode(t)) collect(t);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return [...values].sort();
}

/** Every const/enum value the schema allows for a property of that name, anywhere but in `if`. */
function schemaValues(schema: JsonSchema, property: string): string[] {
  const values = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, sub] of Object.entries(node as Record<string, unknown>)) {
      if (key === 'if') continue;
      if (key === 'properties' && sub && typeof sub === 'object' && property in sub) {
        const s = (sub as Record<string, JsonSchema>)[property]!;
        for (const v of [...(s.enum ?? []), ...('const' in s ? [s.const] : [])]) values.add(String(v));
      }
      walk(sub);
    }
  };
  walk(schema);
  return [...values].sort();
}

describe('completion offers every value the tool accepts', () => {
  it.each([
    ['instance', 'method'],
    ['instance', 'store'],
    ['instance', 'kind'],
    ['database', 'DatabaseState'],
  ] as const)('%s schema: %s', (schema, name) => {
    const property = name === 'DatabaseState' ? 'state' : name;
    const accepted = specLiterals(name);
    expect(accepted.length).toBeGreaterThan(1);
    expect(schemaValues(schemaOf(schema as SchemaName), property)).toEqual(accepted);
  });

  it('auth.method includes jwt (GitHub Actions logs in to Vault with its OIDC token)', () => {
    expect(schemaValues(schemaOf('instance'), 'method')).toContain('jwt');
  });
});

/** Every property schema with its dotted path (array items under their list's name). */
function properties(schema: JsonSchema, prefix = ''): [string, JsonSchema][] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, sub]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    return [[path, sub] as [string, JsonSchema], ...properties(sub, path), ...(sub.items ? properties(sub.items, path) : [])];
  });
}

describe('defaults', () => {
  const withDefault = properties(schemaOf('database')).filter(([, s]) => 'default' in s);
  const spec = validateInMemory({ 'databases/app.yaml': validDatabase('app') }).databases[0]!;
  // Absent means this in the spec (src/model/spec.ts: "absent means `active`").
  const ABSENT: Record<string, unknown> = { state: 'active', adopt: false };

  it('the database schema declares defaults for the optional settings', () => {
    expect(withDefault.map(([p]) => p).sort()).toEqual(['access.external', 'adopt', 'connectionLimit', 'extensions', 'instance', 'state', 'users.readOnly']);
  });

  it.each(withDefault)('%s: a file that leaves it out gets the schema default', (path, s) => {
    const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], spec) ?? ABSENT[path];
    expect(value).toEqual(s.default);
  });
});

describe('examples', () => {
  const examples = properties(schemaOf('database')).filter(([, s]) => Array.isArray(s.examples));
  it('name, team, project, contact, extensions, cidr, description, retentionDays, connectionLimit and instance have examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });
  it.each(examples.flatMap(([path, s]) => (s.examples as unknown[]).map((e) => [path, e] as const)))('%s: %j is accepted in a file', (path, example) => {
    const yaml = (v: unknown) => JSON.stringify(v);
    const fields: Record<string, string> = {
      name: 'name', team: 'team', project: 'project', contact: 'contact', connectionLimit: 'connectionLimit', instance: 'instance', extensions: 'extensions',
    };
    let text: string;
    const name = path === 'name' ? String(example) : 'app';
    if (path in fields) text = validDatabase(name).replace(new RegExp(`^${path}: .*$`, 'm'), '') + `${path}: ${yaml(example)}\n`;
    else if (path === 'access.external.cidr') text = validDatabase(name, `access:\n  external:\n    - cidr: ${yaml(example)}\n      description: Partner\n`);
    else if (path === 'access.external.description') text = validDatabase(name, `access:\n  external:\n    - cidr: 81.91.101.0/28\n      description: ${yaml(example)}\n`);
    else if (path === 'backup.retentionDays') text = validDatabase(name, `backup:\n  retentionDays: ${yaml(example)}\n`);
    else throw new Error(`no file for the examples of ${path}`);
    const errors = validateInMemory({ [`databases/${name}.yaml`]: text }).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  });
});

describe('pattern mistakes read as words', () => {
  const patterned = (['database', 'instance'] as const).flatMap((name) => {
    const found: [string, JsonSchema][] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (node === null || typeof node !== 'object') return;
      if (typeof (node as JsonSchema).pattern === 'string') found.push([`${name}${at}`, node as JsonSchema]);
      for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
    };
    walk(schemaOf(name), '');
    return found;
  });

  it.each(patterned)('%s has a patternErrorMessage in words', (_, s) => {
    expect(typeof s.patternErrorMessage).toBe('string');
    // Words a person reads, not the expression: it starts with a word and does not quote the pattern.
    expect(s.patternErrorMessage).toMatch(/^[A-Z][a-z]*[ ,]/);
    expect(s.patternErrorMessage).not.toContain(String(s.pattern).slice(1, -1));
  });

  it('platon-db validate says the same words', () => {
    const text = validDatabase('app', 'users:\n  owner: Legacy-Owner\nadopt: true\n');
    const [d] = validateInMemory({ 'databases/app.yaml': text }).diagnostics.filter((x) => x.code === 'schema.pattern');
    expect(d?.message).toContain('A PostgreSQL role name: lowercase letters a-z, digits and underscores');
  });
});

describe('the CIDR pattern', () => {
  const cidrSchema = (schemaOf('database').properties!.access!.properties!.external!.items!.properties!.cidr as JsonSchema);
  const pattern = new RegExp(String(cidrSchema.pattern), 'u');
  const accepted = ['81.91.101.0/28', '81.91.101.7/32', '1.0.0.0/8', '255.255.255.255/32', '2a0e:1c80:9::/48', '2001:db8::1/128', '::/0', '::ffff:81.91.101.0/120', '2a0e:1c80:0009:0000:0000:0000:0000:0001/128', 'fe80::1/64'];
  const refused = ['81.91.101.0', '81.91.101.0/33', '081.91.101.0/28', '256.1.1.1/32', '81.91.101/24', 'my office', '2a0e:1c80:9::/129', '2a0e:1c80:9::', 'fe80::1%eth0/64', '0x51.91.101.0/28', ' 81.91.101.0/28x'];

  it.each(accepted)('accepts %s, which the tool parses', (cidr) => {
    // The editor must never flag what platon-db accepts (host bits and ranges are the rules' to judge).
    const parsed = parseCidr(cidr);
    expect(parsed.ok || parsed.problem.code === 'cidr.host-bits' || parsed.problem.code === 'cidr.ipv4-mapped').toBe(true);
    expect(pattern.test(cidr)).toBe(true);
  });

  it.each(refused)('refuses %j, which the tool refuses as not a CIDR', (cidr) => {
    const parsed = parseCidr(cidr);
    expect(parsed.ok).toBe(false);
    expect(pattern.test(cidr)).toBe(false);
  });

  it('platon-db reports such a CIDR once, with the CIDR rule\'s words (not the schema\'s pattern too)', () => {
    const text = validDatabase('app', 'access:\n  external:\n    - cidr: 81.91.101.0\n      description: Partner\n');
    expect(validateInMemory({ 'databases/app.yaml': text }).diagnostics.map((d) => d.code)).toEqual(['cidr.missing-prefix']);
  });

  it('retentionDays is at most 35: AWS keeps automated backups of an RDS instance 0 to 35 days', () => {
    const retention = schemaOf('database').properties!.backup!.properties!.retentionDays!;
    expect(retention.maximum).toBe(35);
  });
});
