// Escaping for text that other people wrote (logins, display names, group names, warning messages)
// before it goes into a terminal, a PR comment or a job summary. A login is whatever the identity
// provider allowed, so each helper assumes the worst: HTML, markdown links, @mentions, backtick runs,
// newlines, ANSI escapes and bidi overrides.

/**
 * C0/C1 controls (newline, ESC of ANSI sequences, …), DEL, bidi overrides and isolates, and the
 * Unicode line/paragraph separators. Any of these lets a name break out of its line or disguise itself.
 */
const CONTROL = '[\\u0000-\\u001f\\u007f-\\u009f\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
const HAS_CONTROL = new RegExp(CONTROL);
const CONTROLS = new RegExp(CONTROL, 'g');

/** Shows every control character as a visible `\u{…}` escape, so a name always stays one honest line. */
export function escapeControls(text: string): string {
  // Nearly every name is clean; testing first keeps a plan of 10,000 changes fast.
  if (!HAS_CONTROL.test(text)) return text;
  return text.replace(CONTROLS, (c) => `\\u{${c.charCodeAt(0).toString(16).padStart(4, '0')}}`);
}

/**
 * escapeControls for text of several lines (an error message, a log entry): each line is escaped and
 * the line breaks between them are kept.
 */
export function escapeControlsByLine(text: string): string {
  return HAS_CONTROL.test(text) ? text.split('\n').map(escapeControls).join('\n') : text;
}

// Zero-width space: placed after an `@` or `#` it stops GitHub from turning `@someone` into a ping
// or `org/repo#1` into a cross-reference, while the text still reads the same. Entities such as
// `&#64;` do not help: GitHub finds mentions in the rendered text, after entities are decoded.
const ZWSP = '\u200b';

/** Characters that can open a markdown or GFM construct anywhere in a line (`$` is GitHub's math). */
const MARKDOWN_PUNCTUATION = new Set('\\`*_{}[]()!|~$'.split(''));
/** Characters that open a construct only at the start of a line: lists, setext underlines. */
const LINE_START_PUNCTUATION = new Set('-+='.split(''));

/**
 * Makes untrusted text safe as inline markdown outside code: raw HTML becomes entities, markdown
 * punctuation is backslash-escaped (links, emphasis, headings, table pipes, code spans), `@` and `#`
 * cannot ping or cross-reference, controls are shown. Safe in GFM table cells too (`|` is escaped).
 * Not for raw-HTML contexts such as `<summary>` (backslashes would show there): use escapeHtml.
 */
export function escapeMarkdownInline(text: string): string {
  const chars = [...escapeControls(text)];
  let out = '';
  let blankSoFar = true;
  let digitsOnly = true; // so far; "1." at the start of a line would begin an ordered list
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const before = i > 0 ? (chars[i - 1] as string) : '';
    if (c === '&') out += '&amp;';
    else if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    else if (c === '@')
      out += /[A-Za-z0-9]/.test(before) ? '@' : `@${ZWSP}`; // alice@example.com cannot ping
    else if (c === '#') out += `\\#${ZWSP}`;
    else if (MARKDOWN_PUNCTUATION.has(c) || (blankSoFar && LINE_START_PUNCTUATION.has(c))) out += `\\${c}`;
    else if (c === '.' && digitsOnly && i > 0) out += `\\${c}`;
    else out += c;
    digitsOnly &&= c >= '0' && c <= '9';
    // Tabs and other controls were made visible by escapeControls, so only a space is blank here.
    blankSoFar &&= c === ' ';
  }
  return out;
}

/** Escapes untrusted text for raw-HTML contexts (`<summary>`, attribute values). */
export function escapeHtml(text: string): string {
  // Mentions first: done last, it would split the `#` of the entities made here (`&#39;`).
  return escapeControls(text)
    .replace(/([@#])/g, `$1${ZWSP}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * The backtick fence for a code block holding `text`: longer than any backtick run inside it (and at
 * least three), so no line of the content can close the block early.
 */
export function fenceFor(text: string): string {
  return '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
}

/** A fenced code block around untrusted lines. Controls are shown, so each line stays one line. */
export function codeBlock(lines: readonly string[], info = ''): string {
  const body = lines.map(escapeControls).join('\n');
  const fence = fenceFor(body);
  return `${fence}${info}\n${body}\n${fence}`;
}

/**
 * An inline code span around untrusted text (HTML, mentions and markdown are inert inside it). Not for
 * table cells: GFM splits cells at `|` even inside code spans.
 */
export function inlineCode(text: string): string {
  const body = escapeControls(text);
  const ticks = '`'.repeat(longestBacktickRun(body) + 1);
  // A span that starts or ends with a backtick needs a space of padding, which the renderer strips.
  const pad = /^[` ]|[` ]$/.test(body) ? ' ' : '';
  return `${ticks}${pad}${body}${pad}${ticks}`;
}
