// Writes the member list of one group. Members that stay keep their bytes and their comments; a list
// keeps its own shape (one line or one member per line) unless the file writes lists of the new
// length the other way, e.g. a one-member list growing into a file that puts longer lists on lines.
import {
  carryDetached,
  firstIndentOf,
  inlineItem,
  joinInline,
  joinLines,
  toLines,
  withCarriedClose,
  type Chunk,
  type Element,
  type Layout,
} from './layout.js';
import type { GroupStyle } from './style.js';
import { hasComment } from './trivia.js';

/**
 * The text of a list holding `members`, built from `layout` (the group's current list, or an empty one).
 * `indent` is the indentation of the group's own line, where a multi-line list closes.
 */
export function renderList(layout: Layout, members: string[], style: GroupStyle, indent: string): string {
  const { elements } = layout;
  const picks = matchMembers(elements, members);
  const carried = carryDetached(elements, new Set(picks.filter((i) => i !== undefined)));
  const reuse = (i: number, chunk: Chunk, member: string): Chunk => {
    const prefix = carried.prefix.get(i);
    const element = elements[i];
    const body = element && String(element.node.value) === member ? chunk.body : JSON.stringify(member);
    return prefix ? { ...chunk, body, detached: prefix + chunk.detached, startsLine: true } : { ...chunk, body };
  };

  if (members.length === 0) {
    const frame = withCarriedClose(layout, carried);
    if (!hasComment(frame.open + frame.close)) return '[]';
    return layout.multiline ? joinLines(frame, [], false, style.nl, '') : joinInline(frame, [], '', '', false);
  }

  const habit = (count: number): boolean => style.oneLine || (count === 1 ? style.inlineSingle : style.inlineMany);
  const own = elements.length > 0 ? !layout.multiline : undefined;
  let inline = own !== undefined && habit(elements.length) === habit(members.length) ? own : habit(members.length);
  if (inline && layout.multiline && keptTriviaHasComment(layout, picks, carried.close)) inline = false;

  if (inline) {
    const items = members.map((member, j) => {
      const i = picks[j];
      const element = i === undefined ? undefined : elements[i];
      return i === undefined || !element ? JSON.stringify(member) : inlineItem(reuse(i, element, member));
    });
    const shape = own === true ? ownInlineShape(elements) : undefined;
    return joinInline(
      withCarriedClose(layout, carried),
      items,
      shape?.sep ?? style.inlineSep,
      shape?.pad ?? style.inlinePad,
      shape?.trailingComma ?? style.inlineTrailingComma,
    );
  }

  const memberIndent = (layout.multiline ? firstIndentOf(elements) : undefined) ?? style.memberIndent;
  const base = layout.multiline
    ? { frame: layout, chunks: elements as Chunk[] }
    : toLines(layout, memberIndent, indent, style.nl);
  const chunks = members.map((member, j): Chunk => {
    const i = picks[j];
    const chunk = i === undefined ? undefined : base.chunks[i];
    if (i !== undefined && chunk) return reuse(i, chunk, member);
    return {
      detached: '',
      lead: memberIndent,
      body: JSON.stringify(member),
      beforeComma: '',
      hasComma: false,
      tail: style.nl,
      startsLine: true,
    };
  });
  const last = elements[elements.length - 1];
  const trailingComma = layout.multiline && last ? last.hasComma : style.listTrailingComma;
  return joinLines(withCarriedClose(base.frame, carried), chunks, trailingComma, style.nl, memberIndent);
}

/**
 * For each member, the index of the element it keeps: the same login first, then the same login in
 * another case (the file may spell a login differently from the users API); undefined for a new member.
 */
function matchMembers(elements: Element[], members: string[]): (number | undefined)[] {
  const exact = new Map<string, number[]>();
  const folded = new Map<string, number[]>();
  elements.forEach((element, i) => {
    const login = String(element.node.value);
    for (const [map, key] of [
      [exact, login],
      [folded, login.toLowerCase()],
    ] as const) {
      const queue = map.get(key);
      if (queue) queue.push(i);
      else map.set(key, [i]);
    }
  });
  const used = new Set<number>();
  const take = (queue: number[] | undefined): number | undefined => {
    const i = queue?.find((candidate) => !used.has(candidate));
    if (i !== undefined) used.add(i);
    return i;
  };
  const picks = members.map((member) => take(exact.get(member)));
  return picks.map((pick, j) => pick ?? take(folded.get((members[j] ?? '').toLowerCase())));
}

function keptTriviaHasComment(layout: Layout, picks: (number | undefined)[], carried: string): boolean {
  const kept = picks.flatMap((i) => (i === undefined ? [] : [layout.elements[i]]));
  const trivia = kept.map((e) => (e ? e.detached + e.lead + e.beforeComma + e.tail : '')).join('');
  return hasComment(layout.open + layout.close + carried + trivia);
}

/** How a one-line list was written: `["a", "b"]`, `[ "a","b" ]`, `["a", "b",]`. */
function ownInlineShape(elements: Element[]): { sep?: string; pad?: string; trailingComma: boolean } {
  const [first, second] = elements;
  const last = elements[elements.length - 1];
  return {
    pad: first && /^[ \t]*$/.test(first.lead) ? first.lead : undefined,
    sep: second && /^[ \t]*$/.test(second.lead) ? `,${second.lead}` : undefined,
    trailingComma: last?.hasComma ?? false,
  };
}
