// Reads the top-level `groups` of a policy file: names, members and the comment above each group,
// with every element's place in the text kept for the rewriter.
import type { JSONScanner, Node } from 'jsonc-parser';
import { parseHujson, PolicyTextError, topLevelProperty, type HujsonDocument } from './hujson.js';
import { layoutOf, type Element, type Layout } from './layout.js';
import { commentText, scannerFor } from './trivia.js';
import type { PolicyGroup, PolicyGroups } from './types.js';

/** The policy is valid HuJSON but not shaped like a policy (e.g. a group that is not a list of logins). */
export class PolicyShapeError extends PolicyTextError {
  override name = 'PolicyShapeError';
}

/** A group together with where it stands in the text. */
export interface LocatedGroup extends PolicyGroup {
  element: Element;
  /** The array node of its members. */
  value: Node;
}

export interface LocatedGroups {
  doc: HujsonDocument;
  scanner: JSONScanner;
  /** The top-level `groups` property, when there is one, and the layout of its object. */
  found?: { property: Node; value: Node; layout: Layout };
  groups: LocatedGroup[];
}

/** Groups synced by SCIM (`group:name@domain`) live outside the policy file; we never write them. */
export function isScimGroup(name: string): boolean {
  return /^group:[^@]+@[^@]+$/.test(name);
}

/**
 * The top-level groups of a policy file. Throws HujsonSyntaxError on invalid HuJSON and
 * PolicyShapeError when the top level is not an object or `groups` is not an object of lists of logins.
 */
export function readPolicyGroups(text: string): PolicyGroups {
  const located = locateGroups(parseHujson(text));
  return {
    present: located.found !== undefined,
    groups: located.groups.map(({ name, members, comment }) =>
      comment === undefined ? { name, members } : { name, members, comment },
    ),
  };
}

export function locateGroups(doc: HujsonDocument): LocatedGroups {
  const scanner = scannerFor(doc.text);
  const fail = (reason: string, node: Node): never => {
    throw new PolicyShapeError(reason, node.offset, doc.lines.position(node.offset));
  };
  if (doc.root.type !== 'object') fail(`the policy must be a JSON object ({ … }), found ${kindOf(doc.root)}`, doc.root);
  const property = topLevelProperty(doc, 'groups');
  const value = property?.children?.[1];
  if (!property || !value) return { doc, scanner, groups: [] };
  if (value.type !== 'object')
    fail(`"groups" must be an object of group names to lists of logins, found ${kindOf(value)}`, value);

  const layout = layoutOf(doc.text, value, scanner);
  const groups = layout.elements.map((element): LocatedGroup => {
    const [key, members] = element.node.children ?? [];
    const name = String(key?.value);
    const where = `groups[${JSON.stringify(name)}]`;
    if (!members || members.type !== 'array')
      return fail(`${where} must be a list of logins, found ${kindOf(members)}`, members ?? element.node);
    const logins = (members.children ?? []).map((member, i) =>
      member.type === 'string'
        ? String(member.value)
        : fail(`${where}[${i}] must be a login (a string), found ${kindOf(member)}`, member),
    );
    const comment = commentText(element.lead);
    return { name, members: logins, element, value: members, ...(comment === undefined ? {} : { comment }) };
  });
  return { doc, scanner, found: { property, value, layout }, groups };
}

function kindOf(node: Node | undefined): string {
  switch (node?.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'string': {
      const value = String(node.value);
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    }
    case 'number':
      return `the number ${String(node.value)}`;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    default:
      return 'nothing';
  }
}
