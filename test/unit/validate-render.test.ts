/** The three diagnostic formats (and the step summary), on fixed diagnostics and on golden files. */
import { describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/app/load-repository.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { escapeData, escapeProperty, renderDiagnosticsGithub } from '../../src/render/diagnostics-github.js';
import { renderDiagnosticsJson } from '../../src/render/diagnostics-json.js';
import { renderDiagnosticsMarkdown } from '../../src/render/diagnostics-markdown.js';
import { renderDiagnosticsText } from '../../src/render/diagnostics-text.js';
import { tempRepo, validDatabase } from './validate-helpers.js';

const d = (over: Partial<Diagnostic> = {}): Diagnostic => ({
  file: 'databases/app.yaml',
  line: 3,
  column: 7,
  severity: 'error',
  code: 'cidr.too-broad',
  message: '81.0.0.0/8 is broader than instance shared-pg15 allows',
  ...over,
});

describe('text', () => {
  it('is plain without colour: file:line:column, severity, code, message, hint, summary', () => {
    const out = renderDiagnosticsText([d({ hint: 'list smaller networks' }), d({ severity: 'warning', code: 'cidr.overlap', line: 5, message: 'm' })], { color: false });
    expect(out).toBe(
      [
        'databases/app.yaml:3:7: error cidr.too-broad: 81.0.0.0/8 is broader than instance shared-pg15 allows',
        '    hint: list smaller networks',
        'databases/app.yaml:5:7: warning cidr.overlap: m',
        '1 error and 1 warning.',
        '',
      ].join('\n'),
    );
    expect(out).not.toMatch(/\x1b/);
  });
  it('colours severity only when asked', () => {
    expect(renderDiagnosticsText([d()], { color: true })).toContain('\x1b[31merror\x1b[0m');
  });
  it('keeps a message with a line break on one line', () => {
    expect(renderDiagnosticsText([d({ message: 'a\nfake.yaml:1:1: error x: y' })], { color: false }).split('\n')[0]).toContain('a fake.yaml');
  });
  it.each([
    [[], { databases: 3, instances: 2 }, '3 database files and 2 instance files: no problems.'],
    [[d({ severity: 'warning' })], { databases: 1, instances: 1 }, '1 warning in 1 database file and 1 instance file: valid, with warnings.'],
    [[d(), d()], { databases: 2, instances: 2 }, '2 errors in 2 database files and 2 instance files: invalid.'],
  ] as const)('summarises %j', (diagnostics, checked, line) => {
    expect(renderDiagnosticsText(diagnostics, { color: false, checked }).split('\n').at(-2)).toBe(line);
  });
});

describe('github', () => {
  it.each([
    ['100% sure\r\nnext', '100%25 sure%0D%0Anext'],
    ['a: b, c', 'a: b, c'],
  ])('escapes data %j', (text, expected) => {
    expect(escapeData(text)).toBe(expected);
  });
  it.each([
    ['databases/a,b:c.yaml', 'databases/a%2Cb%3Ac.yaml'],
    ['50%\n', '50%25%0A'],
  ])('escapes property %j', (text, expected) => {
    expect(escapeProperty(text)).toBe(expected);
  });
  it('writes one annotation per diagnostic, the hint on a second line, then the summary', () => {
    expect(renderDiagnosticsGithub([d({ hint: 'h' }), d({ severity: 'warning', file: 'instances/x,y.yaml' })], { databases: 1, instances: 1 })).toBe(
      [
        '::error file=databases/app.yaml,line=3,col=7,title=cidr.too-broad::81.0.0.0/8 is broader than instance shared-pg15 allows%0Ahint: h',
        '::warning file=instances/x%2Cy.yaml,line=3,col=7,title=cidr.too-broad::81.0.0.0/8 is broader than instance shared-pg15 allows',
        '1 error and 1 warning in 1 database file and 1 instance file: invalid.',
        '',
      ].join('\n'),
    );
  });
  it('lists everything in plain text too when GitHub would show only the first 10', () => {
    const many = Array.from({ length: 11 }, (_, i) => d({ line: i + 1 }));
    const out = renderDiagnosticsGithub(many).split('\n');
    expect(out.filter((l) => l.startsWith('::error'))).toHaveLength(11);
    expect(out).toContain('GitHub shows only the first 10 annotations; all 11 problems:');
    expect(out).toContain('databases/app.yaml:11:7: error cidr.too-broad: 81.0.0.0/8 is broader than instance shared-pg15 allows');
  });
});

describe('json', () => {
  it('has valid and the diagnostics with fixed fields', () => {
    expect(JSON.parse(renderDiagnosticsJson([d({ hint: 'h' })]))).toEqual({
      valid: false,
      diagnostics: [{ severity: 'error', code: 'cidr.too-broad', message: d().message, file: 'databases/app.yaml', line: 3, column: 7, hint: 'h' }],
    });
    expect(JSON.parse(renderDiagnosticsJson([d({ severity: 'warning' })])).valid).toBe(true);
  });
});

describe('markdown step summary', () => {
  it('escapes table cells', () => {
    const out = renderDiagnosticsMarkdown([d({ message: 'a | b <script>\nc' })]);
    expect(out).toContain('a \\| b &lt;script> c');
    expect(out.startsWith('### platon-db validate\n')).toBe(true);
  });
});

describe('golden output for a repository with typical mistakes', () => {
  const root = tempRepo({
    'databases/studentweb.yaml': validDatabase(
      'studentweb',
      'readOnly: yes\nextensions: [pgtrgm, pg_cron]\naccess:\n  external:\n    - cidr: 10.0.0.0/8\n      description: Partner\'s servers\n    - cidr: 81.91.101.5/28\n      description: Partner\nbackup:\n  retentionDays: 60\n',
    ),
    'databases/course_catalog.yml': validDatabase('course_catalog', 'connectionLimit: 500\n'),
    'databases/notes.txt': 'order a database for me please\n',
  });
  it.each([
    ['text', (ds: Diagnostic[]) => renderDiagnosticsText(ds, { color: false, checked: { databases: 2, instances: 2 } }), 'validate.txt'],
    ['github', (ds: Diagnostic[]) => renderDiagnosticsGithub(ds, { databases: 2, instances: 2 }), 'validate.github.txt'],
    ['json', (ds: Diagnostic[]) => renderDiagnosticsJson(ds), 'validate.json'],
    ['markdown', (ds: Diagnostic[]) => renderDiagnosticsMarkdown(ds, { databases: 2, instances: 2 }), 'validate.md'],
  ])('%s', async (_, render, golden) => {
    const { diagnostics } = await loadRepository(root);
    await expect(render(diagnostics)).toMatchFileSnapshot(`../fixtures/golden/${golden}`);
  });
});
