// The text between JSON values: whitespace, line breaks, comments and commas, as jsonc-parser's
// scanner sees it. The rewriter cuts a container into pieces along these gaps, so it only ever scans
// the gaps, never the values.
import { createScanner, type JSONScanner } from 'jsonc-parser';

// jsonc-parser's SyntaxKind values (a const enum in its typings, which isolatedModules cannot read).
export const OPEN_BRACE = 1;
export const CLOSE_BRACE = 2;
export const OPEN_BRACKET = 3;
export const CLOSE_BRACKET = 4;
export const COMMA = 5;
export const LINE_COMMENT = 12;
const BLOCK_COMMENT = 13;
export const LINE_BREAK = 14;
export const EOF = 17;

export interface Token {
  kind: number;
  start: number;
  end: number;
}

export function scannerFor(text: string): JSONScanner {
  return createScanner(text, false);
}

/** The tokens of text[from, to), a stretch the caller knows holds no values. */
export function scanGap(scanner: JSONScanner, from: number, to: number): Token[] {
  const tokens: Token[] = [];
  scanner.setPosition(from);
  for (let kind = scanner.scan(); kind !== EOF && scanner.getTokenOffset() < to; kind = scanner.scan()) {
    const start = scanner.getTokenOffset();
    tokens.push({ kind, start, end: start + scanner.getTokenLength() });
  }
  return tokens;
}

export function isComment(kind: number): boolean {
  return kind === LINE_COMMENT || kind === BLOCK_COMMENT;
}

/** Whether a stretch of trivia text holds any comment. */
export function hasComment(trivia: string): boolean {
  if (!trivia.includes('/')) return false;
  const scanner = scannerFor(trivia);
  return scanGap(scanner, 0, trivia.length).some((t) => isComment(t.kind));
}

/**
 * The words of the comments in a stretch of trivia: `//`, `/*`, `*\/` and the leading `*` of
 * block-comment continuation lines removed, each line trimmed, empty lines at either end dropped.
 * Undefined when there is no comment text.
 */
export function commentText(trivia: string): string | undefined {
  if (!trivia.includes('/')) return undefined;
  const scanner = scannerFor(trivia);
  const lines: string[] = [];
  for (const token of scanGap(scanner, 0, trivia.length)) {
    const raw = trivia.slice(token.start, token.end);
    if (token.kind === LINE_COMMENT) lines.push(raw.slice(2).trim());
    if (token.kind === BLOCK_COMMENT) {
      const inner = raw.slice(2, raw.endsWith('*/') ? -2 : undefined);
      inner.split(/\r?\n/).forEach((line, i) =>
        lines.push(
          i > 0
            ? line
                .trim()
                .replace(/^\*(\s|$)/, '')
                .trim()
            : line.trim(),
        ),
      );
    }
  }
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length > 0 ? lines.join('\n') : undefined;
}
