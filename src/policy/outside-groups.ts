// What a groups-only write must leave alone: every top-level key of the policy but `groups`. The
// rewriter promises the bytes (tested); this compares the meaning, for the check made on the very
// text about to be sent.
import { getNodeValue } from 'jsonc-parser';
import { parseHujson } from './hujson.js';

/**
 * The top-level keys other than `groups` whose values differ between two policy texts, or that only
 * one of them has: a groups-only write must leave them all alone.
 */
export function keysChangedOutsideGroups(before: string, after: string): string[] {
  const values = (text: string): Map<string, string> => {
    const root = parseHujson(text).root;
    const entries = (root.children ?? []).flatMap((property) => {
      const [key, value] = property.children ?? [];
      return key && value && key.value !== 'groups' ? [[String(key.value), JSON.stringify(getNodeValue(value))] as const] : [];
    });
    return new Map(entries);
  };
  const old = values(before);
  const next = values(after);
  return [...new Set([...old.keys(), ...next.keys()])].filter((key) => old.get(key) !== next.get(key));
}
