/** The README's table of diagnostic codes lists every code the validator can produce. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './validate-helpers.js';

const sources = (folder: string): string[] =>
  readdirSync(join(REPO, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(REPO, folder, f), 'utf8'));

describe('README', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('### Diagnostic codes'));
  const used = new Set(
    [...sources('src/load'), ...sources('src/validate')].flatMap((text) =>
      [...text.matchAll(/'((?:file|yaml|schema|name|team|contact|project|description|connection-limit|backup|instance|extension|cidr|allowlist|secrets|repo)\.[a-z-]+)'/g)].map((m) => m[1]!),
    ),
  );
  it.each([...used, 'schema.pattern', 'schema.format'].sort())('documents %s', (code) => {
    expect(table).toContain(`\`${code}\``);
  });
  it('keeps a section for the applier', () => {
    expect(readme).toContain('## Applying (platon-db plan / apply)');
  });
});
