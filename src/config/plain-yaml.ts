// A reader for the plain YAML that tailnet-access files are written in: block mappings and sequences,
// one-line flow collections, plain and quoted scalars, comments. On a 10,000-user file it is many
// times faster and lighter than building the `yaml` package's document, which keeps every token.
// It is strict on purpose: anything outside that subset (anchors, aliases, tags, block scalars, values
// over several lines, directives, tabs, escapes, numbers not written as plain digits, …) makes it give
// up, and the full parser decides. So where it answers, it answers as the full parser would, with the
// same values (YAML 1.2 core schema, keys kept as written) and the same places.

/** Where a node starts, 1-based, as LineIndex counts (a quoted scalar starts at its quote). */
export interface PlainPlace {
  line: number;
  column: number;
}

export interface PlainPair extends PlainPlace {
  key: string;
  value: PlainNode;
}

export interface PlainMap extends PlainPlace {
  kind: 'map';
  pairs: PlainPair[];
}

export interface PlainSeq extends PlainPlace {
  kind: 'seq';
  items: PlainNode[];
}

export interface PlainScalar extends PlainPlace {
  kind: 'scalar';
  value: string | number | boolean | null;
}

/** A value left out (`users:` with nothing under it): null, with no place of its own, as in `yaml`. */
export interface PlainEmpty {
  kind: 'empty';
}

export type PlainNode = PlainMap | PlainSeq | PlainScalar | PlainEmpty;

interface Line {
  /** 1-based line number. */
  number: number;
  start: number;
  indent: number;
  /** End of the content, before any `\r`. */
  end: number;
}

/** Thrown inside the reader when the text leaves the subset; never escapes readPlainYaml. */
class NotPlain extends Error {}

// Printable characters as YAML defines them, minus those it treats specially outside ASCII (the
// YAML 1.1 line breaks, a byte-order mark inside the text). Tabs are left to the full parser too.
const OUTSIDE_SUBSET = /[^\n\r\x20-\x7E\u00A0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}]|\r(?!\n)/u;
// Characters that cannot start a plain scalar, or that start something the reader leaves alone.
const INDICATORS = '-?:,[]{}#&*!|>\'"%@`';
// Any spelling the core schema could read as a number (0x1F, 1e3, .inf, +5, 1.0, …) except plain digits.
const NUMBER_LIKE = /^[-+]?[.0-9][0-9A-Za-z_.+-]*$/;
const DIGITS = /^[0-9]{1,15}$/;
// Stretches of a plain scalar that need no second look; the character after one decides.
const PLAIN_RUN_IN_FLOW = /[^,[\]{}:#\r\n]*/y;
const PLAIN_RUN_IN_BLOCK = /[^[\]{}:#\r\n]*/y;
// yaml refuses implicit keys over 1024 characters; nesting this deep is no tailnet-access file.
const MAX_KEY_LENGTH = 1000;
const MAX_DEPTH = 64;
const SPACE = 0x20;
const EMPTY: PlainEmpty = { kind: 'empty' };

/** A plain scalar's value in the YAML 1.2 core schema, as `yaml` resolves it. */
function scalarValue(text: string): PlainScalar['value'] {
  switch (text) {
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const first = text.charCodeAt(0);
  // Only text starting with a digit, a sign or a dot can be a number.
  if ((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e) {
    if (DIGITS.test(text)) return Number(text);
    if (NUMBER_LIKE.test(text)) throw new NotPlain();
  }
  return text;
}

function contentLines(text: string): Line[] {
  const lines: Line[] = [];
  let number = 1;
  for (let start = 0; start < text.length; number++) {
    const newline = text.indexOf('\n', start);
    const next = newline === -1 ? text.length : newline + 1;
    let end = newline === -1 ? text.length : newline;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    let indent = 0;
    while (start + indent < end && text.charCodeAt(start + indent) === SPACE) indent++;
    // Blank and comment-only lines carry nothing, whatever their indentation.
    if (start + indent < end && text[start + indent] !== '#') lines.push({ number, start, indent, end });
    start = next;
  }
  return lines;
}

class PlainReader {
  private readonly text: string;
  private readonly lines: Line[];
  private index = 0;
  /** The line being read: flow collections and scalars never run past its end. */
  private line: Line = { number: 0, start: 0, indent: 0, end: 0 };
  private end = 0;
  /** Where the next token starts on the line being read. */
  private pos = 0;
  private depth = 0;

  constructor(text: string) {
    this.text = text;
    this.lines = contentLines(text);
  }

  document(): PlainNode {
    const first = this.lines[0];
    if (!first || first.indent !== 0) throw new NotPlain();
    const root = this.blockMap(0);
    if (this.index < this.lines.length) throw new NotPlain();
    return root;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new NotPlain();
  }

  private column(at: number): number {
    return at - this.line.start + 1;
  }

  private skipSpaces(): void {
    while (this.pos < this.end && this.text.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  /** The character at `at` on the current line, or '' past its end. */
  private char(at: number): string {
    return at < this.end ? (this.text[at] ?? '') : '';
  }

  private startsPlain(at: number): boolean {
    return at < this.end && !INDICATORS.includes(this.text[at] ?? '');
  }

  /** The end of `text.slice(at, end)` without trailing spaces (which are not part of a plain scalar or key). */
  private trimEnd(at: number, end: number): number {
    let p = end;
    while (p > at && this.text.charCodeAt(p - 1) === SPACE) p--;
    return p;
  }

  /** Whether a `:` followed by what is at `at` ends a key: before a space or the line's end, and in flow context before `,[]{}`. */
  private endsKey(at: number, inFlow: boolean): boolean {
    if (at >= this.end) return true;
    const next = this.text[at] ?? '';
    return next === ' ' || (inFlow && ',[]{}'.includes(next));
  }

  private isSeqItem(line: Line): boolean {
    const dash = line.start + line.indent;
    return this.text[dash] === '-' && (dash + 1 === line.end || this.text.charCodeAt(dash + 1) === SPACE);
  }

  private startLine(line: Line, at: number): void {
    this.line = line;
    this.end = line.end;
    this.pos = at;
    this.index++;
  }

  /** After a value complete on its line: nothing but a comment, and no deeper line (a continuation, or an error). */
  private endOfValue(indent: number): void {
    const value = this.pos;
    this.skipSpaces();
    if (this.pos < this.end && !(this.text[this.pos] === '#' && this.pos > value)) throw new NotPlain();
    const next = this.lines[this.index];
    if (next && next.indent > indent) throw new NotPlain();
  }

  private checkKey(key: string, seen: Set<string>): void {
    // `<<` and repeats are errors the full parser words; `__proto__` would not be an own property.
    if (key.length > MAX_KEY_LENGTH || key === '<<' || key === '__proto__' || seen.has(key)) throw new NotPlain();
    seen.add(key);
  }

  private blockMap(indent: number): PlainMap {
    this.enter();
    const first = this.lines[this.index];
    const map: PlainMap = { kind: 'map', line: first?.number ?? 0, column: indent + 1, pairs: [] };
    const seen = new Set<string>();
    for (let line = first; line && line.indent >= indent; line = this.lines[this.index]) {
      if (line.indent > indent) throw new NotPlain();
      this.startLine(line, line.start + indent);
      const key = this.blockKey();
      this.checkKey(key, seen);
      this.skipSpaces();
      let value: PlainNode;
      if (this.pos === this.end || this.text[this.pos] === '#') value = this.nestedBlock(indent);
      else {
        value = this.node(false);
        this.endOfValue(indent);
      }
      map.pairs.push({ key, line: line.number, column: indent + 1, value });
    }
    this.depth--;
    return map;
  }

  /** A key and its colon, which must be followed by a space or the end of the line. */
  private blockKey(): string {
    const text = this.text;
    const at = this.pos;
    const first = text[at];
    let key: string;
    if (first === '"' || first === "'") {
      key = this.quoted();
      if (text[this.pos] !== ':') throw new NotPlain();
    } else {
      if (!this.startsPlain(at)) throw new NotPlain();
      let colon = at;
      do {
        colon = text.indexOf(':', colon + 1);
        if (colon === -1 || colon >= this.end) throw new NotPlain();
      } while (!this.endsKey(colon + 1, false));
      key = text.slice(at, this.trimEnd(at, colon));
      if (/[[\]{},]| #/.test(key)) throw new NotPlain();
      this.pos = colon;
    }
    if (!this.endsKey(this.pos + 1, false)) throw new NotPlain();
    this.pos++;
    return key;
  }

  /** The value of a key with nothing after its colon: a deeper block, a sequence at the key's own indent, or empty. */
  private nestedBlock(indent: number): PlainNode {
    const next = this.lines[this.index];
    if (next && next.indent > indent) return this.isSeqItem(next) ? this.blockSeq(next.indent, false) : this.blockMap(next.indent);
    if (next && next.indent === indent && this.isSeqItem(next)) return this.blockSeq(indent, true);
    return EMPTY;
  }

  private blockSeq(indent: number, sharesKeyIndent: boolean): PlainSeq {
    this.enter();
    const first = this.lines[this.index];
    const seq: PlainSeq = { kind: 'seq', line: first?.number ?? 0, column: indent + 1, items: [] };
    for (let line = first; line && line.indent >= indent; line = this.lines[this.index]) {
      if (line.indent > indent) throw new NotPlain();
      if (!this.isSeqItem(line)) {
        // `key:` then `- item` lines at the key's indent: the next key ends the list.
        if (sharesKeyIndent) break;
        throw new NotPlain();
      }
      this.startLine(line, line.start + indent + 1);
      this.skipSpaces();
      // An empty item, or a block nested in an item, is not written in these files.
      if (this.pos === this.end || this.text[this.pos] === '#') throw new NotPlain();
      seq.items.push(this.node(false));
      this.endOfValue(indent);
    }
    this.depth--;
    return seq;
  }

  /** A scalar or a flow collection, all on the current line. */
  private node(inFlow: boolean): PlainNode {
    const at = this.pos;
    const first = this.char(at);
    if (first === '[') return this.flowSeq();
    if (first === '{') return this.flowMap();
    const value = first === '"' || first === "'" ? this.quoted() : scalarValue(this.plain(inFlow));
    return { kind: 'scalar', line: this.line.number, column: this.column(at), value };
  }

  private quoted(): string {
    const text = this.text;
    const at = this.pos;
    const quote = text[at] ?? '';
    let close = at;
    for (;;) {
      close = text.indexOf(quote, close + 1);
      if (close === -1 || close >= this.end) throw new NotPlain();
      if (quote === "'" && text[close + 1] === "'") close++;
      else break;
    }
    this.pos = close + 1;
    const inner = text.slice(at + 1, close);
    // Escapes are rare in these files; leaving them to the full parser keeps this exact.
    if (quote === '"' && inner.includes('\\')) throw new NotPlain();
    return quote === "'" ? inner.replaceAll("''", "'") : inner;
  }

  /** A plain scalar's text, ended by a comment or the line in block context, by `,` `]` `}` in flow context. */
  private plain(inFlow: boolean): string {
    const text = this.text;
    const at = this.pos;
    if (!this.startsPlain(at)) throw new NotPlain();
    const run = inFlow ? PLAIN_RUN_IN_FLOW : PLAIN_RUN_IN_BLOCK;
    let p = at;
    for (;;) {
      run.lastIndex = p;
      run.test(text);
      p = run.lastIndex;
      if (p >= this.end) {
        // A plain scalar in a flow collection that runs to the line's end goes on over more lines.
        if (inFlow) throw new NotPlain();
        break;
      }
      const c = text[p];
      if (c === ',' || c === ']' || c === '}') {
        if (inFlow) break;
        throw new NotPlain();
      }
      if (c === '#' && text.charCodeAt(p - 1) === SPACE) {
        // A comment inside a flow collection means it goes on over more lines.
        if (inFlow) throw new NotPlain();
        break;
      }
      // `: ` inside a value makes a mapping of it (or is an error); in flow context so do `:,` `:]` `:}`.
      if (c === '[' || c === '{' || (c === ':' && this.endsKey(p + 1, inFlow))) throw new NotPlain();
      p++;
    }
    this.pos = this.trimEnd(at, p);
    return text.slice(at, this.pos);
  }

  private flowSeq(): PlainSeq {
    this.enter();
    const seq: PlainSeq = { kind: 'seq', line: this.line.number, column: this.column(this.pos), items: [] };
    this.pos++;
    this.skipSpaces();
    if (this.char(this.pos) !== ']') {
      do seq.items.push(this.node(true));
      while (!this.closes(']'));
    }
    this.pos++;
    this.depth--;
    return seq;
  }

  private flowMap(): PlainMap {
    this.enter();
    const map: PlainMap = { kind: 'map', line: this.line.number, column: this.column(this.pos), pairs: [] };
    const seen = new Set<string>();
    this.pos++;
    this.skipSpaces();
    if (this.char(this.pos) !== '}') {
      do {
        const column = this.column(this.pos);
        const key = this.flowKey();
        this.checkKey(key, seen);
        // `key: value`, with a space after the colon; `{ key }` and `{ "key":value }` are left alone.
        if (this.char(this.pos) !== ':' || this.char(this.pos + 1) !== ' ') throw new NotPlain();
        this.pos++;
        this.skipSpaces();
        map.pairs.push({ key, line: this.line.number, column, value: this.node(true) });
      } while (!this.closes('}'));
    }
    this.pos++;
    this.depth--;
    return map;
  }

  /** After an entry of a flow collection: true at its closing bracket, false after a comma and before the next entry. */
  private closes(bracket: string): boolean {
    this.skipSpaces();
    const c = this.char(this.pos);
    if (c === bracket) return true;
    if (c !== ',') throw new NotPlain();
    this.pos++;
    this.skipSpaces();
    // A trailing comma, or an empty entry.
    const next = this.char(this.pos);
    if (next === bracket || next === ',') throw new NotPlain();
    return false;
  }

  private flowKey(): string {
    const at = this.pos;
    const first = this.char(at);
    if (first === '"' || first === "'") return this.quoted();
    if (!this.startsPlain(at)) throw new NotPlain();
    const text = this.text;
    let p = at;
    for (; !(text[p] === ':' && this.endsKey(p + 1, true)); p++) {
      if (p >= this.end || '[]{},'.includes(text[p] ?? '') || (text[p] === '#' && text.charCodeAt(p - 1) === SPACE)) throw new NotPlain();
    }
    this.pos = p;
    return text.slice(at, this.trimEnd(at, p));
  }
}

/**
 * The document, when the text is in the plain subset this reader knows; undefined otherwise (the
 * caller then asks the full parser). The text must not start with a byte-order mark.
 */
export function readPlainYaml(text: string): PlainNode | undefined {
  if (OUTSIDE_SUBSET.test(text)) return undefined;
  try {
    return new PlainReader(text).document();
  } catch (error) {
    if (error instanceof NotPlain) return undefined;
    throw error;
  }
}
