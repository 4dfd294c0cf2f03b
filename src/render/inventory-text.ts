// The inventory for a terminal: the counts first, then the flagged users, then every user in aligned
// columns. A terminal (or an --out file) has no size limit, so nothing is left out.
import { escapeControls } from '../escape.js';
import type { Inventory, InventoryRow } from '../plan/inventory.js';
import { breakdown, countsLine, lastSeenText, number } from './inventory-format.js';

// One absurdly long name should not push every other column off the screen.
const MAX_COLUMN = 40;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h) => h.length);
  for (const row of rows)
    row.forEach((value, i) => (widths[i] = Math.min(MAX_COLUMN, Math.max(widths[i] ?? 0, value.length))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`);
}

function flags(row: InventoryRow, idleDays: number): string {
  const out: string[] = [];
  if (row.idle) out.push(`idle>${idleDays}d`);
  if (row.groups.length === 0) out.push('no group');
  return out.join(', ');
}

function userCells(row: InventoryRow, idleDays: number): string[] {
  const u = row.user;
  return [
    escapeControls(u.loginName),
    escapeControls(u.displayName),
    escapeControls(u.role),
    escapeControls(u.status),
    String(u.deviceCount),
    lastSeenText(row),
    u.currentlyConnected ? 'yes' : '',
    flags(row, idleDays),
  ];
}

const HEADER = ['LOGIN', 'NAME', 'ROLE', 'STATUS', 'DEVICES', 'LAST SEEN', 'CONNECTED', 'FLAGS'];

export function renderInventoryText(inventory: Inventory): string {
  const { counts, idleDays } = inventory;
  const out = [
    `Inventory: ${countsLine(inventory)}.`,
    `By role: ${breakdown(counts.byRole)}. By status: ` +
      `${breakdown(counts.byStatus.map(([s, n]) => [escapeControls(s), n]))}.`,
  ];
  const section = (title: string, rows: readonly InventoryRow[]) => {
    if (rows.length === 0) return;
    out.push(
      '',
      `${title} (${number(rows.length)}):`,
      ...table(
        HEADER.slice(0, 7),
        rows.map((r) => userCells(r, idleDays).slice(0, 7)),
      ),
    );
  };
  section(`Idle over ${idleDays} days`, inventory.idle);
  section('In no group of the policy file', inventory.noGroup);
  if (inventory.neverJoined.length > 0) {
    out.push('', `Declared in the file, never joined (${number(inventory.neverJoined.length)}):`);
    for (const d of inventory.neverJoined)
      out.push(`  ${escapeControls(d.login)}  (${d.where.map(escapeControls).join(', ')})`);
  }
  out.push(
    '',
    `All users (${number(counts.users)}):`,
    ...table(
      HEADER,
      inventory.rows.map((r) => userCells(r, idleDays)),
    ),
  );
  return `${out.join('\n')}\n`;
}
