// A JSON object or array cut into pieces that can be moved, dropped and re-joined without touching the
// bytes of the elements that stay. Every byte of the container belongs to exactly one piece, so joining
// the pieces of an untouched container gives back its text. Pieces are chosen so that a `//` comment
// always travels with the line break that ends it, which keeps every re-joined text valid.
import type { JSONScanner, Node } from 'jsonc-parser';
import { COMMA, LINE_BREAK, hasComment, isComment, scanGap, type Token } from './trivia.js';

/** One element with the trivia that belongs to it. */
export interface Chunk {
  /** Trivia above the element that is not attached to it: everything up to its last blank line. */
  detached: string;
  /** The comments directly above the element and its indentation (in one-line containers, the separator). */
  lead: string;
  /** The element itself; for an object member, from the key to the end of the value. */
  body: string;
  /** Trivia between the value and its comma; almost always empty. */
  beforeComma: string;
  hasComma: boolean;
  /** After the comma: the rest of the line through its line break, or '' when another element follows on the line. */
  tail: string;
  /** Whether `detached + lead` begins at the start of a line. */
  startsLine: boolean;
}

export interface Element extends Chunk {
  /** The property node (objects) or value node (arrays). */
  node: Node;
}

/** The opening bracket with the rest of its line, and the trivia after the last element with the closing one. */
export interface Frame {
  open: string;
  close: string;
  closeStartsLine: boolean;
}

export interface Layout extends Frame {
  elements: Element[];
  /** Whether the container spans lines (a line break outside its elements). */
  multiline: boolean;
}

export function layoutOf(text: string, container: Node, scanner: JSONScanner): Layout {
  const end = container.offset + container.length;
  const children = container.children ?? [];
  let multiline = false;
  const gap = (from: number, to: number): Token[] => {
    const tokens = scanGap(scanner, from, to);
    if (tokens.some((t) => t.kind === LINE_BREAK)) multiline = true;
    return tokens;
  };

  const openEnd = container.offset + 1;
  let rest = gap(openEnd, children[0]?.offset ?? end - 1);
  let cursor = tailEnd(rest, openEnd);
  const open = text.slice(container.offset, cursor);
  let startsLine = cursor > openEnd;
  const elements: Element[] = [];
  children.forEach((node, i) => {
    const [detached, lead] = splitAttached(text, rest, cursor, node.offset, startsLine);
    const bodyEnd = node.offset + node.length;
    const tokens = gap(bodyEnd, children[i + 1]?.offset ?? end - 1);
    const commaAt = tokens.findIndex((t) => t.kind === COMMA);
    const comma = tokens[commaAt];
    const afterComma = comma ? comma.end : bodyEnd;
    const after = comma ? tokens.slice(commaAt + 1) : tokens;
    const tailStop = tailEnd(after, afterComma);
    elements.push({
      node,
      detached,
      lead,
      body: text.slice(node.offset, bodyEnd),
      beforeComma: comma ? text.slice(bodyEnd, comma.start) : '',
      hasComma: comma !== undefined,
      tail: text.slice(afterComma, tailStop),
      startsLine,
    });
    startsLine = tailStop > afterComma;
    cursor = tailStop;
    rest = after.filter((t) => t.start >= tailStop);
  });
  return { open, elements, close: text.slice(cursor, end), closeStartsLine: startsLine, multiline };
}

/** Where the current line's trivia ends: after its line break, or `from` when the line goes on with a value. */
function tailEnd(tokens: Token[], from: number): number {
  const lineBreak = tokens.find((t) => t.kind === LINE_BREAK);
  return lineBreak ? lineBreak.end : from;
}

/** Splits the trivia before an element after its last blank line: what is above is not about this element. */
function splitAttached(text: string, tokens: Token[], from: number, to: number, startsLine: boolean): [string, string] {
  let split = from;
  let blank = startsLine;
  for (const token of tokens) {
    if (token.kind === LINE_BREAK) {
      if (blank) split = token.end;
      blank = true;
    } else if (isComment(token.kind)) {
      blank = false;
    }
  }
  return [text.slice(from, split), text.slice(split, to)];
}

/**
 * Joins chunks of a multi-line container, giving each a comma but the last, which gets one on
 * `trailingComma`. A chunk that began a line begins one again; one that shared a line and now lands at
 * the start of one is indented with `indent`.
 */
export function joinLines(frame: Frame, chunks: Chunk[], trailingComma: boolean, nl: string, indent: string): string {
  const parts: string[] = [frame.open];
  let atLineStart = endsLine(frame.open);
  const put = (piece: string): void => {
    if (piece === '') return;
    parts.push(piece);
    atLineStart = endsLine(piece);
  };
  chunks.forEach((chunk, i) => {
    if (chunk.startsLine && !atLineStart) put(nl);
    put(chunk.detached);
    put(atLineStart && !chunk.startsLine && /^[ \t]*$/.test(chunk.lead) ? indent : chunk.lead);
    put(chunk.body);
    put(chunk.beforeComma);
    if (i < chunks.length - 1 || trailingComma) put(',');
    put(chunk.tail);
  });
  if (frame.closeStartsLine && !atLineStart) put(nl);
  // A bracket that closed on the line of its last element (`"b"]`) keeps doing so when another element
  // comes last, unless that element's line ends in a comment.
  if (!frame.closeStartsLine && chunks.length > 0 && /^[ \t]*(\r\n|\n|\r)$/.test(parts[parts.length - 1] ?? ''))
    parts.pop();
  put(frame.close);
  return parts.join('');
}

/** Joins the items of a one-line container: `["a", "b"]`. Items carry their own (block) comments. */
export function joinInline(frame: Frame, items: string[], sep: string, pad: string, trailingComma: boolean): string {
  const bracket = frame.close.slice(-1);
  const closing = frame.close.slice(0, -1).trim();
  const inner = items.join(sep) + (trailingComma && items.length > 0 ? ',' : '') + (closing ? ` ${closing}` : '');
  return inner === '' ? frame.open.trim() + bracket : `${frame.open.trim()}${pad}${inner}${pad}${bracket}`;
}

/** A chunk of a one-line container as one item, its comments kept beside it. */
export function inlineItem(chunk: Chunk): string {
  const before = (chunk.detached + chunk.lead).trim();
  const after = chunk.beforeComma.trim();
  return `${before ? `${before} ` : ''}${chunk.body}${after ? ` ${after}` : ''}`;
}

/** The same container laid out one element per line, comments kept beside their elements. */
export function toLines(
  layout: Layout,
  indent: string,
  outerIndent: string,
  nl: string,
): { frame: Frame; chunks: Chunk[] } {
  const bracket = layout.close.slice(-1);
  const closing = layout.close.slice(0, -1).trim();
  const openTrivia = layout.open.slice(1).trim();
  const chunks = layout.elements.map((element): Chunk => ({
    detached: '',
    lead: `${indent}${inlineItem({ ...element, body: '', beforeComma: '' })}`,
    body: element.body,
    beforeComma: element.beforeComma.trim() ? ` ${element.beforeComma.trim()}` : '',
    hasComma: element.hasComma,
    tail: nl,
    startsLine: true,
  }));
  const frame: Frame = {
    open: `${layout.open.slice(0, 1)}${openTrivia ? ` ${openTrivia}` : ''}${nl}`,
    close: `${closing ? `${indent}${closing}${nl}` : ''}${outerIndent}${bracket}`,
    closeStartsLine: true,
  };
  return { frame, chunks };
}

/**
 * Where the trivia of dropped elements goes. Their own comments (the lead) go with them; comments above
 * a blank line (section headings) stay, moved onto the next element that is kept, or before the close.
 */
export function carryDetached(
  elements: Element[],
  kept: ReadonlySet<number>,
): { prefix: Map<number, string>; close: string; closeStartsLine: boolean } {
  const prefix = new Map<number, string>();
  let pending = '';
  let pendingStartsLine = false;
  elements.forEach((element, i) => {
    if (kept.has(i)) {
      if (pending) prefix.set(i, pending);
      pending = '';
    } else if (hasComment(element.detached)) {
      if (!pending) pendingStartsLine = element.startsLine;
      pending += element.detached;
    }
  });
  return { prefix, close: pending, closeStartsLine: pending !== '' && pendingStartsLine };
}

/** An empty container of the given bracket, for writing a list or object that is not in the text yet. */
export function emptyLayout(open: '[' | '{'): Layout {
  return { open, close: open === '[' ? ']' : '}', closeStartsLine: false, elements: [], multiline: false };
}

/** Adds the trivia carried from dropped elements in front of the close. */
export function withCarriedClose(frame: Frame, carried: { close: string; closeStartsLine: boolean }): Frame {
  if (carried.close === '') return frame;
  return {
    open: frame.open,
    close: carried.close + frame.close,
    closeStartsLine: frame.closeStartsLine || carried.closeStartsLine,
  };
}

/** The indentation of the first chunk that starts its own line. */
export function firstIndentOf(chunks: Chunk[]): string | undefined {
  for (const chunk of chunks) {
    const indent = chunkIndent(chunk);
    if (indent !== undefined) return indent;
  }
  return undefined;
}

/** The spaces and tabs before the chunk's body on its line, when the body starts its line after them. */
export function chunkIndent(chunk: Chunk): string | undefined {
  const before = chunk.detached + chunk.lead;
  if (!chunk.startsLine && !/[\r\n]/.test(chunk.lead)) return undefined;
  const line = before.slice(Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1);
  return /^[ \t]*$/.test(line) ? line : undefined;
}

function endsLine(piece: string): boolean {
  return piece.endsWith('\n') || piece.endsWith('\r');
}
