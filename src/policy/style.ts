// How a policy file writes its groups, so that groups we add look like the ones a person wrote:
// tabs or spaces, one-line `["a", "b"]` lists or one member per line, trailing commas, aligned values.
// Each habit is read from the groups first, then from the rest of the file, then Tailscale's template.
import type { Node } from 'jsonc-parser';
import type { LocatedGroups } from './groups.js';
import { firstIndentOf, chunkIndent, type Layout } from './layout.js';
import { COMMA, LINE_BREAK, scanGap } from './trivia.js';

export interface GroupStyle {
  nl: string;
  /** The policy is written on one line: keep what we write on one line too. */
  oneLine: boolean;
  /** Indentation of the line holding the `"groups"` key, of a group's key, of a member on its own line. */
  groupsIndent: string;
  groupIndent: string;
  memberIndent: string;
  /** Between a key and its value: `: ` or `:`. */
  colon: string;
  /** When the values of one-line groups are aligned in a column, that column (0-based). */
  alignColumn?: number;
  /** Trailing comma after the last group, and after the last member of a one-member-per-line list. */
  trailingComma: boolean;
  listTrailingComma: boolean;
  /** One-line lists: between members, inside the brackets, and whether they end with a comma. */
  inlineSep: string;
  inlinePad: string;
  inlineTrailingComma: boolean;
  /** Whether lists of one member, and of several, are written on one line. */
  inlineSingle: boolean;
  inlineMany: boolean;
}

interface ListShape {
  node: Node;
  count: number;
  multiline: boolean;
  trailingComma: boolean;
}

export function detectStyle(located: LocatedGroups, root: Layout): GroupStyle {
  const { text } = located.doc;
  const { scanner } = located;
  const gapHas = (from: number, to: number, kind: number): boolean =>
    scanGap(scanner, from, to).some((t) => t.kind === kind);
  const shapeOf = (node: Node): ListShape => {
    const children = node.children ?? [];
    const end = node.offset + node.length - 1;
    const first = children[0];
    const last = children[children.length - 1];
    const lastEnd = last ? last.offset + last.length : node.offset + 1;
    return {
      node,
      count: children.length,
      multiline: gapHas(node.offset + 1, first?.offset ?? end, LINE_BREAK) || gapHas(lastEnd, end, LINE_BREAK),
      trailingComma: last !== undefined && gapHas(lastEnd, end, COMMA),
    };
  };

  const rootEnd = located.doc.root.offset + located.doc.root.length;
  const newline = text.indexOf('\n', located.doc.root.offset);
  // On one line: no line break before the root's end (a file usually ends with one, right after it).
  const oneLine = root.elements.length > 0 && (newline === -1 || newline >= rootEnd);
  const nl = text[text.indexOf('\n') - 1] === '\r' ? '\r\n' : '\n';

  const rootIndent = firstIndentOf(root.elements);
  const groupsObject = located.found;
  const groupsIndent = groupsObject
    ? (lineIndent(text, groupsObject.property.offset) ?? rootIndent ?? '')
    : (rootIndent ?? '\t');
  const ownGroupIndent = firstIndentOf(located.groups.map((g) => g.element));
  const unit =
    rootIndent || (ownGroupIndent?.startsWith(groupsIndent) ? ownGroupIndent.slice(groupsIndent.length) : '') || '\t';
  const groupIndent = ownGroupIndent ?? groupsIndent + unit;

  const lists = located.groups.map((g) => shapeOf(g.value)).filter((l) => l.count > 0);
  const inlineLists = lists.filter((l) => !l.multiline);
  const lineLists = lists.filter((l) => l.multiline);
  const firstMember = lineLists[0]?.node.children?.[0];
  const memberIndent = (firstMember && lineIndent(text, firstMember.offset)) || groupIndent + unit;

  const fileTrailingComma = majority(
    [located.doc.root, ...root.elements.map((e) => e.node.children?.[1])]
      .flatMap((n) => (n && (n.type === 'object' || n.type === 'array') ? [shapeOf(n)] : []))
      .filter((l) => l.multiline && l.count > 0)
      .map((l) => l.trailingComma),
    true,
  );
  const groupsLayout = groupsObject?.layout;
  const lastGroup = groupsLayout?.elements[groupsLayout.elements.length - 1];

  return {
    nl,
    oneLine,
    groupsIndent,
    groupIndent,
    memberIndent,
    colon: colonOf(
      text,
      located.groups.length > 0 ? located.groups.map((g) => g.element.node) : root.elements.map((e) => e.node),
    ),
    alignColumn: alignColumnOf(text, located),
    trailingComma: groupsLayout?.multiline && lastGroup ? lastGroup.hasComma : fileTrailingComma,
    listTrailingComma: majority(
      lineLists.map((l) => l.trailingComma),
      fileTrailingComma,
    ),
    inlineSep: inlineSepOf(text, inlineLists),
    inlinePad: inlinePadOf(text, inlineLists),
    inlineTrailingComma: majority(
      inlineLists.map((l) => l.trailingComma),
      false,
    ),
    inlineSingle: majority(
      lists.filter((l) => l.count === 1).map((l) => !l.multiline),
      majority(
        lists.map((l) => !l.multiline),
        true,
      ),
    ),
    inlineMany: majority(
      lists.filter((l) => l.count > 1).map((l) => !l.multiline),
      majority(
        lists.map((l) => !l.multiline),
        true,
      ),
    ),
  };
}

/** True when most votes are true; `fallback` when there are none. Ties go to true. */
function majority(votes: boolean[], fallback: boolean): boolean {
  if (votes.length === 0) return fallback;
  return votes.filter(Boolean).length * 2 >= votes.length;
}

/** The indentation before `offset` when only spaces and tabs stand between it and the start of its line. */
function lineIndent(text: string, offset: number): string | undefined {
  let start = offset;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return start === 0 || text[start - 1] === '\n' || text[start - 1] === '\r' ? text.slice(start, offset) : undefined;
}

/** What stands between the keys and values of `properties`: `:` only when none has a space. */
function colonOf(text: string, properties: Node[]): string {
  const seps = properties.flatMap((p) => {
    const [key, value] = p.children ?? [];
    return key && value ? [text.slice(key.offset + key.length, value.offset)] : [];
  });
  return seps.length > 0 && seps.every((sep) => sep === ':') ? ':' : ': ';
}

/**
 * The column where group values start, when the one-line groups on their own lines (at least two)
 * line their values up with padding. Groups written over several lines do not count: files often
 * align the short ones only.
 */
function alignColumnOf(text: string, located: LocatedGroups): number | undefined {
  const columns: number[] = [];
  let padded = false;
  for (const group of located.groups) {
    const indent = chunkIndent(group.element);
    const key = group.element.node.children?.[0];
    const sep = key ? text.slice(key.offset + key.length, group.value.offset) : '';
    const oneLine = !/[\r\n]/.test(text.slice(group.value.offset, group.value.offset + group.value.length));
    if (indent !== undefined && key && oneLine && /^: +$/.test(sep)) {
      if (sep.length > 2) padded = true;
      columns.push(indent.length + key.length + sep.length);
    }
  }
  const [column] = columns;
  return padded && columns.length > 1 && columns.every((c) => c === column) ? column : undefined;
}

function inlineSepOf(text: string, lists: ListShape[]): string {
  for (const { node } of lists) {
    const [first, second] = node.children ?? [];
    if (first && second) {
      const sep = text.slice(first.offset + first.length, second.offset);
      if (/^,[ \t]*$/.test(sep)) return sep;
    }
  }
  return ', ';
}

function inlinePadOf(text: string, lists: ListShape[]): string {
  for (const { node } of lists) {
    const first = node.children?.[0];
    if (first) {
      const pad = text.slice(node.offset + 1, first.offset);
      if (/^[ \t]*$/.test(pad)) return pad;
    }
  }
  return '';
}
