/** `npm run compile-schemas`: regenerate src/validate/compiled-schemas.ts after editing schema/*.json. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPILED_SCHEMAS_FILE, schemaCode } from '../src/validate/schema-code.js';

writeFileSync(join(import.meta.dirname, '..', COMPILED_SCHEMAS_FILE), schemaCode());
console.log(`wrote ${COMPILED_SCHEMAS_FILE}`);
