// The inventory: who is in the tailnet, for `plan --inventory` and the action's job summary. This
// file builds what the renderers show (src/render/inventory-text.ts, src/render/inventory-markdown.ts) and
// flags what an admin should look at: users idle longer than a threshold, users in no group, and
// logins the file declares who never joined. Pure: `now` comes in as a parameter.
import type { Desired } from '../config/types.js';
import { ROLES, type Role, type TailscaleUser } from '../domain/users.js';
import type { PolicyGroups } from '../policy/types.js';

export const DEFAULT_IDLE_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface DeclaredLogin {
  login: string;
  /** Where the file names it: `users`, or the groups it is listed in. */
  where: string[];
}

export interface InventoryInput {
  /** Member users (`type=member`). */
  users: readonly TailscaleUser[];
  groups: PolicyGroups;
  /** Logins the file names; those not in the tailnet are "never joined". */
  declared?: readonly DeclaredLogin[];
}

export interface InventoryOptions {
  /** Epoch milliseconds or a Date: days idle are counted up to it. */
  now: number | Date;
  /** Users whose last activity is older than this many days are flagged. Default 90. */
  idleDays?: number;
}

export interface InventoryRow {
  user: TailscaleUser;
  /** `YYYY-MM-DD`, or undefined for a user who never connected. */
  lastSeenDay?: string;
  /** Whole days since last seen (since created for a user who never connected); undefined when unknown. */
  daysIdle?: number;
  groups: string[];
  idle: boolean;
}

export interface InventoryCounts {
  users: number;
  connected: number;
  devices: number;
  idle: number;
  noGroup: number;
  neverJoined: number;
  byRole: [Role, number][];
  byStatus: [string, number][];
}

export interface Inventory {
  idleDays: number;
  /** Every member user, sorted by login. */
  rows: InventoryRow[];
  idle: InventoryRow[];
  noGroup: InventoryRow[];
  neverJoined: DeclaredLogin[];
  counts: InventoryCounts;
}

export class InventoryOptionsError extends Error {
  override name = 'InventoryOptionsError';
}

/** A timestamp the API sent, or undefined for missing, unreadable or Go's zero time (never connected). */
function timeOf(text: string | undefined): number | undefined {
  if (text === undefined || text === '' || text.startsWith('0001-')) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

function byLogin(a: TailscaleUser, b: TailscaleUser): number {
  const [x, y] = [a.loginName.toLowerCase(), b.loginName.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

function tally<K>(keys: Iterable<K>): Map<K, number> {
  const counts = new Map<K, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** The logins a file names, each once (compared without case), with where it names them. */
export function declaredLogins(desired: Desired): DeclaredLogin[] {
  const found = new Map<string, DeclaredLogin>();
  const note = (login: string, where: string) => {
    const key = login.toLowerCase();
    const entry = found.get(key) ?? { login, where: [] };
    if (!entry.where.includes(where)) entry.where.push(where);
    found.set(key, entry);
  };
  for (const user of desired.users) note(user.login, 'users');
  for (const group of desired.groups) for (const member of group.members) note(member.login, group.name);
  return [...found.values()];
}

export function buildInventory(input: InventoryInput, options: InventoryOptions): Inventory {
  const idleDays = options.idleDays ?? DEFAULT_IDLE_DAYS;
  if (!Number.isInteger(idleDays) || idleDays < 1)
    throw new InventoryOptionsError(`the idle threshold must be a whole number of days, 1 or more, not ${idleDays}`);
  const now = typeof options.now === 'number' ? options.now : options.now.getTime();

  const groupsOf = new Map<string, string[]>();
  for (const group of input.groups.groups) {
    for (const member of group.members) {
      const key = member.toLowerCase();
      const list = groupsOf.get(key) ?? [];
      if (!list.includes(group.name)) list.push(group.name);
      groupsOf.set(key, list);
    }
  }

  const rows = [...input.users].sort(byLogin).map((user): InventoryRow => {
    const seen = timeOf(user.lastSeen);
    const since = seen ?? timeOf(user.created);
    const row: InventoryRow = { user, groups: groupsOf.get(user.loginName.toLowerCase()) ?? [], idle: false };
    if (seen !== undefined) row.lastSeenDay = new Date(seen).toISOString().slice(0, 10);
    if (since !== undefined) row.daysIdle = Math.max(0, Math.floor((now - since) / DAY_MS));
    // Never connected and of unknown age counts as idle: nothing shows the account is used.
    row.idle = row.daysIdle === undefined ? seen === undefined : row.daysIdle > idleDays;
    return row;
  });

  const members = new Set(input.users.map((u) => u.loginName.toLowerCase()));
  const neverJoined = (input.declared ?? []).filter((d) => !members.has(d.login.toLowerCase()));
  neverJoined.sort((a, b) => (a.login.toLowerCase() < b.login.toLowerCase() ? -1 : 1));
  const idle = rows.filter((r) => r.idle);
  const noGroup = rows.filter((r) => r.groups.length === 0);
  const roles = tally(input.users.map((u) => u.role));
  const statuses = tally(rows.map((r) => r.user.status));

  return {
    idleDays,
    rows,
    idle,
    noGroup,
    neverJoined,
    counts: {
      users: rows.length,
      connected: rows.filter((r) => r.user.currentlyConnected).length,
      devices: rows.reduce((sum, r) => sum + r.user.deviceCount, 0),
      idle: idle.length,
      noGroup: noGroup.length,
      neverJoined: neverJoined.length,
      byRole: ROLES.filter((role) => roles.has(role)).map((role) => [role, roles.get(role) ?? 0]),
      byStatus: [...statuses].sort(([a], [b]) => (a < b ? -1 : 1)),
    },
  };
}
