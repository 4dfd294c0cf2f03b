// Where a policy file uses some groups: every rule that names one of them, in every section, with the
// rule's place in the text and a one-line rendering of it, so a reviewer sees what a group change
// grants without opening the policy. Pure: the text in, the references out.
//
// The walk is generic rather than a list of the fields Tailscale documents: every string of every
// rule outside `groups` is looked up, so a field we do not know of (or one Tailscale adds later)
// cannot hide a use of a group, and `fields` says where in the rule the group stands.
import type { Node } from 'jsonc-parser';
import { PolicyShapeError } from './groups.js';
import { parseHujson, type HujsonDocument } from './hujson.js';
import { ruleText } from './rule-text.js';
import type { GroupReference } from '../domain/policy.js';

export interface GroupImpact {
  /** Ordered by group, then by place in the text; one entry per group and rule. */
  references: GroupReference[];
  /** The groups asked about that no rule names, sorted: "group:x is used nowhere in the policy". */
  unused: string[];
}

/** A rule of a section: what it is called and the value whose strings are looked at. */
interface Rule {
  section: string;
  index: number | string | null;
  /** Where the rule starts: the array element, or the object property (so its key). */
  start: Node;
  body: Node;
}

/**
 * Finds every rule of a policy that names one of `groups` (full names, `group:eng`), either exactly
 * or with ports (`group:eng:22`, `group:eng:*`, as in `dst`). Strings that merely begin with a group's
 * name (`group:eng-oncall`) and object keys are not uses. The `groups` section itself is skipped: it
 * defines groups, and Tailscale refuses groups inside groups.
 *
 * Takes the policy text, or a document already parsed by parseHujson. Throws HujsonSyntaxError (with
 * line and column) when the text is not HuJSON Tailscale would read, and PolicyShapeError when it is
 * not an object.
 */
export function findGroupReferences(policy: string | HujsonDocument, groups: Iterable<string>): GroupImpact {
  const doc = typeof policy === 'string' ? parseHujson(policy) : policy;
  if (doc.root.type !== 'object') {
    throw new PolicyShapeError(
      'the policy must be a JSON object ({ … })',
      doc.root.offset,
      doc.lines.position(doc.root.offset),
    );
  }
  const wanted = new Set(groups);
  // Rules are visited in text order, so each group's list comes out in text order too.
  const byGroup = new Map<string, GroupReference[]>();
  forEachRule(doc.root, (rule) => {
    const named = groupsNamedIn(rule.body, wanted);
    if (named === undefined) return;
    const at = doc.lines.position(rule.start.offset);
    const text = ruleText(rule.section, rule.index, rule.body);
    for (const [group, fields] of named) {
      const reference: GroupReference = {
        group,
        section: rule.section,
        index: rule.index,
        line: at.line,
        column: at.column,
        rule: text,
        fields: [...fields],
      };
      const list = byGroup.get(group);
      if (list) list.push(reference);
      else byGroup.set(group, [reference]);
    }
  });
  const references = [...byGroup.keys()].sort(compare).flatMap((group) => byGroup.get(group) ?? []);
  const unused = [...wanted].filter((g) => !byGroup.has(g)).sort(compare);
  return { references, unused };
}

/** Where a reference stands, as a reviewer would look for it: `acls[0]`, `tagOwners["tag:server"]`. */
export function referencePlace(ref: Pick<GroupReference, 'section' | 'index'>): string {
  return ref.index === null ? ref.section : `${ref.section}[${JSON.stringify(ref.index)}]`;
}

function forEachRule(root: Node, visit: (rule: Rule) => void): void {
  for (const property of root.children ?? []) {
    const [key, value] = property.children ?? [];
    if (typeof key?.value !== 'string' || !value || key.value === 'groups') continue;
    if (key.value === 'autoApprovers' && value.type === 'object') {
      // Each key of autoApprovers is a section of its own: `routes` (route -> approvers), `exitNode`
      // (one list of approvers), `services` (service -> approvers).
      for (const inner of value.children ?? []) {
        const [innerKey, innerValue] = inner.children ?? [];
        if (typeof innerKey?.value !== 'string' || !innerValue) continue;
        const section = `autoApprovers.${innerKey.value}`;
        if (innerValue.type === 'object') forEachKeyedRule(section, innerValue, visit);
        else visit({ section, index: null, start: inner, body: innerValue });
      }
    } else if (value.type === 'array') {
      const items = value.children ?? [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (item) visit({ section: key.value, index: i, start: item, body: item });
      }
    } else if (value.type === 'object') {
      forEachKeyedRule(key.value, value, visit);
    } else {
      visit({ section: key.value, index: null, start: property, body: value });
    }
  }
}

function forEachKeyedRule(section: string, object: Node, visit: (rule: Rule) => void): void {
  for (const property of object.children ?? []) {
    const [key, value] = property.children ?? [];
    if (typeof key?.value === 'string' && value) visit({ section, index: key.value, start: property, body: value });
  }
}

/**
 * The groups a rule names, each with the keys of the rule it stands under, or undefined for none.
 * Each of the rule's own keys is walked without recursion (the parser bounds the depth, but a rule
 * can still be wide), with a Set lookup per string that starts `group:`. Only object values are
 * looked at, never keys.
 */
function groupsNamedIn(body: Node, wanted: ReadonlySet<string>): Map<string, Set<string>> | undefined {
  let named: Map<string, Set<string>> | undefined;
  const walk = (value: Node, field: string | undefined): void => {
    const stack: Node[] = [value];
    for (let node = stack.pop(); node; node = stack.pop()) {
      if (node.type === 'string') {
        const group = typeof node.value === 'string' ? groupOf(node.value, wanted) : undefined;
        if (group === undefined) continue;
        named ??= new Map();
        const fields = named.get(group) ?? new Set<string>();
        if (field !== undefined) fields.add(field);
        named.set(group, fields);
        continue;
      }
      // Only objects and arrays have children here: properties are never pushed, their values are.
      const children = node.children;
      if (!children) continue;
      for (let i = children.length - 1; i >= 0; i--) {
        const child = node.type === 'object' ? children[i]?.children?.[1] : children[i];
        if (child) stack.push(child);
      }
    }
  };
  if (body.type === 'object') {
    for (const property of body.children ?? []) {
      const [key, value] = property.children ?? [];
      if (value) walk(value, typeof key?.value === 'string' ? key.value : undefined);
    }
  } else {
    walk(body, undefined);
  }
  return named;
}

/** `*`, a port, a range, or a comma-separated list of them: what may follow a name in `dst`. */
const PORTS = /^(\*|\d+(-\d+)?)(,(\*|\d+(-\d+)?))*$/;

/** The wanted group a string names, as `group:eng` or with ports as `group:eng:22`, if any. */
function groupOf(value: string, wanted: ReadonlySet<string>): string | undefined {
  if (!value.startsWith('group:')) return undefined;
  if (wanted.has(value)) return value;
  const colon = value.lastIndexOf(':');
  if (!PORTS.test(value.slice(colon + 1))) return undefined;
  const name = value.slice(0, colon);
  return wanted.has(name) ? name : undefined;
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
