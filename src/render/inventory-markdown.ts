// The inventory as GitHub markdown, for the job summary: counts first, then collapsed <details>
// sections (idle users, users in no group, declared logins that never joined, all users). GitHub
// refuses a step summary over 1 MiB, so the body stays under `maxBytes` by listing only as many rows
// of each section as fit, in that order of importance, and saying how many were left out. Every name
// is someone else's text and goes through escape.ts.
import { escapeHtml, escapeMarkdownInline } from '../escape.js';
import { InventoryOptionsError, type Inventory, type InventoryRow } from '../plan/inventory.js';
import { breakdown, lastSeenText, number } from './inventory-format.js';

export interface InventoryMarkdownOptions {
  /** UTF-8 bytes. Default 900,000: under GitHub's 1 MiB step-summary limit, with room for the plan. */
  maxBytes?: number;
  /** Plain text (escaped). Default `Inventory`. */
  heading?: string;
  /** The config file, named with the logins it declares. Default `tailnet-access.yaml`. */
  configPath?: string;
  /** Plain text (escaped): where the whole list is, said when a section had to be cut. */
  fullListHint?: string;
}

export const DEFAULT_INVENTORY_MAX_BYTES = 900_000;
const DEFAULT_HINT = 'Run tailnet-access plan --inventory --out inventory.txt for the whole list.';
// Room kept for each section still to come, so it can at least say its count: its <details>
// wrapper and table head, or the one line that says it is too long to list (plus the hint).
const SECTION_ROOM = 400;

interface ListSection {
  title: string;
  head: string[];
  lines: string[];
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

function cell(text: string): string {
  return escapeMarkdownInline(text);
}

function flaggedRow(row: InventoryRow): string {
  const u = row.user;
  return (
    `| ${cell(u.displayName)} | ${cell(u.loginName)} | ${cell(u.role)} | ${cell(u.status)} | ${u.deviceCount} | ` +
    `${lastSeenText(row)} |`
  );
}

function fullRow(row: InventoryRow): string {
  const u = row.user;
  return (
    `| ${cell(u.displayName)} | ${cell(u.loginName)} | ${cell(u.role)} | ${cell(u.status)} | ${u.deviceCount} | ` +
    `${row.lastSeenDay ?? 'never'} | ${u.currentlyConnected ? 'yes' : ''} |`
  );
}

const FLAGGED_HEAD = [
  '| Name | Login | Role | Status | Devices | Last seen |',
  '| --- | --- | --- | --- | ---: | --- |',
];
const FULL_HEAD = [
  '| Name | Login | Role | Status | Devices | Last seen | Connected |',
  '| --- | --- | --- | --- | ---: | --- | --- |',
];

function sections(inventory: Inventory, configPath: string): ListSection[] {
  return [
    { title: `Idle over ${inventory.idleDays} days`, head: FLAGGED_HEAD, lines: inventory.idle.map(flaggedRow) },
    { title: 'In no group of the policy file', head: FLAGGED_HEAD, lines: inventory.noGroup.map(flaggedRow) },
    {
      title: `Declared in ${configPath}, never joined`,
      head: [],
      lines: inventory.neverJoined.map((d) => `- ${cell(d.login)} (${d.where.map(cell).join(', ')})`),
    },
    { title: 'All users', head: FULL_HEAD, lines: inventory.rows.map(fullRow) },
  ];
}

function details(summary: string, body: string): string {
  // The blank line after </summary> lets GitHub render the markdown inside.
  return `<details>\n<summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

/** The section in at most `budget` bytes: as many of its lines as fit, and a note of how many did not. */
function renderSection(section: ListSection, budget: number, hint: string): string {
  const total = section.lines.length;
  const summary = `${section.title} (${number(total)})`;
  const cutNote = (shown: number) => `\n\n_The first ${number(shown)} of ${number(total)}, by login. ${hint}_`;
  const frame = bytes(details(summary, `${section.head.join('\n')}\n${cutNote(total)}`));
  let used = 0;
  let shown = 0;
  for (const line of section.lines) {
    const cost = bytes(line) + 1;
    if (frame + used + cost > budget) break;
    used += cost;
    shown++;
  }
  if (shown === 0) return `**${escapeMarkdownInline(summary)}:** too many to list here. ${hint}`;
  const body = [...section.head, ...section.lines.slice(0, shown)].join('\n');
  return details(summary, shown < total ? `${body}${cutNote(shown)}` : body);
}

function countsTable(inventory: Inventory, configPath: string): string {
  const c = inventory.counts;
  return [
    '| | Users |',
    '| --- | ---: |',
    `| In the tailnet | ${number(c.users)} |`,
    `| Connected now | ${number(c.connected)} |`,
    `| Idle over ${inventory.idleDays} days | ${number(c.idle)} |`,
    `| In no group of the policy file | ${number(c.noGroup)} |`,
    `| Declared in ${cell(configPath)}, never joined | ${number(c.neverJoined)} |`,
  ].join('\n');
}

export function renderInventoryMarkdown(inventory: Inventory, options: InventoryMarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_INVENTORY_MAX_BYTES;
  const configPath = options.configPath ?? 'tailnet-access.yaml';
  const hint = escapeMarkdownInline(options.fullListHint ?? DEFAULT_HINT);
  const { counts } = inventory;
  const head = [
    `### ${escapeMarkdownInline(options.heading ?? 'Inventory')}`,
    countsTable(inventory, configPath),
    `${number(counts.devices)} devices. By role: ${breakdown(counts.byRole)}. By status: ` +
      `${cell(breakdown(counts.byStatus))}.`,
  ];
  const blocks = [...head];
  let used = bytes(head.join('\n\n')) + 1;
  const lists = sections(inventory, configPath).filter((s) => s.lines.length > 0);
  const room = SECTION_ROOM + bytes(hint) + 2 * bytes(configPath);
  if (used + lists.length * room > maxBytes) {
    throw new InventoryOptionsError(
      `maxBytes ${maxBytes} is too small for even the counts of the inventory (${used + lists.length * room} bytes)`,
    );
  }
  lists.forEach((section, i) => {
    const later = (lists.length - i - 1) * room;
    const text = renderSection(section, maxBytes - used - later - 2, hint);
    blocks.push(text);
    used += bytes(text) + 2;
  });
  return `${blocks.join('\n\n')}\n`;
}
