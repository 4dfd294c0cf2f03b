// Rewrites the top-level `groups` of a policy file and nothing else: the new text differs from the old
// only inside the `groups` value (or, when there was none, by one inserted `"groups"` key). Groups whose
// members do not change keep their bytes; the rest are written in the file's own style.
import { locateGroups, isScimGroup, readPolicyGroups, type LocatedGroup, type LocatedGroups } from './groups.js';
import { parseHujson } from './hujson.js';
import {
  carryDetached,
  chunkIndent,
  emptyLayout,
  inlineItem,
  joinInline,
  joinLines,
  layoutOf,
  toLines,
  withCarriedClose,
  type Chunk,
  type Layout,
} from './layout.js';
import { renderList } from './render-list.js';
import { detectStyle, type GroupStyle } from './style.js';
import { hasComment } from './trivia.js';
import type { PolicyGroup } from './types.js';
import type { TargetGroup } from '../domain/policy.js';

/** The requested groups cannot be written (a bad name, a SCIM group), or the rewrite failed its own check. */
export class PolicyRewriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyRewriteError';
  }
}

/**
 * The policy text with its top-level groups replaced by `target` (the complete list, in order).
 * Returns `text` itself when the groups already match. Throws HujsonSyntaxError or PolicyShapeError
 * for a policy it cannot read, PolicyRewriteError for a target it must not write.
 */
export function rewritePolicyGroups(text: string, target: TargetGroup[]): string {
  checkNames(target);
  const located = locateGroups(parseHujson(text));
  if (sameGroups(located.groups, target)) return text;
  checkScim(located.groups, target);
  const root = layoutOf(text, located.doc.root, located.scanner);
  const style = detectStyle(located, root);
  const result = located.found
    ? text.slice(0, located.found.value.offset) +
      writeGroups(located, located.found.layout, target, style) +
      text.slice(located.found.value.offset + located.found.value.length)
    : insertGroups(located, root, target, style);
  verify(result, target);
  return result;
}

function writeGroups(located: LocatedGroups, layout: Layout, target: TargetGroup[], style: GroupStyle): string {
  const { text } = located.doc;
  const index = new Map(located.groups.map((group, i) => [group.name, i]));
  const picks = target.map((group) => index.get(group.name));
  const carried = carryDetached(layout.elements, new Set(picks.filter((i) => i !== undefined)));
  const base =
    style.oneLine || layout.multiline
      ? { frame: layout, chunks: layout.elements as Chunk[] }
      : toLines(layout, style.groupIndent, style.groupsIndent, style.nl);

  const chunks = target.map((wanted, j): Chunk => {
    const i = picks[j];
    const group = i === undefined ? undefined : located.groups[i];
    const original = i === undefined ? undefined : base.chunks[i];
    if (i === undefined || !group || !original) return newGroup(wanted, style);
    const prefix = carried.prefix.get(i);
    const chunk = prefix ? { ...original, detached: prefix + original.detached, startsLine: true } : original;
    if (sameMembers(group.members, wanted.members)) return chunk;
    const indent = chunkIndent(chunk) ?? style.groupIndent;
    const list = renderList(layoutOf(text, group.value, located.scanner), wanted.members, style, indent);
    const lead =
      wanted.description && group.comment === undefined ? describe(chunk, wanted.description, style) : chunk.lead;
    return { ...chunk, lead, body: text.slice(group.element.node.offset, group.value.offset) + list };
  });

  const frame = withCarriedClose(base.frame, carried);
  if (chunks.length === 0 && !hasComment(frame.open + frame.close)) return '{}';
  const last = layout.elements[layout.elements.length - 1];
  if (style.oneLine) return joinInline(frame, chunks.map(inlineItem), style.inlineSep, '', last?.hasComma ?? false);
  return joinLines(frame, chunks, style.trailingComma, style.nl, style.groupIndent);
}

/** A policy without groups gets them as its first key, on a line of its own unless the policy is one line. */
function insertGroups(located: LocatedGroups, root: Layout, target: TargetGroup[], style: GroupStyle): string {
  const { text } = located.doc;
  const object = writeGroups({ ...located, groups: [] }, emptyLayout('{'), target, style);
  const [first] = root.elements;
  const startsLine = first ? first.startsLine : !style.oneLine;
  const inserted: Chunk = {
    detached: '',
    lead: startsLine ? style.groupsIndent : '',
    body: `"groups"${style.colon}${object}`,
    beforeComma: '',
    hasComma: false,
    tail: startsLine ? style.nl : '',
    startsLine,
  };
  const frame =
    root.elements.length === 0 && !root.multiline ? toLines(root, style.groupsIndent, '', style.nl).frame : root;
  const last = root.elements[root.elements.length - 1];
  const rootStart = located.doc.root.offset;
  const rootEnd = rootStart + located.doc.root.length;
  const joined = joinLines(
    frame,
    [inserted, ...root.elements],
    last ? last.hasComma : style.trailingComma,
    style.nl,
    style.groupsIndent,
  );
  return text.slice(0, rootStart) + joined + text.slice(rootEnd);
}

function newGroup(group: TargetGroup, style: GroupStyle): Chunk {
  const key = JSON.stringify(group.name);
  const room = style.alignColumn === undefined ? 0 : style.alignColumn - style.groupIndent.length - key.length - 1;
  const colon = room > 1 ? `:${' '.repeat(room)}` : style.colon;
  const body = `${key}${colon}${renderList(emptyLayout('['), group.members, style, style.groupIndent)}`;
  const chunk: Chunk = { detached: '', lead: '', body, beforeComma: '', hasComma: false, tail: '', startsLine: false };
  if (style.oneLine) return group.description ? { ...chunk, lead: describe(chunk, group.description, style) } : chunk;
  const placed = { ...chunk, lead: style.groupIndent, tail: style.nl, startsLine: true };
  return group.description ? { ...placed, lead: describe(placed, group.description, style) } : placed;
}

/** The chunk's lead with a description above it: `//` lines on a line of its own, else a block comment. */
function describe(chunk: Chunk, description: string, style: GroupStyle): string {
  const lines = description.split(/\r\n|\r|\n/).map((line) => line.trim());
  while (lines[0] === '') lines.shift();
  while (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return chunk.lead;
  const indent = chunkIndent(chunk);
  if (indent === undefined) return `${chunk.lead}/* ${lines.join(' ').replaceAll('*/', '* /')} */ `;
  return lines.map((line) => `${indent}//${line ? ` ${line}` : ''}${style.nl}`).join('') + chunk.lead;
}

function sameMembers(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((member, i) => member === b[i]);
}

function sameGroups(current: PolicyGroup[], target: TargetGroup[]): boolean {
  return (
    current.length === target.length &&
    current.every((group, i) => {
      const wanted = target[i];
      return wanted !== undefined && group.name === wanted.name && sameMembers(group.members, wanted.members);
    })
  );
}

function checkNames(target: TargetGroup[]): void {
  const seen = new Set<string>();
  for (const { name } of target) {
    if (!/^group:./.test(name))
      throw new PolicyRewriteError(
        `cannot write the group ${JSON.stringify(name)}: group names in a policy file start with "group:"`,
      );
    if (seen.has(name))
      throw new PolicyRewriteError(
        `cannot write the group ${JSON.stringify(name)} twice: each group is one key of "groups"`,
      );
    seen.add(name);
  }
}

// SCIM-synced groups belong to the identity provider. The rewriter refuses to be the one that writes,
// changes or drops them, whatever its caller computed.
function checkScim(current: LocatedGroup[], target: TargetGroup[]): void {
  const existing = new Map(current.map((group) => [group.name, group]));
  const wanted = new Set(target.map((group) => group.name));
  for (const group of target) {
    const found = existing.get(group.name);
    if (isScimGroup(group.name) && !(found && sameMembers(found.members, group.members))) {
      throw new PolicyRewriteError(
        `refusing to write ${group.name}: groups named group:name@domain are synced by SCIM and are managed in ` +
          `the identity provider`,
      );
    }
  }
  for (const group of current) {
    if (isScimGroup(group.name) && !wanted.has(group.name)) {
      throw new PolicyRewriteError(
        `refusing to remove ${group.name}: groups named group:name@domain are synced by SCIM; keep it in the ` +
          `target unchanged`,
      );
    }
  }
}

// A last look before the text leaves: it must parse and hold exactly the target groups. A failure here
// is a bug in the rewriter, so the message says what to send.
function verify(result: string, target: TargetGroup[]): void {
  let groups: PolicyGroup[];
  try {
    groups = readPolicyGroups(result).groups;
  } catch (error) {
    throw new PolicyRewriteError(
      `internal error: the rewritten policy does not parse (${String(error)}); the policy was not changed. Please ` +
        `report this with the policy file.`,
    );
  }
  if (!sameGroups(groups, target)) {
    throw new PolicyRewriteError(
      'internal error: the rewritten policy does not hold the requested groups; the policy was not changed. ' +
        'Please report this with the policy file.',
    );
  }
}
