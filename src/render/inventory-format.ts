// The inventory's words shared by its text and markdown renderers: last seen, counts, breakdowns.
import type { Inventory, InventoryRow } from '../plan/inventory.js';

/** `2026-05-21 (3 days ago)`, or `never (added 12 days ago)`. */
export function lastSeenText(row: InventoryRow): string {
  if (row.lastSeenDay === undefined) return row.daysIdle === undefined ? 'never' : `never (added ${ago(row.daysIdle)})`;
  return row.daysIdle === undefined ? row.lastSeenDay : `${row.lastSeenDay} (${ago(row.daysIdle)})`;
}

export function ago(days: number): string {
  return days === 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`;
}

export function number(n: number): string {
  return n.toLocaleString('en-US');
}

/** The counts in one line: "9 users, 3 connected now, 12 devices; 1 idle over 90 days, …". */
export function countsLine(inventory: Inventory): string {
  const c = inventory.counts;
  const plural = (n: number, one: string, many = `${one}s`) => `${number(n)} ${n === 1 ? one : many}`;
  return [
    `${plural(c.users, 'user')}, ${number(c.connected)} connected now, ${plural(c.devices, 'device')}`,
    `${number(c.idle)} idle over ${inventory.idleDays} days, ${number(c.noGroup)} in no group, ` +
      `${number(c.neverJoined)} declared but never joined`,
  ].join('; ');
}

export function breakdown(pairs: readonly [string, number][]): string {
  return pairs.map(([name, n]) => `${number(n)} ${name}`).join(', ');
}
