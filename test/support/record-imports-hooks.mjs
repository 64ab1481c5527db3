// The resolve hook of ./record-imports.mjs (module hooks run in a thread of their own).
import { appendFileSync } from 'node:fs';

const file = process.env.PLATON_RECORD_IMPORTS;

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(file, `${resolved.url}\n`);
  return resolved;
}
