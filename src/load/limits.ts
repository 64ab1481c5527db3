/**
 * Bounds on input files. A team file is a dozen lines; anything near these limits is a mistake or
 * an attack, and refusing it early keeps the YAML parser and our own walks cheap and safe.
 */

/** Files larger than this are rejected unread (`file.too-large`). */
export const MAX_FILE_BYTES = 64 * 1024;

/**
 * Deepest nesting we walk. The schemas need 4 levels; the YAML library itself gives up near 1,000
 * levels with a stack overflow it reports, and our own recursion must never get that far.
 */
export const MAX_DEPTH = 16;
