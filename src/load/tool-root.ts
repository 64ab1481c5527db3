import { fileURLToPath } from 'node:url';

/**
 * The folder platon-db itself lives in (where `schema/` is). The JSON Schemas and extension
 * catalogs belong to the tool that checks against them, not to the `--root` being checked: the
 * code that maps a file to a DatabaseSpec assumes exactly these schemas.
 */
export const TOOL_ROOT = fileURLToPath(new URL('../../', import.meta.url));
