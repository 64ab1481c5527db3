/**
 * Bounds on input files. A team file is a dozen lines; anything near these limits is a mistake or
 * an attack, and refusing it early keeps the YAML parser and our own walks cheap and safe.
 */

/** Files larger than this are rejected unread (`file.too-large`). */
export const MAX_FILE_BYTES = 64 * 1024;

/**
 * Deepest nesting of mappings and lists. The schemas need 4 levels. It is checked on the syntax
 * tree before the YAML library composes the document, because the composer recurses per level and
 * a 64 KiB file can nest 30,000 levels deep (`- - - - ...`).
 */
export const MAX_DEPTH = 16;
