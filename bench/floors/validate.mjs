// Floor of `platon-db validate --root ROOT`: what any tool checking these files against their JSON
// Schemas must do, in a plain Node script (no tsx, nothing else loaded). Reads every file under
// databases/ and instances/, parses it with `yaml` (a document with positions, since diagnostics
// need line:column), compiles the schemas with ajv (as the tool does, same options) and checks each
// file, and the extension catalogs too. Exit 1 if a file does not conform.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

const [root, toolRoot] = process.argv.slice(2);
const schema = (name) => JSON.parse(readFileSync(join(toolRoot, 'schema', name), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, discriminator: true });
// The editor annotation the schemas carry (src/validate/schema-code.ts declares it the same way).
ajv.addVocabulary(['patternErrorMessage']);
formats.default(ajv, ['email', 'uri']);
const check = {
  databases: ajv.compile(schema('database.schema.json')),
  instances: ajv.compile(schema('instance.schema.json')),
  catalog: ajv.compile(schema('extension-catalog.schema.json')),
};
let bad = 0;
for (const folder of ['databases', 'instances']) {
  for (const name of readdirSync(join(root, folder)).sort()) {
    const doc = parseDocument(readFileSync(join(root, folder, name), 'utf8'), { schema: 'core' });
    if (doc.errors.length > 0 || !check[folder](doc.toJS())) bad++;
  }
}
const catalogs = join(toolRoot, 'schema', 'extensions');
for (const name of readdirSync(catalogs)) if (!check.catalog(JSON.parse(readFileSync(join(catalogs, name), 'utf8')))) bad++;
console.log(bad === 0 ? 'no problems' : `${bad} files do not conform`);
process.exitCode = bad === 0 ? 0 : 1;
