/** Schema errors read as sentences with stable codes, at the right line and column. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsed, REPO, validDatabase, validateInMemory } from './validate-helpers.js';

const HEADER = '# yaml-language-server: $schema=../schema/database.schema.json\n';

const diagnose = (body: string) => validateInMemory({ 'databases/app.yaml': HEADER + body }).diagnostics;

describe('schema diagnostics', () => {
  it.each([
    [
      'missing required fields, each named with what it is for',
      'name: app\nproject: P\n',
      [
        ['schema.required@2:1', /`contact` is missing: E-mail address/],
        ['schema.required@2:1', /`team` is missing: Slug of the GitHub team/],
      ],
    ],
    ['an unknown key with a near miss', 'name: app\nteam: t\nproject: P\ncontact: a@example.org\nextension: [citext]\n', [['schema.unknown-key@6:1', /`extension` is not a setting of a database file/, 'did you mean `extensions`?']]],
    ['a key at the wrong level', 'name: app\nteam: t\nproject: P\ncontact: a@example.org\nreadOnly: true\n', [['schema.unknown-key@6:1', /`readOnly`/, 'did you mean `readOnly` under `users`?']]],
    ['a nested unknown key', 'name: app\nteam: t\nproject: P\ncontact: a@example.org\nbackup:\n  retention: 30\n', [['schema.unknown-key@7:3', /not a setting of `backup`/, /known settings here: retentionDays|did you mean/]]],
    ['yes for a boolean', 'name: app\nteam: t\nproject: P\ncontact: a@example.org\nusers:\n  readOnly: yes\n', [['schema.type@7:13', /`users.readOnly` must be true or false, not the text "yes"/, /YAML 1.2/]]],
    ['an empty value', 'name: app\nteam:\nproject: P\ncontact: a@example.org\n', [['schema.type@3:1', /`team` has no value; it must be text/]]],
    ['a number where text is expected', 'name: app\nteam: 2024\nproject: P\ncontact: a@example.org\n', [['schema.type@3:7', /must be text, not the number 2024/, 'put it in quotes: "2024"']]],
    ['a string where a list is expected', 'name: app\nteam: t\nproject: P\ncontact: a@example.org\nextensions: citext\n', [['schema.type@6:13', /`extensions` must be a list/, 'write a list: [citext]']]],
    ['a fraction for whole days', 'name: app\nteam: t\nproject: P\ncontact: a@example.org\nbackup:\n  retentionDays: 7.5\n', [['schema.type@7:18', /whole number/]]],
    ['a list entry missing a field', 'name: app\nteam: t\nproject: P\ncontact: a@example.org\naccess:\n  external:\n    - cidr: 81.91.101.0/28\n', [['schema.required@8:7', /`description` is missing in entry 1 of `access.external`/]]],
    ['contact not an e-mail', 'name: app\nteam: t\nproject: P\ncontact: someone\n', [['contact.invalid@5:10', /must be an e-mail address, not "someone"/]]],
    ['team with an organisation', 'name: app\nteam: "@platon/dba"\nproject: P\ncontact: a@example.org\n', [['team.invalid@3:7', /slug of a GitHub team/, 'write only the part after the slash: dba']]],
    ['team with spaces and capitals', 'name: app\nteam: Lab Services\nproject: P\ncontact: a@example.org\n', [['team.invalid@3:7', /slug/, 'did you mean `lab-services`?']]],
    ['an empty project', 'name: app\nteam: t\nproject: ""\ncontact: a@example.org\n', [['project.invalid@4:10', /`project`/]]],
    ['a connection limit of 0', 'name: app\nteam: t\nproject: P\ncontact: a@example.org\nconnectionLimit: 0\n', [['connection-limit.out-of-range@6:18', /at least 1/]]],
    [
      'a description with characters AWS refuses',
      "name: app\nteam: t\nproject: P\ncontact: a@example.org\naccess:\n  external:\n    - cidr: 81.91.101.0/28\n      description: Partner's servers – Bergen\n",
      [['description.invalid-characters@9:20', /contains "'", "–"/, /use only letters/]],
    ],
    [
      'a description too long',
      `name: app\nteam: t\nproject: P\ncontact: a@example.org\naccess:\n  external:\n    - cidr: 81.91.101.0/28\n      description: ${'x'.repeat(101)}\n`,
      [['description.too-long@9:20', /101 characters; at most 100/]],
    ],
  ])('%s', (_, body, expected) => {
    const diagnostics = diagnose(body);
    expect(diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(expected.map((e) => e[0]));
    diagnostics.forEach((d, i) => {
      const [, message, hint] = expected[i]!;
      expect(d.message).toMatch(message as RegExp);
      if (hint !== undefined) expect(d.hint).toMatch(hint instanceof RegExp ? hint : new RegExp(escape(hint)));
    });
  });

  it('gives the database-name wording a suggestion', () => {
    const [d] = validateInMemory({ 'databases/Student-Web.yaml': validDatabase('Student-Web') }).diagnostics;
    expect(d).toMatchObject({ code: 'name.invalid', line: 2, column: 7, hint: 'did you mean `student_web`? (rename the file to match)' });
  });

  it('names the allowed values of an enum and suggests the nearest', () => {
    const shared = readFileSync(join(REPO, 'instances/shared-pg15.yaml'), 'utf8').replace('kind: rds', 'kind: RDS').replace('store: vault', 'store: vaults');
    const diagnostics = validateInMemory({}, [parsed('instances/shared-pg15.yaml', 'instance', shared)]).diagnostics.map((d) => [d.code, d.line, d.message, d.hint]);
    expect(diagnostics).toEqual([
      ['schema.enum', lineOf(shared, 'kind: RDS'), '`kind` must be one of rds, local, not the text "RDS"', 'did you mean `rds`?'],
      ['schema.enum', lineOf(shared, 'store: vaults'), '`secrets.store` must be one of file, vault, not the text "vaults"', 'did you mean `vault`?'],
    ]);
  });
});

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
