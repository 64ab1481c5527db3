/** The README keeps the sections other documents link to (the codes themselves: reference-doc.test.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './validate-helpers.js';

describe('README', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  it('keeps a section for the applier', () => {
    expect(readme).toContain('## Applying (platon-db plan / apply)');
  });
});
