/**
 * YAML text to plain data that remembers where each value came from. Pure (no file access).
 *
 * We accept the boring subset of YAML a config file needs and reject the rest by name: several
 * documents, directives, tags (`!!python/object`, `!include`), anchors and aliases (the "billion
 * laughs" bomb needs them), duplicate keys, keys that are not plain text, and deep nesting. The
 * library composes the document; our own walk then builds the data, so no library `toJS` ever
 * expands an alias or lets a `__proto__` key touch a prototype.
 */
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser } from 'yaml';
import type { CST, Document, Node, ParsedNode, Range, YAMLError } from 'yaml';
import { MAX_DEPTH } from './limits.js';
import { soundBlocks } from './sound-blocks.js';
import { lineIndex, type LineColumn } from './source-text.js';

/** A path into the data, as ajv and our rules name it: keys and 0-based item numbers. */
export type YamlPath = readonly (string | number)[];

/** A mapping key's own position, or its value's. */
export type Anchor = 'key' | 'value';

export interface YamlProblem extends LineColumn {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

export interface ParsedYaml {
  /** The root mapping as plain data: objects, arrays, strings, numbers, booleans and null. */
  readonly value: Record<string, unknown>;
  /**
   * Where `path` is in the source. A path that does not exist resolves to the deepest part that
   * does (a missing key points at the mapping that lacks it).
   */
  readonly locate: (path: YamlPath, anchor?: Anchor) => LineColumn;
}

export type ParseResult =
  | { readonly ok: true; readonly yaml: ParsedYaml }
  /**
   * `partial` is what can still be read after a syntax error: the top-level blocks the error is
   * not in (see sound-blocks.ts), so their mistakes are reported in the same round.
   */
  | { readonly ok: false; readonly problems: readonly YamlProblem[]; readonly partial?: PartialYaml };

/** The readable rest of a file with a syntax error, and the top-level keys that could not be read. */
export interface PartialYaml extends ParsedYaml {
  readonly unreadKeys: readonly string[];
}

// YAML 1.2 core schema: `yes`, `on` and `0777` stay text, as most editors now assume. Duplicate
// keys are found by our walk, which can say where the first one was.
const OPTIONS = { version: '1.2', schema: 'core', merge: false, uniqueKeys: false, prettyErrors: false, strict: true } as const;
/** The only tag handle a document has unless a `%TAG` directive adds one. */
const DEFAULT_TAG_HANDLES = '!!';

export function parseYaml(text: string): ParseResult {
  const position = lineIndex(text);
  const problem = (code: string, offset: number, message: string, hint?: string): YamlProblem => ({
    code,
    message,
    ...(hint === undefined ? {} : { hint }),
    ...position(offset),
  });

  // The library's syntax pass is iterative, its composer recursive: measure the depth on the
  // syntax tree first. Deep recursion inside the composer can crash V8 outright (seen: a fatal
  // out-of-memory in the regexp compiler near the stack limit), which no try/catch survives.
  const tokens = [...new Parser().parse(text)];
  const deep = tooDeep(tokens);
  if (deep !== undefined) {
    return { ok: false, problems: [problem('yaml.too-deep', deep, `values are nested more than ${MAX_DEPTH} levels deep; no setting needs that`)] };
  }
  const docs = [...new Composer(OPTIONS).compose(tokens)];
  if (docs.length === 0 || (docs.length === 1 && isNothing(docs[0]!.contents as ParsedNode | null))) {
    return { ok: false, problems: [problem('file.empty', 0, 'the file has no settings (it is empty or holds only comments)', 'start from one of the files in databases/, or delete this one')] };
  }
  if (docs.length > 1) {
    const second = docs[1]!.range[0];
    return {
      ok: false,
      problems: [problem('yaml.multiple-documents', second, `the file holds ${docs.length} YAML documents; one file describes one thing`, 'remove the `---` line and everything after it, or split it into separate files')],
    };
  }
  const doc = docs[0]!;
  const syntax = doc.errors.map((e) => fromLibraryError(e, problem));
  if (syntax.length > 0) return withSoundPart(text, syntax);

  const directive = directiveOffset(doc, text);
  if (directive !== undefined) {
    return { ok: false, problems: [problem('yaml.directive', directive, 'YAML directives such as `%YAML 1.1` or `%TAG` are not allowed', 'delete the line starting with %; files are read as YAML 1.2')] };
  }
  const root = doc.contents as ParsedNode;
  if (!isMap(root)) {
    const what = isSeq(root) ? 'a list' : isAlias(root) ? 'an alias' : 'a single value';
    return {
      ok: false,
      problems: [problem('yaml.root-not-mapping', start(root), `the file must be a mapping of settings (\`name: ...\` lines), but it is ${what}`)],
    };
  }
  const walk = new Walk(problem, position, text);
  const value = walk.node(root, 1) as Record<string, unknown>;
  if (walk.problems.length > 0) return { ok: false, problems: walk.result() };
  return { ok: true, yaml: { value, locate: (path, anchor = 'key') => position(offsetOf(root, path, anchor)) } };
}

const composes = (text: string): boolean => {
  const docs = [...new Composer(OPTIONS).compose(new Parser().parse(text))];
  return docs.length <= 1 && docs.every((d) => d.errors.length === 0);
};

/** The syntax problems, plus the rest of the file where it reads without them. */
function withSoundPart(text: string, syntax: readonly YamlProblem[]): ParseResult {
  const sound = soundBlocks(text, composes);
  if (sound === undefined) return { ok: false, problems: syntax };
  const rest = parseYaml(sound.text);
  if (!rest.ok) return { ok: false, problems: [...syntax, ...rest.problems] };
  return { ok: false, problems: syntax, partial: { ...rest.yaml, unreadKeys: sound.brokenKeys } };
}

type MakeProblem = (code: string, offset: number, message: string, hint?: string) => YamlProblem;

/** Builds plain data from the composed nodes, collecting every problem rather than the first. */
class Walk {
  readonly problems: YamlProblem[] = [];
  /** Aliases, anchors and tags are reported once per file with a count: a bomb has hundreds. */
  private readonly repeats = new Map<string, { problem: YamlProblem; count: number }>();
  constructor(
    private readonly problem: MakeProblem,
    private readonly position: (offset: number) => LineColumn,
    private readonly text: string,
  ) {}

  node(node: ParsedNode | null, depth: number): unknown {
    if (node === null) return null;
    if (depth > MAX_DEPTH) {
      this.report('yaml.too-deep', start(node), `values are nested more than ${MAX_DEPTH} levels deep; no setting needs that`);
      return undefined;
    }
    if (isAlias(node)) {
      this.repeated('yaml.alias', start(node), `aliases such as \`*${node.source}\` are not allowed`, 'write the value out in full');
      return undefined;
    }
    if (node.anchor) {
      this.repeated('yaml.anchor', propertyStart(this.text, start(node), `&${node.anchor}`), `anchors such as \`&${node.anchor}\` are not allowed`, 'remove the anchor and write values out in full');
    }
    if (node.tag) {
      this.repeated('yaml.tag', propertyStart(this.text, start(node), '!'), `tags such as \`${shortTag(node.tag)}\` are not allowed`, 'remove the tag; quote the value if it must be text');
    }
    if (isScalar(node)) return node.value;
    if (isSeq(node)) return node.items.map((item) => this.node(item as ParsedNode | null, depth + 1));
    return this.mapping(node, depth);
  }

  private mapping(node: ParsedNode & { items: unknown[] }, depth: number): Record<string, unknown> {
    const data: Record<string, unknown> = {};
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as ParsedNode | null;
      if (!isScalar(key) || typeof key.value !== 'string') {
        this.report('yaml.key-not-string', key ? start(key) : start(node), 'keys must be plain words such as `name`', 'write `key: value`; lists, mappings, numbers and empty keys cannot be keys');
        continue;
      }
      if (key.anchor || key.tag) this.node(key, depth + 1);
      const name = key.value;
      const first = seen.get(name);
      if (first !== undefined) {
        const { line } = this.position(first);
        this.report('yaml.duplicate-key', start(key), `\`${name}\` appears twice in the same mapping (first on line ${line}); YAML tools disagree about which one wins`, 'keep one of them');
        continue;
      }
      seen.set(name, start(key));
      // defineProperty, not assignment: a `__proto__` key must become data, not a prototype.
      Object.defineProperty(data, name, { value: this.node(pair.value as ParsedNode | null, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return data;
  }

  private report(code: string, offset: number, message: string, hint?: string): void {
    this.problems.push(this.problem(code, offset, message, hint));
  }

  private repeated(code: string, offset: number, message: string, hint: string): void {
    const seen = this.repeats.get(code);
    if (seen) {
      seen.count++;
      return;
    }
    const problem = this.problem(code, offset, message, hint);
    this.repeats.set(code, { problem, count: 1 });
    this.problems.push(problem);
  }

  /** All problems, with the count of each repeated kind in its message. */
  result(): YamlProblem[] {
    return this.problems.map((p) => {
      const seen = this.repeats.get(p.code);
      return seen && seen.problem === p && seen.count > 1 ? { ...p, message: `${p.message} (${seen.count} in this file; the first is shown)` } : p;
    });
  }
}

function fromLibraryError(error: YAMLError, problem: MakeProblem): YamlProblem {
  // The library's message ends with " at line L, column C:" and a code frame; we give the position.
  const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const offset = error.pos[0];
  switch (error.code) {
    case 'RESOURCE_EXHAUSTION':
      return problem('yaml.too-deep', offset, 'values are nested too deeply to read');
    case 'BAD_ALIAS':
    case 'ALIAS_PROPS':
      return problem('yaml.alias', offset, `aliases are not allowed (${message})`, 'write the value out in full');
    case 'TAB_AS_INDENT':
      return problem('yaml.syntax', offset, 'tabs are not allowed for indentation in YAML', 'indent with spaces');
    default:
      return problem('yaml.syntax', offset, `the YAML cannot be read: ${lowerFirst(message)}`, 'check indentation and quotes on this line and the one before');
  }
}

/** Offset of the first collection nested deeper than MAX_DEPTH in the syntax tree, walked without recursion. */
function tooDeep(tokens: readonly CST.Token[]): number | undefined {
  const stack: [CST.Token, number][] = tokens.map((t) => [t, 0]);
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token, depth] = next;
    if (token.type === 'document' && token.value) stack.push([token.value, depth]);
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth + 1 > MAX_DEPTH) return token.offset;
    for (const item of token.items) {
      if ('key' in item && item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

/** Where a `%YAML` or `%TAG` directive is, if the document has one. */
function directiveOffset(doc: Document.Parsed, text: string): number | undefined {
  const tagHandles = Object.keys(doc.directives.tags).sort().join(' ');
  if (!doc.directives.yaml.explicit && tagHandles === DEFAULT_TAG_HANDLES) return undefined;
  const match = /^%/m.exec(text);
  return match ? match.index : 0;
}

/** Offset of the node at `path`, or of the deepest existing node on the way. */
function offsetOf(root: ParsedNode, path: YamlPath, anchor: Anchor): number {
  let node: ParsedNode = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node) && typeof segment === 'string') {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === segment);
      if (!pair) return start(node);
      const key = pair.key as ParsedNode;
      const value = pair.value as ParsedNode | null;
      // An empty value (`team:`) has no text of its own: point at its key.
      if ((last && anchor === 'key') || value === null || isEmpty(value)) return start(key);
      node = value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment] as ParsedNode;
    } else {
      return start(node);
    }
  }
  return start(node);
}

/**
 * Where an anchor or tag written before a node begins: node ranges start after them, and a
 * diagnostic should point at the `&x` or `!tag` itself.
 */
function propertyStart(text: string, nodeStart: number, marker: string): number {
  let at = text.lastIndexOf(marker, nodeStart);
  if (at === -1) return nodeStart;
  while (at > 0 && !/\s/.test(text[at - 1]!)) at--;
  return at;
}

const start = (node: Node | ParsedNode): number => (node.range as Range | undefined)?.[0] ?? 0;
const isNothing = (node: ParsedNode | null): boolean => node === null || isEmpty(node);
const isEmpty = (node: ParsedNode): boolean => isScalar(node) && node.value === null && node.range[0] === node.range[1];
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const shortTag = (tag: string) => tag.replace(/^tag:yaml\.org,2002:/, '!!');
