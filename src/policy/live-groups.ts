// The groups of a policy Tailscale has already accepted (the live one), read without parsing the rest.
// A plan needs only `groups` from it, and the strict reader (groups.ts on hujson.ts) builds a tree of
// the whole file and checks every key of it: on a 5 MB policy most of a plan's time and garbage.
// Here jsonc-parser's scanner walks the top level to the `groups` key, then reads the names and
// members of its object as it goes, and stops at its end; the comment above each group comes from
// the same layout the strict reader uses, over the gaps between groups only.
//
// Anything out of the ordinary on the way (a token the scanner calls an error, a group that is not a
// list of strings, a name twice, a second `groups`) hands the whole text to the strict reader, which
// then throws its error with its position, or reads it. So for every text both read, both give the
// same groups (test/policy-live-groups.test.ts); what this reader does not look at is what Tailscale
// checked before it accepted the file. Texts the product writes are always read strictly.
import { createScanner, type JSONScanner, type Node } from 'jsonc-parser';
import { readPolicyGroups } from './groups.js';
import { layoutOf } from './layout.js';
import { commentText } from './trivia.js';
import type { PolicyGroup, PolicyGroups } from './types.js';

// jsonc-parser's SyntaxKind (a const enum in its typings, which isolatedModules cannot read).
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const COMMA = 5;
const COLON = 6;
const STRING = 10;
const EOF = 17;

/** Not the plain shape this reader handles: the strict reader decides. */
class Unusual extends Error {}

/** The groups of a live policy: the same as readPolicyGroups gives, or its error. */
export function readLivePolicyGroups(text: string): PolicyGroups {
  try {
    return readGroupsOnly(text);
  } catch (error) {
    if (error instanceof Unusual) return readPolicyGroups(text);
    throw error;
  }
}

function readGroupsOnly(text: string): PolicyGroups {
  const scanner = createScanner(text, true);
  const next = (): number => {
    const kind = scanner.scan();
    if (scanner.getTokenError() !== 0) throw new Unusual();
    return kind;
  };
  if (next() !== OPEN_BRACE) throw new Unusual();
  // The top level: key, colon, value, until `groups`; other values are skipped token by token.
  for (let kind = next(); kind !== CLOSE_BRACE; kind = afterElement(next)) {
    if (kind !== STRING) throw new Unusual();
    const key = scanner.getTokenValue();
    if (next() !== COLON) throw new Unusual();
    if (key === 'groups') return { present: true, groups: readGroupsObject(text, scanner, next) };
    skipValue(next(), next);
  }
  return { present: false, groups: [] };
}

/** After an element of an object or array: a comma and the next token (a trailing comma is allowed), or the close. */
function afterElement(next: () => number): number {
  const kind = next();
  if (kind === COMMA) return next();
  if (kind === CLOSE_BRACE || kind === CLOSE_BRACKET) return kind;
  throw new Unusual();
}

/** Past one value, its first token given; brackets must match (a policy broken before its groups is not read). */
function skipValue(first: number, next: () => number): void {
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    if (first === EOF || first === CLOSE_BRACE || first === CLOSE_BRACKET || first === COMMA || first === COLON)
      throw new Unusual();
    return;
  }
  const open = [first];
  while (open.length > 0) {
    const kind = next();
    if (kind === OPEN_BRACE || kind === OPEN_BRACKET) open.push(kind);
    else if (kind === CLOSE_BRACE || kind === CLOSE_BRACKET) {
      if (open.pop() !== (kind === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) throw new Unusual();
    } else if (kind === EOF) throw new Unusual();
  }
}

/** The object of `groups`, its first token next: names and members, and where each group stands. */
function readGroupsObject(text: string, scanner: JSONScanner, next: () => number): PolicyGroup[] {
  if (next() !== OPEN_BRACE) throw new Unusual();
  const start = scanner.getTokenOffset();
  const found: { name: string; members: string[] }[] = [];
  const spans: Node[] = [];
  const names = new Set<string>();
  for (let kind = next(); kind !== CLOSE_BRACE; kind = afterElement(next)) {
    if (kind !== STRING) throw new Unusual();
    const name = scanner.getTokenValue();
    const keyAt = scanner.getTokenOffset();
    if (names.has(name) || next() !== COLON || next() !== OPEN_BRACKET) throw new Unusual();
    names.add(name);
    const members: string[] = [];
    for (let member = next(); member !== CLOSE_BRACKET; member = afterElement(next)) {
      if (member !== STRING) throw new Unusual();
      members.push(scanner.getTokenValue());
    }
    const end = scanner.getTokenOffset() + scanner.getTokenLength();
    found.push({ name, members });
    spans.push({ type: 'property', offset: keyAt, length: end - keyAt, colonOffset: -1 });
  }
  const end = scanner.getTokenOffset() + scanner.getTokenLength();
  // The comment above each group, cut from the text between the groups exactly as the strict reader does.
  const container = { type: 'object', offset: start, length: end - start, children: spans } as Node;
  const layout = layoutOf(text, container, createScanner(text, false));
  return found.map(({ name, members }, i) => {
    const lead = layout.elements[i]?.lead ?? '';
    const comment = commentText(lead);
    return comment === undefined ? { name, members } : { name, members, comment };
  });
}
