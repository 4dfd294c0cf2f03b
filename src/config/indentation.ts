// What a YAML indentation mistake looks like to the person who made it. The parser reports where the
// structure stopped making sense, which is seldom the line that is wrong: one over-indented user makes
// every sibling after it "not start at the same column", and a list item one space short comes out as
// four messages about implicit keys. This reads the lines of the block structure (skipping comments,
// flow collections and block scalars), finds the line whose indentation differs from its siblings', and
// says so at that line. The parser still decides what is an error; this only words it, so it is asked
// only about a text the parser refused.

/** A line of the block structure. */
interface BlockLine {
  /** 1-based. */
  line: number;
  indent: number;
  /** A sequence item (`- …`). */
  dash: boolean;
  /** A mapping entry (`key: value` or `key:`), possibly after a dash. */
  entry: boolean;
  /** Nothing follows on the line, so the next lines may be nested under it. */
  opens: boolean;
}

interface Parent {
  item: BlockLine | undefined;
  children: BlockLine[];
}

export interface Misindented {
  line: number;
  indent: number;
  /** The message, without the file and position. */
  message: string;
  /** The lines whose parser errors this explains: they are its knock-on effects. */
  from: number;
  to: number;
}

const ENTRY = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},][^#]*?)\s*:(?:\s|$)/;
const PROPERTIES_ONLY = /^(?:[&!][^\s]*\s*)+$/;
const BLOCK_SCALAR = /[|>][0-9+-]*$/;

/** The line with a trailing comment removed; `state` carries open quotes and brackets across lines. */
function scan(text: string, state: { depth: number; quote: string | undefined }): string {
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (state.quote !== undefined) {
      if (c === '\\' && state.quote === '"') i++;
      else if (c === state.quote) state.quote = undefined;
    } else if (c === '"' || c === "'") {
      // A quote starts a quoted scalar only where a value or key can start.
      if (i === 0 || /[\s[{,:-]/.test(text[i - 1] ?? '')) state.quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      end = i;
      break;
    } else if (c === '[' || c === '{') state.depth++;
    else if ((c === ']' || c === '}') && state.depth > 0) state.depth--;
  }
  return text.slice(0, end).trimEnd();
}

function blockLines(text: string): BlockLine[] {
  const lines: BlockLine[] = [];
  const state = { depth: 0, quote: undefined as string | undefined };
  let scalarAbove: number | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const indent = raw.length - raw.trimStart().length;
    const rest = raw.slice(indent);
    const continued = state.depth > 0 || state.quote !== undefined;
    if (scalarAbove !== undefined && (rest === '' || indent > scalarAbove)) return;
    scalarAbove = undefined;
    const content = scan(rest, state);
    if (continued || content === '') return;
    const dash = /^-(?:\s|$)/.test(content);
    const body = dash ? content.slice(1).trimStart() : content;
    const entry = ENTRY.test(body);
    const value = entry ? body.replace(ENTRY, '').trim() : body;
    if (BLOCK_SCALAR.test(value)) scalarAbove = indent;
    const opens = (entry || dash) && (value === '' || PROPERTIES_ONLY.test(value) || (dash && entry));
    lines.push({ line: index + 1, indent, dash, entry, opens });
  });
  return lines;
}

/**
 * The indentation most of the children share. On a tie, the one a step of the file's usual size in
 * from the parent (most files indent by 2 throughout), else the first child's.
 */
function usualIndent(children: readonly BlockLine[], parentIndent: number, step: number): number {
  const counts = new Map<number, number>();
  for (const child of children) counts.set(child.indent, (counts.get(child.indent) ?? 0) + 1);
  const most = Math.max(...counts.values());
  const tied = [...counts].filter(([, count]) => count === most).map(([indent]) => indent);
  return tied.find((indent) => indent - parentIndent === step) ?? tied[0] ?? 0;
}

/** The most common step between a line and the lines nested under it. */
function usualStep(parents: Iterable<Parent>): number {
  const steps = new Map<number, number>();
  for (const { item, children } of parents) {
    for (const child of children) {
      const step = child.indent - (item?.indent ?? 0);
      if (step > 0) steps.set(step, (steps.get(step) ?? 0) + 1);
    }
  }
  let best = 2;
  for (const [step, count] of steps) if (count > (steps.get(best) ?? 0)) best = step;
  return best;
}

const spaces = (n: number): string => `${n} ${n === 1 ? 'space' : 'spaces'}`;

/** The last line of the block that starts at `parent` (the line before the next one as shallow). */
function blockEnd(lines: readonly BlockLine[], parent: BlockLine | undefined): number {
  if (parent === undefined) return Number.MAX_SAFE_INTEGER;
  const next = lines.find(
    (l) => l.line > parent.line && l.indent <= parent.indent && !(l.dash && !parent.dash && l.indent === parent.indent),
  );
  return next === undefined ? Number.MAX_SAFE_INTEGER : next.line - 1;
}

function siblingsMessage(child: BlockLine, parent: BlockLine | undefined, usual: number, sample: BlockLine): string {
  // Halfway between the parent and its entries, the line could belong with either; nearer one of
  // them, it belongs with that one. A list item among mapping entries (or the reverse) is no sibling
  // of the parent.
  if (parent !== undefined && child.indent > parent.indent && child.indent < usual && child.dash === parent.dash) {
    const toParent = child.indent - parent.indent;
    const toEntries = usual - child.indent;
    if (toParent === toEntries) {
      return (
        `line ${child.line} is indented ${spaces(child.indent)}, halfway between line ${parent.line} ` +
        `(${parent.indent}) and the entries under it (${usual}, as on line ${sample.line}): indent it ` +
        `${spaces(parent.indent)} to follow line ${parent.line}, or ${usual} to go under it`
      );
    }
    if (toParent < toEntries)
      return (
        `line ${child.line} is indented ${spaces(child.indent)}, its siblings ${parent.indent} (line ` +
        `${parent.line}): indent it ${spaces(parent.indent)} like them`
      );
  }
  return (
    `line ${child.line} is indented ${spaces(child.indent)}, its siblings ${usual} (line ${sample.line}): indent it ` +
    `${spaces(usual)} like them`
  );
}

/**
 * The lines whose indentation breaks the structure around them: a line indented unlike its siblings,
 * and an entry indented under a line that already holds its value (`alice@example.com: admin`).
 */
export function misindentedLines(text: string): Misindented[] {
  const lines = blockLines(text);
  const found: Misindented[] = [];
  const root: Parent = { item: undefined, children: [] };
  const parents = new Map<BlockLine, Parent>();
  const stack: Parent[] = [root];
  for (const original of lines) {
    let line = original;
    for (;;) {
      // A list may sit at its key's own indentation (`eng:` then `- alice@example.com`).
      const top = stack.at(-1) ?? root;
      const item = top.item;
      const sameLevelList = item !== undefined && line.dash && !item.dash && item.opens && item.indent === line.indent;
      if (item === undefined || item.indent < line.indent || sameLevelList) break;
      stack.pop();
    }
    const parent = stack.at(-1) ?? root;
    if (parent.item !== undefined && !parent.item.opens && (line.entry || line.dash)) {
      const above = parent.item;
      found.push({
        line: line.line,
        indent: line.indent,
        message:
          `line ${line.line} is indented ${spaces(line.indent)}, its siblings ${above.indent} (line ${above.line}): ` +
          `indent it ${spaces(above.indent)} like them (nothing can go under line ${above.line}, whose value is on ` +
          `the same line)`,
        from: above.line,
        to: blockEnd(lines, above),
      });
      // Read on as if it were where its siblings are, so the lines after it are not blamed too.
      line = { ...line, indent: above.indent };
      while ((stack.at(-1)?.item?.indent ?? -1) >= line.indent) stack.pop();
    }
    const owner = stack.at(-1) ?? root;
    owner.children.push(line);
    const own: Parent = { item: line, children: [] };
    parents.set(line, own);
    stack.push(own);
  }
  const all = [root, ...parents.values()];
  const step = usualStep(all);
  for (const parent of all) {
    if (parent.children.length < 2) continue;
    const usual = usualIndent(parent.children, parent.item?.indent ?? 0, step);
    const sample = parent.children.find((c) => c.indent === usual);
    for (const child of parent.children) {
      if (child.indent === usual || sample === undefined) continue;
      found.push({
        line: child.line,
        indent: child.indent,
        message: siblingsMessage(child, parent.item, usual, sample),
        from: parent.item?.line ?? 1,
        to: blockEnd(lines, parent.item),
      });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}
