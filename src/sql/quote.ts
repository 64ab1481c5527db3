/**
 * The one place identifiers and literals become SQL text. Values that are not identifiers or
 * fixed literals (passwords, comments) go through `quoteLiteral`, never string concatenation.
 */
import pg from 'pg';

/** `a"b` -> `"a""b"`; always quoted so reserved words and capitals survive. */
export const quoteIdent = (name: string): string => pg.escapeIdentifier(name);

/** Backslashes switch to the E'' form, as pg's escapeLiteral does. */
// pg puts a space before the E of an escape-string literal; trimmed so SQL reads normally.
export const quoteLiteral = (value: string): string => pg.escapeLiteral(value).trimStart();
