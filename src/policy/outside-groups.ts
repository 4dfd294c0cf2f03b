// What a groups-only write must leave alone: every top-level key of the policy but `groups`. The
// rewriter promises the bytes (tested); this compares the meaning, for the check made on the very
// text about to be sent.
import { getNodeValue, type Node } from 'jsonc-parser';
import { parseHujson } from './hujson.js';

/**
 * The top-level keys other than `groups` whose values differ between two policy texts, or that only
 * one of them has: a groups-only write must leave them all alone.
 */
export function keysChangedOutsideGroups(before: string, after: string): string[] {
  const values = (text: string): Map<string, Node> => {
    const entries = (parseHujson(text).root.children ?? []).flatMap((property) => {
      const [key, value] = property.children ?? [];
      return key && value && key.value !== 'groups' ? [[String(key.value), value] as const] : [];
    });
    return new Map(entries);
  };
  const old = values(before);
  const next = values(after);
  // The same bytes are the same value; only values written differently are compared as values.
  const same = (a: Node | undefined, b: Node | undefined): boolean =>
    a !== undefined &&
    b !== undefined &&
    (before.slice(a.offset, a.offset + a.length) === after.slice(b.offset, b.offset + b.length) ||
      JSON.stringify(getNodeValue(a)) === JSON.stringify(getNodeValue(b)));
  return [...new Set([...old.keys(), ...next.keys()])].filter((key) => !same(old.get(key), next.get(key)));
}
