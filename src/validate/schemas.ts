/**
 * The JSON Schemas, compiled once per process: compiling costs tens of milliseconds, validating a
 * file microseconds, and the benchmark validates a thousand files.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import databaseSchema from '../../schema/database.schema.json' with { type: 'json' };
import instanceSchema from '../../schema/instance.schema.json' with { type: 'json' };
import catalogSchema from '../../schema/extension-catalog.schema.json' with { type: 'json' };

export type SchemaName = 'database' | 'instance' | 'catalog';

const SCHEMAS = { database: databaseSchema, instance: instanceSchema, catalog: catalogSchema } as const;

/** The raw schema, for descriptions and the property names that "did you mean" offers. */
export const schemaOf = (name: SchemaName): JsonSchema => SCHEMAS[name] as JsonSchema;

export interface JsonSchema {
  readonly description?: string;
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly items?: JsonSchema;
  readonly oneOf?: readonly JsonSchema[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly [keyword: string]: unknown;
}

let compiled: Record<SchemaName, ValidateFunction> | undefined;

function compile(): Record<SchemaName, ValidateFunction> {
  // verbose: errors carry their schema, so messages can quote a property's description.
  // strictRequired is off because `then: {required: [aws]}` names a property defined elsewhere.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, discriminator: true });
  formats.default(ajv, ['email', 'uri']);
  return { database: ajv.compile(databaseSchema), instance: ajv.compile(instanceSchema), catalog: ajv.compile(catalogSchema) };
}

/** Schema errors of `value`; empty when it conforms. */
export function checkSchema(name: SchemaName, value: unknown): readonly ErrorObject[] {
  compiled ??= compile();
  const validate = compiled[name];
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
