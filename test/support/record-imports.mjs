// `node --import ./record-imports.mjs ...`: appends every module the process loads to the file
// named by PLATON_RECORD_IMPORTS, one URL or path a line. ESM (and packages imported from ESM)
// through a resolve hook; CommonJS modules from require's cache when the process exits, which also
// catches a package required from CommonJS. For test/integration/cli-loads.test.ts.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.PLATON_RECORD_IMPORTS;
if (file) {
  register('./record-imports-hooks.mjs', import.meta.url);
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => appendFileSync(file, Object.keys(cache).map((path) => `${path}\n`).join('')));
}
