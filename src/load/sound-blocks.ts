/**
 * After a syntax error, the parts of a file that can still be trusted. Pure.
 *
 * The `yaml` library keeps composing after an error, but what it composes after one is not what
 * the author meant: an unclosed quote swallows every later line into one string, a line indented
 * one space too far turns the rest of the file into a mapping nested under the key before it. So
 * we cut the file into its top-level blocks (a key at column 0 and its indented lines) and read
 * each alone; the blocks that read without error are kept and every other block is blanked out.
 * Blanking keeps every offset, so positions in the sound part are the positions in the file.
 */

/** Whether `text` composes without a syntax error (the caller's own parser and options). */
export type Reads = (text: string) => boolean;

export interface SoundBlocks {
  /** The file with every broken top-level block turned into spaces (line breaks kept). */
  readonly text: string;
  /** The keys the broken blocks start with, as far as they can be told (`instance` matters). */
  readonly brokenKeys: readonly string[];
}

/** `undefined` when nothing sound is left, or when even the sound blocks do not read together. */
export function soundBlocks(text: string, reads: Reads): SoundBlocks | undefined {
  const blocks = topLevelBlocks(text);
  const broken = blocks.filter((b) => !reads(only(text, b)));
  if (broken.length === 0 || broken.length === blocks.length) return undefined;
  let kept = text;
  for (const block of broken) kept = kept.slice(0, block.start) + blank(kept.slice(block.start, block.end)) + kept.slice(block.end);
  if (!reads(kept)) return undefined;
  return { text: kept, brokenKeys: broken.map((b) => keyOf(text.slice(b.start, b.end))) };
}

interface Block {
  readonly start: number;
  readonly end: number;
}

/**
 * A block starts at a line whose first character is neither a space, a comment, a list dash nor
 * a document marker: in a block mapping at the root, that is where the next key begins. A list
 * written at column 0 under a key (`extensions:` then `- pg_trgm`) stays in its key's block.
 */
function topLevelBlocks(text: string): Block[] {
  const starts: number[] = [];
  for (let at = 0; at < text.length; ) {
    const next = text.indexOf('\n', at);
    const end = next === -1 ? text.length : next + 1;
    const line = text.slice(at, end);
    if (/^[^\s#-]/.test(line) && !/^(\.\.\.|---)(\s|$)/.test(line)) starts.push(at);
    at = end;
  }
  if (starts.length === 0) return [];
  starts[0] = 0; // leading comments belong to the first block
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? text.length }));
}

/** The file with everything but `block` blanked: the block read alone, at its own offsets. */
const only = (text: string, block: Block): string => blank(text.slice(0, block.start)) + text.slice(block.start, block.end) + blank(text.slice(block.end));
/** The key on a block's first line that is not a comment: `instance: x` -> `instance`. */
const keyOf = (block: string): string => /^([^\s#:'"][^:]*?)\s*:/m.exec(block)?.[1] ?? '';
const blank = (s: string): string => s.replace(/[^\n]/g, ' ');
