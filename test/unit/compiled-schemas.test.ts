/**
 * validate checks files with validators generated from schema/*.json ahead of time
 * (src/validate/compiled-schemas.ts). A schema edited without regenerating them would be published
 * (editors read schema/*.json through the files' `$schema` line) but not enforced: this fails then.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPILED_SCHEMAS_FILE, schemaCode } from '../../src/validate/schema-code.js';

describe('the compiled schema validators', () => {
  it('are what schema/*.json compile to today (else: npm run compile-schemas)', () => {
    const committed = readFileSync(join(import.meta.dirname, '..', '..', COMPILED_SCHEMAS_FILE), 'utf8');
    // Not toBe: a 130 kB diff would bury the one line that says what to do.
    expect(committed === schemaCode(), `${COMPILED_SCHEMAS_FILE} is out of date: run npm run compile-schemas`).toBe(true);
  });
});
