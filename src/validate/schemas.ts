/**
 * The JSON Schemas and their validators. The validators are ajv's code for these schemas,
 * generated ahead of time (./compiled-schemas.ts, from ./schema-code.ts): compiling them at start
 * cost every run about a third of a second, validating a file costs microseconds.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as compiled from './compiled-schemas.js';
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

const VALIDATORS = compiled as unknown as Record<SchemaName, ValidateFunction>;

/** Schema errors of `value`; empty when it conforms. */
export function checkSchema(name: SchemaName, value: unknown): readonly ErrorObject[] {
  const validate = VALIDATORS[name];
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
