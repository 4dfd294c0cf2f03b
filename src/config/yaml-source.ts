// The YAML layer of the loader: parse with positions kept, turn every YAML-level problem into a
// positioned diagnostic, and answer "where in the text is this value?" for the later checks.
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Alias, Document, Node, Pair, YAMLError, YAMLMap } from 'yaml';
import type { Diagnostic, SourceRef } from '../domain/diagnostic.js';
import { misindentedLines } from './indentation.js';

export interface YamlSource {
  file: string;
  lines: LineCounter;
  doc: Document.Parsed;
  /** Each alias and the anchored node it stands for (the last anchor of that name before it). */
  aliases: Map<Alias, Node>;
}

export interface ParsedYaml {
  source: YamlSource;
  errors: Diagnostic[];
}

// yaml's messages are terse about the few cases people actually hit; say what to do instead.
const REWORDED: Record<string, string> = {
  MULTIPLE_DOCS: 'the file holds more than one YAML document (a second "---"); keep everything in one',
  NON_STRING_KEY: 'a key must be plain text, not a list, a mapping or an alias',
  TAB_AS_INDENT: 'tabs are not allowed as indentation in YAML; indent with spaces',
  RESOURCE_EXHAUSTION: 'the YAML is nested too deeply to read',
};

export function refAt(source: YamlSource, offset: number): SourceRef {
  const { line, col } = source.lines.linePos(offset);
  return { file: source.file, line, column: col };
}

export function errorAt(source: YamlSource, offset: number, code: string, message: string): Diagnostic {
  return { ...refAt(source, offset), severity: 'error', code, message };
}

/** Where a node starts; a node the parser synthesised without text (an empty value) has no place. */
export function nodeOffset(node: unknown): number | undefined {
  const range = isNode(node) ? node.range : undefined;
  if (!range || range[0] === range[1]) return undefined;
  return range[0];
}

/** The position of a pair's key (for "this entry" messages). */
export function keyRef(source: YamlSource, pair: Pair): SourceRef {
  return refAt(source, nodeOffset(pair.key) ?? nodeOffset(pair.value) ?? 0);
}

/** The position of a pair's value, or of its key when the value was left empty (`alice@example.com:`). */
export function valueRef(source: YamlSource, pair: Pair): SourceRef {
  const offset = nodeOffset(pair.value);
  return offset === undefined ? keyRef(source, pair) : refAt(source, offset);
}

/** Follows an alias to the node it names; other nodes are returned as they are. */
export function deref(source: YamlSource, node: unknown): unknown {
  return isAlias(node) ? source.aliases.get(node) : node;
}

/** The text of a key (keys are parsed as strings, so this is exactly what the user wrote, unquoted). */
export function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : '';
}

const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

/**
 * The pair of a map with the given key (the last one, as the parsed value keeps the last), looked up
 * in an index built once per map, so placing thousands of errors in a large map stays linear.
 */
export function pairByKey(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) if (isScalar(pair.key)) index.set(keyText(pair), pair);
    pairIndexes.set(map, index);
  }
  return index.get(key);
}

function yamlDiagnostic(source: YamlSource, error: YAMLError): Diagnostic {
  const reworded = REWORDED[error.code];
  const raw = error.message;
  const message = reworded ?? `invalid YAML: ${/^[A-Z][a-z]/.test(raw) ? raw[0]?.toLowerCase() + raw.slice(1) : raw}`;
  return errorAt(source, error.pos[0], 'yaml.syntax', message);
}

/**
 * Where the scalar keys tagged `!` start. YAML's non-specific tag makes a scalar a plain string, so
 * such a key is the text after the tag (as yaml reads it without stringKeys, which refuses any tag
 * but !!str on a key).
 */
function nonSpecificKeys(doc: Document.Parsed): Set<number> {
  const starts = new Set<number>();
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.tag === '!' && typeof pair.key.value === 'string' && pair.key.range)
        starts.add(pair.key.range[0]);
    },
  });
  return starts;
}

function isNonSpecificKey(text: string, keys: () => Set<number>, error: YAMLError): boolean {
  if (error.code !== 'NON_STRING_KEY') return false;
  const tag = /^!\s+/.exec(text.slice(error.pos[0], error.pos[0] + 100));
  return tag !== null && keys().has(error.pos[0] + tag[0].length);
}

// What the parser says when a line is indented wrong, wherever it notices.
const INDENTATION_CODES = new Set(['BAD_INDENT', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'NON_STRING_KEY']);
const isIndentationError = (error: YAMLError): boolean =>
  INDENTATION_CODES.has(error.code) || (error.code === 'MISSING_CHAR' && /implicit map keys/i.test(error.message));

/**
 * The parser's errors as diagnostics, with those a misindented line caused replaced by one message at
 * that line (see indentation.ts). Errors it does not explain are kept as the parser words them.
 */
function yamlDiagnostics(source: YamlSource, text: string, errors: readonly YAMLError[]): Diagnostic[] {
  let keys: Set<number> | undefined;
  const tagged = (): Set<number> => (keys ??= nonSpecificKeys(source.doc));
  const placed = errors
    .filter((error) => !isNonSpecificKey(text, tagged, error))
    .map((error) => ({ error, line: source.lines.linePos(error.pos[0]).line }));
  const explained = new Set<YAMLError>();
  const out: Diagnostic[] = [];
  if (placed.some(({ error }) => isIndentationError(error))) {
    for (const wrong of misindentedLines(text)) {
      const knockOn = placed.filter(
        ({ error, line }) => isIndentationError(error) && line >= wrong.from && line <= wrong.to,
      );
      if (knockOn.length === 0) continue;
      for (const { error } of knockOn) explained.add(error);
      out.push({
        file: source.file,
        line: wrong.line,
        column: wrong.indent + 1,
        severity: 'error',
        code: 'yaml.indentation',
        message: wrong.message,
      });
    }
  }
  for (const { error } of placed) if (!explained.has(error)) out.push(yamlDiagnostic(source, error));
  return out;
}

/** How the file is parsed (bench/plan times yaml alone with them, as the floor of loading a file). */
export const PARSE_OPTIONS = {
  prettyErrors: false,
  uniqueKeys: false,
  stringKeys: true,
  merge: false,
  // Not 'silent': that also drops the error for a second document in the file.
  logLevel: 'error',
} as const;

/**
 * Parses the text. Keys are read as strings (so `1:` and `true:` are names, not numbers) and checked
 * for duplicates here in one pass, because yaml's own check compares every key with every other key
 * of its map, which is quadratic in a file with thousands of users.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines });
  const source: YamlSource = { file, lines, doc, aliases: new Map() };
  const errors = yamlDiagnostics(source, text, [...doc.errors, ...doc.warnings]);
  if (errors.length > 0) return { source, errors };
  return { source, errors: checkStructure(source) };
}

/** Whether `inner` is written inside `outer` (an alias inside its own anchor makes a cycle). */
function contains(outer: Node, inner: Node): boolean {
  const [start, , end] = outer.range ?? [0, 0, 0];
  const at = inner.range?.[0] ?? -1;
  return at >= start && at < end;
}

function checkStructure(source: YamlSource): Diagnostic[] {
  const errors: Diagnostic[] = [];
  const anchors = new Map<string, Node>();
  // visit() walks in document order, so "the last anchor before this alias" is the one in the map.
  visit(source.doc, (_key, node) => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target && contains(target, node)) {
        const message =
          `the alias *${node.source} stands for the value it is inside, which never ends; write the entries out ` +
          `instead`;
        errors.push(errorAt(source, node.range?.[0] ?? 0, 'yaml.alias', message));
      } else if (target) source.aliases.set(node, target);
      else {
        const message = `unknown alias *${node.source}: define "&${node.source}" before using it`;
        errors.push(errorAt(source, node.range?.[0] ?? 0, 'yaml.alias', message));
      }
      return;
    }
    if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) anchors.set(node.anchor, node);
    if (isMap(node)) errors.push(...checkKeys(source, node.items));
  });
  return errors;
}

/** The code of a key written twice in one mapping. */
export const DUPLICATE_KEY = 'duplicate-key';

function checkKeys(source: YamlSource, pairs: Pair[]): Diagnostic[] {
  const errors: Diagnostic[] = [];
  const seen = new Map<string, Pair>();
  for (const pair of pairs) {
    if (!isScalar(pair.key)) continue;
    const name = keyText(pair);
    const at = nodeOffset(pair.key) ?? 0;
    if (name === '<<' && pair.key.type === 'PLAIN') {
      const message =
        'YAML merge keys (<<) are not supported; write the entries out (an alias of a whole value, like "*eng", ' +
        'does work)';
      errors.push(errorAt(source, at, 'yaml.merge-key', message));
      continue;
    }
    const first = seen.get(name);
    if (first) {
      const message = `duplicate key ${JSON.stringify(name)}: it is already at line ${keyRef(source, first).line}`;
      errors.push(errorAt(source, at, DUPLICATE_KEY, message));
    } else seen.set(name, pair);
  }
  return errors;
}

/**
 * How many values the document stands for once its aliases are expanded. yaml's maxAliasCount stops
 * aliases that multiply exponentially; this also catches a plain list aliased a thousand times.
 * Each node is counted once (memoised), so this is linear in the text however far aliases reach.
 */
export function expandedSize(source: YamlSource): number {
  const sizes = new Map<unknown, number>();
  const size = (value: unknown): number => {
    const node = deref(source, value);
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let total = 1;
    if (isMap(node)) for (const pair of node.items) total += size(pair.value);
    else if (isSeq(node)) for (const item of node.items) total += size(item);
    sizes.set(node, total);
    return total;
  };
  return size(source.doc.contents);
}
