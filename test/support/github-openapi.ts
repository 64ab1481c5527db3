/**
 * GitHub's published OpenAPI description (the pinned `@octokit/openapi` devDependency, the release
 * @octokit/core's types were generated from; CONTRIBUTING.md says which parts of Octokit were
 * generated from an older one) as validators for the operations the GitHub
 * double serves. The double checks every request body the real Octokit sends and every response
 * it gives against them, so it cannot accept what GitHub refuses nor answer what GitHub never would.
 *
 * The description is 13 MB; parsing it and compiling its schemas costs seconds. The first use
 * extracts the served operations and the schemas they reference into a small file under
 * node_modules/.cache (keyed by the package version and the operation list), and each test file
 * compiles a validator the first time it needs it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';

const require = createRequire(import.meta.url);

/** Every operation the code calls (grep `octokit.rest.` in src/adapters/github): the double serves these. */
export const OPERATIONS = [
  'users/get-authenticated',
  'issues/list-comments',
  'issues/create-comment',
  'issues/update-comment',
  'issues/list-for-repo',
  'issues/create',
  'issues/update',
  'pulls/get',
  'pulls/list-reviews',
  'repos/list-pull-requests-associated-with-commit',
] as const;
export type OperationId = (typeof OPERATIONS)[number];

/** Documented examples the double builds its objects from (so they carry every field GitHub sends). */
const EXAMPLES = ['issue-comment', 'issue', 'pull-request', 'pull-request-simple-items', 'pull-request-review', 'private-user'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

export interface Operation {
  readonly method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  readonly path: string;
  /** GitHub's documentation link, which its error bodies carry. */
  readonly docs: string;
  readonly request?: object;
  /** JSON schema per documented status; a status documented without a body has none. */
  readonly responses: Readonly<Record<string, object | null>>;
}

interface Subset {
  readonly version: string;
  readonly operations: Record<OperationId, Operation>;
  readonly schemas: Record<string, object>;
  readonly examples: Record<ExampleName, unknown>;
}

// Bump when the extraction below changes, so a stale cache is not reused.
const EXTRACTION = 1;

let subset: Subset | undefined;

function load(): Subset {
  if (subset) return subset;
  const pkgPath = require.resolve('@octokit/openapi/package.json');
  const version = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(JSON.stringify([EXTRACTION, OPERATIONS, EXAMPLES])).digest('hex').slice(0, 12);
  const cache = join(dirname(pkgPath), '..', '..', '.cache', 'platon-db', `github-openapi-${version}-${key}.json`);
  try {
    subset = JSON.parse(readFileSync(cache, 'utf8')) as Subset;
  } catch {
    subset = extract(JSON.parse(readFileSync(join(dirname(pkgPath), 'generated', 'api.github.com.json'), 'utf8')), version);
    mkdirSync(dirname(cache), { recursive: true });
    // Test files run in parallel workers: write aside, then rename (atomic), never a half file.
    const temp = `${cache}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(subset));
    renameSync(temp, cache);
  }
  return subset;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Description {
  paths: Record<string, Record<string, { operationId?: string; externalDocs?: { url: string }; requestBody?: Json; responses: Record<string, Json> }>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json>; examples: Record<string, { value: unknown }> };
}

function extract(doc: Description, version: string): Subset {
  const operations = {} as Record<OperationId, Operation>;
  const wanted = new Set<string>(OPERATIONS);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op.operationId || !wanted.has(op.operationId)) continue;
      const responses: Record<string, object | null> = {};
      for (const [status, response] of Object.entries(op.responses)) {
        const resolved = resolveRef(doc, response) as { content?: Record<string, { schema?: Json }> };
        const schema = resolved.content?.['application/json']?.schema;
        responses[status] = schema === undefined ? null : (openApiToJsonSchema(schema) as object);
      }
      const body = (resolveRef(doc, op.requestBody ?? null) as { content?: Record<string, { schema?: Json }> } | null)?.content?.['application/json']?.schema;
      operations[op.operationId as OperationId] = {
        method: method.toUpperCase(),
        path,
        docs: op.externalDocs?.url ?? 'https://docs.github.com/rest',
        ...(body === undefined ? {} : { request: openApiToJsonSchema(body) as object }),
        responses,
      };
    }
  }
  const missing = OPERATIONS.filter((id) => !operations[id]);
  if (missing.length > 0) throw new Error(`@octokit/openapi ${version} does not describe ${missing.join(', ')}`);
  // Every component schema the operations reach, transitively.
  const schemas: Record<string, object> = {};
  const pending = [...refsIn(operations)];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (schemas[name]) continue;
    const schema = doc.components.schemas[name];
    if (schema === undefined) throw new Error(`@octokit/openapi ${version}: no schema ${name}`);
    schemas[name] = openApiToJsonSchema(schema) as object;
    pending.push(...refsIn(schema));
  }
  const examples = Object.fromEntries(EXAMPLES.map((name) => [name, doc.components.examples[name]?.value])) as Record<ExampleName, unknown>;
  return { version, operations, schemas, examples };
}

const resolveRef = (doc: Description, value: Json): Json => {
  const ref = value !== null && typeof value === 'object' && !Array.isArray(value) ? value.$ref : undefined;
  if (typeof ref !== 'string') return value;
  const [, kind, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
  return (doc.components as unknown as Record<string, Record<string, Json>>)[kind!]![name!]!;
};

const refsIn = (value: unknown): string[] =>
  [...JSON.stringify(value).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);

/**
 * OpenAPI 3.0 schema -> JSON Schema ajv understands: `nullable: true` means null is allowed too
 * (whatever `type` or `enum` say), and documentation-only keys are dropped.
 */
function openApiToJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(openApiToJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'example' || key === 'examples' || key === 'description' || key === 'discriminator') continue;
    out[key] =
      key === 'properties' && value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).map(([name, property]) => [name, openApiToJsonSchema(property)]))
        : openApiToJsonSchema(value);
  }
  return schema.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

export const operation = (id: OperationId): Operation => load().operations[id];

/** A documented example (the first item of a list example), shared: spread it, never change it. */
export const example = (name: ExampleName): Readonly<Record<string, unknown>> => {
  const value = load().examples[name];
  return (Array.isArray(value) ? value[0] : value) as Record<string, unknown>;
};

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function compile(key: string, schema: object): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    if (!ajv) {
      // strict: false, because GitHub's description uses OpenAPI keywords JSON Schema does not know.
      ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, inlineRefs: false });
      formats.default(ajv);
      ajv.addSchema({ $id: 'https://github.test/components', components: { schemas: load().schemas } });
    }
    const rooted = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"https://github.test/components#/components/')) as object;
    validate = ajv.compile(rooted);
    validators.set(key, validate);
  }
  return validate;
}

/** Ajv's errors for a request body that does not fit the operation's schema; [] when it fits. */
export function requestErrors(id: OperationId, body: unknown): ErrorObject[] {
  const schema = operation(id).request;
  if (!schema) return [];
  const validate = compile(`${id} request`, schema);
  return validate(body) ? [] : [...(validate.errors ?? [])];
}

/**
 * Why a response the double is about to give is not one GitHub documents for that status: the
 * status is not documented, or the body does not fit its schema. Undefined when it is fine.
 */
export function responseProblem(id: OperationId, status: number, body: unknown): string | undefined {
  const responses = operation(id).responses;
  if (!(String(status) in responses)) return `${id}: GitHub documents no ${status} answer (only ${Object.keys(responses).join(', ')})`;
  const schema = responses[String(status)];
  if (!schema) return body === undefined || body === '' ? undefined : `${id}: GitHub's ${status} answer has no body`;
  const validate = compile(`${id} ${status}`, schema);
  if (validate(body)) return undefined;
  const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  return `${id}: the ${status} answer does not fit GitHub's schema: ${errors.join('; ')}`;
}
