// Strict HuJSON parsing on top of jsonc-parser: JSON plus comments and one trailing comma, and
// nothing else. jsonc-parser is lenient where Tailscale is not (duplicate keys, a final line comment
// with no newline), so those checks are added here. Errors carry line and column; nothing is guessed.
import { createScanner, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { LineIndex } from '../diagnostics.js';
import type { Position } from '../domain/diagnostic.js';
import { CLOSE_BRACE, CLOSE_BRACKET, EOF, LINE_COMMENT, OPEN_BRACE, OPEN_BRACKET } from './trivia.js';

export interface HujsonDocument {
  text: string;
  root: Node;
  lines: LineIndex;
}

/** A problem at a place in a policy text, said as Tailscale says it: `line N, column M: …`. */
export class PolicyTextError extends Error implements Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The message without its position, e.g. `expected ',' or '}'`. */
  readonly reason: string;
  constructor(reason: string, offset: number, at: Position) {
    super(`line ${at.line}, column ${at.column}: ${reason}`);
    this.reason = reason;
    this.offset = offset;
    this.line = at.line;
    this.column = at.column;
  }
}

/** Not HuJSON at all: Tailscale would refuse to parse it. */
export class HujsonSyntaxError extends PolicyTextError {
  override name = 'HujsonSyntaxError';
}

// Keyed by jsonc-parser's error names (its enums are const enums, not importable as values here).
const REASONS: Record<string, string> = {
  InvalidSymbol: 'invalid character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a double-quoted key',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':' after the key",
  CommaExpected: "expected ',' between values",
  CloseBraceExpected: "expected '}' to close the object",
  CloseBracketExpected: "expected ']' to close the array",
  EndOfFileExpected: 'unexpected text after the end of the document',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated /* comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape in string',
  InvalidEscapeCharacter: 'invalid escape in string',
  InvalidCharacter: 'invalid control character in string',
};

function describe(text: string, error: ParseError): string {
  const reason = REASONS[printParseErrorCode(error.error)] ?? 'invalid HuJSON';
  if (error.offset >= text.length) return `${reason}, found the end of the file`;
  const found = text.slice(error.offset, error.offset + Math.max(1, Math.min(error.length, 20)));
  return `${reason}, found ${JSON.stringify(found)}`;
}

/** Parses HuJSON text. Throws HujsonSyntaxError (with line and column) on anything Tailscale would refuse. */
export function parseHujson(text: string): HujsonDocument {
  const lines = new LineIndex(text);
  const fail = (reason: string, offset: number): never => {
    throw new HujsonSyntaxError(reason, offset, lines.position(offset));
  };
  const tooDeep = (): never =>
    fail(`nested too deeply: more than ${MAX_DEPTH} levels of objects and lists`, deepestOpening(text));
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  } catch (error) {
    // jsonc-parser descends one call per level: a document nested thousands deep overflows the stack.
    if (error instanceof RangeError) tooDeep();
    throw error;
  }
  const first = errors[0];
  if (first) fail(describe(text, first), first.offset);
  if (!root) return fail('the document is empty', 0);
  checkStructure(root, fail, tooDeep);
  checkLineCommentEnds(text, root.offset + root.length, fail);
  return { text, root, lines };
}

/**
 * Deeper than any real policy, and shallow enough that every recursive walk over a parsed document
 * (ours, jsonc-parser's getNodeValue) stays far from the stack's limit.
 */
export const MAX_DEPTH = 500;

const isContainer = (node: Node | undefined): node is Node => node?.type === 'object' || node?.type === 'array';

/** Duplicate keys, and nesting deeper than MAX_DEPTH; without recursion, so any depth is walked safely. */
function checkStructure(root: Node, fail: (reason: string, offset: number) => never, tooDeep: () => never): void {
  const stack: { node: Node; depth: number }[] = [{ node: root, depth: 1 }];
  for (let current = stack.pop(); current; current = stack.pop()) {
    const { node, depth } = current;
    if (depth > MAX_DEPTH) tooDeep();
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const key = property.children?.[0];
        if (key && typeof key.value === 'string') {
          if (seen.has(key.value)) fail(`duplicate key ${JSON.stringify(key.value)}`, key.offset);
          seen.add(key.value);
        }
        const value = property.children?.[1];
        if (isContainer(value)) stack.push({ node: value, depth: depth + 1 });
      }
    } else if (node.type === 'array') {
      for (const child of node.children ?? []) if (isContainer(child)) stack.push({ node: child, depth: depth + 1 });
    }
  }
}

/** The offset of the first `{` or `[` that opens a level deeper than MAX_DEPTH (0 if there is none). */
function deepestOpening(text: string): number {
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind === OPEN_BRACE || kind === OPEN_BRACKET) {
      if (++depth > MAX_DEPTH) return scanner.getTokenOffset();
    } else if (kind === CLOSE_BRACE || kind === CLOSE_BRACKET) depth--;
  }
  return 0;
}

// A `//` comment ends only at `\n` in HuJSON, while jsonc-parser also ends it at a lone `\r`. So a line
// comment must be followed by `\n` or `\r\n`: one that runs into the end of the file (even after a
// `\r`), or that a lone `\r` ends, would be read differently by Tailscale. Without a lone `\r` in the
// text, any line comment before the root value's end is followed by `\n`, so only the tail is scanned.
function checkLineCommentEnds(text: string, rootEnd: number, fail: (reason: string, offset: number) => never): void {
  const from = text.includes('\r') && /\r(?!\n)/.test(text) ? 0 : rootEnd;
  const scanner = createScanner(text, false);
  scanner.setPosition(from);
  for (let kind = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind !== LINE_COMMENT) continue;
    const end = scanner.getTokenOffset() + scanner.getTokenLength();
    if (text[end] === '\n' || text.startsWith('\r\n', end)) continue;
    const atEnd = text.length - end <= 1;
    fail(
      atEnd
        ? 'a // comment at the end of the file must end with a newline'
        : 'a // comment must end with a newline (\\n), not a lone carriage return',
      scanner.getTokenOffset(),
    );
  }
}

/** The value node of a top-level key of an object root, or undefined. */
export function topLevelProperty(doc: HujsonDocument, key: string): Node | undefined {
  if (doc.root.type !== 'object') return undefined;
  for (const property of doc.root.children ?? []) {
    if (property.children?.[0]?.value === key) return property;
  }
  return undefined;
}
