import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/load/parse-yaml.js';

const problems = (text: string) => {
  const result = parseYaml(text);
  return result.ok ? [] : result.problems.map((p) => `${p.code}@${p.line}:${p.column}`);
};

describe('parseYaml rejects hostile or ambiguous YAML by name', () => {
  it.each([
    ['duplicate key', 'a: 1\nb: 2\na: 3\n', ['yaml.duplicate-key@3:1']],
    ['duplicate nested key', 'a:\n  x: 1\n  x: 2\n', ['yaml.duplicate-key@3:3']],
    ['anchor and alias', 'a: &x [1]\nb: *x\n', ['yaml.anchor@1:4', 'yaml.alias@2:4']],
    ['alias to nothing', 'a: *nope\n', ['yaml.alias@1:4']],
    ['merge key', 'base: &b {x: 1}\nother:\n  <<: *b\n', ['yaml.anchor@1:7', 'yaml.alias@3:7']],
    ['custom tag', 'a: !!python/object/apply:os.system [ls]\n', ['yaml.tag@1:4']],
    ['local tag', 'a: !include other.yaml\n', ['yaml.tag@1:4']],
    ['standard tag too', 'a: !!str 3\n', ['yaml.tag@1:4']],
    ['tag on the root', '--- !foo\na: 1\n', ['yaml.tag@1:5']],
    ['two documents', 'a: 1\n---\nb: 2\n', ['yaml.multiple-documents@2:1']],
    ['YAML 1.1 directive', '%YAML 1.1\n---\na: yes\n', ['yaml.directive@1:1']],
    ['TAG directive', '%TAG !e! tag:example.com,2000:\n---\na: 1\n', ['yaml.directive@1:1']],
    ['list at the root', '- a\n- b\n', ['yaml.root-not-mapping@1:1']],
    ['scalar at the root', 'just text\n', ['yaml.root-not-mapping@1:1']],
    ['empty', '', ['file.empty@1:1']],
    ['only comments', '# nothing\n\n# here\n', ['file.empty@1:1']],
    ['only a document marker', '---\n', ['file.empty@1:1']],
    ['complex key', '? [a, b]\n: c\n', ['yaml.key-not-string@1:3']],
    ['number key', '1: one\n', ['yaml.key-not-string@1:1']],
    ['null key', '~: x\n', ['yaml.key-not-string@1:1']],
    ['unclosed quote', 'a: "open\nb: 2\n', ['yaml.syntax@3:1']],
    ['bad indentation', 'a:\n  - b\n c: 3\n', ['yaml.syntax@3:1']],
    ['tab indentation', 'a:\n\tb: 1\n', ['yaml.syntax@2:1']],
    ['deep nesting', `a: ${'['.repeat(40)}${']'.repeat(40)}\n`, ['yaml.too-deep@1:19']],
  ])('%s', (_, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('survives nesting deep enough to overflow a recursive parser, with a diagnostic', () => {
    expect(problems('['.repeat(60_000))[0]).toMatch(/^yaml\.(too-deep|syntax)@/);
    expect(problems(`${'- '.repeat(30_000)}x\n`)[0]).toMatch(/^yaml\.(too-deep|syntax)@/);
  });

  it('reports every problem in a file, not the first', () => {
    expect(problems('a: &x 1\nb: *x\nc: !t 2\nc: 3\n')).toEqual(['yaml.anchor@1:4', 'yaml.alias@2:4', 'yaml.tag@3:4', 'yaml.duplicate-key@4:1']);
  });
});

describe('parseYaml reads the plain subset', () => {
  it('keeps YAML 1.2 core meanings: yes and on stay text, 0777 is a number', () => {
    const result = parseYaml('a: yes\nb: on\nc: 0777\nd: true\ne: ~\nf: "x"\n');
    expect(result.ok && result.yaml.value).toEqual({ a: 'yes', b: 'on', c: 777, d: true, e: null, f: 'x' });
  });

  it('turns a __proto__ key into data, never a prototype', () => {
    const result = parseYaml('__proto__:\n  polluted: true\nname: x\n');
    if (!result.ok) throw new Error('should parse');
    expect(Object.keys(result.yaml.value)).toEqual(['__proto__', 'name']);
    expect(Object.getPrototypeOf(result.yaml.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    [['name'], 'key', '2:1'],
    [['name'], 'value', '2:7'],
    [['access', 'external', 1, 'cidr'], 'value', '7:13'],
    [['access', 'external', 1, 'nope'], 'key', '7:7'],
    [['users'], 'value', '3:1'],
    [[], 'key', '2:1'],
  ] as const)('locates %j (%s) at %s', (path, anchor, position) => {
    const text = '# comment\nname: x\nusers:\naccess:\n  external:\n    - cidr: 1.2.3.0/24\n    - cidr: 5.6.7.0/24\n';
    const result = parseYaml(text);
    if (!result.ok) throw new Error('should parse');
    const { line, column } = result.yaml.locate(path, anchor);
    expect(`${line}:${column}`).toBe(position);
  });
});
