// What the text and markdown renderers share: the counts, the summary sentence, and the plan laid
// out as aligned lines grouped by section. The renderers only decide how a line is marked and coloured.
import type { Role } from '../domain/users.js';
import { referencePlace } from '../policy/impact.js';
import type { GroupReference } from '../domain/policy.js';
import {
  isGroupChange,
  type Change,
  type GroupChange,
  type Plan,
  type PlanImpact,
  type UserChange,
} from '../domain/plan.js';
import { escapeControls } from '../escape.js';
import { describeRoleChange, type RoleChangeDirection } from './role-grants.js';

export interface ChangeCounts {
  roles: number;
  statuses: number;
  invites: number;
  create: number;
  update: number;
  delete: number;
}

export function countChanges(changes: readonly Change[]): ChangeCounts {
  const counts: ChangeCounts = { roles: 0, statuses: 0, invites: 0, create: 0, update: 0, delete: 0 };
  for (const change of changes) {
    if (change.type === 'user.role') counts.roles++;
    else if (change.type === 'user.invite') counts.invites++;
    else if (change.type === 'user.suspend' || change.type === 'user.restore' || change.type === 'user.approve')
      counts.statuses++;
    else if (change.type === 'group.create') counts.create++;
    else if (change.type === 'group.update') counts.update++;
    else counts.delete++;
  }
  return counts;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "1 role change, 2 groups to create, 1 to update, 1 to delete" (empty when nothing changes). */
export function describeCounts(counts: ChangeCounts): string {
  const parts: string[] = [];
  if (counts.roles > 0) parts.push(plural(counts.roles, 'role change', 'role changes'));
  if (counts.statuses > 0) parts.push(plural(counts.statuses, 'status change', 'status changes'));
  if (counts.invites > 0) parts.push(plural(counts.invites, 'invite', 'invites'));
  // "group" is said once, with the first group count: "1 group to create, 1 to update".
  let noun = true;
  for (const [n, verb] of [
    [counts.create, 'create'],
    [counts.update, 'update'],
    [counts.delete, 'delete'],
  ] as const) {
    if (n === 0) continue;
    parts.push(noun ? `${plural(n, 'group', 'groups')} to ${verb}` : `${n} to ${verb}`);
    noun = false;
  }
  return parts.join(', ');
}

export type Sign = '+' | '-' | '~';

export interface PlanLine {
  sign: Sign;
  /**
   * 0 for a change, 1 for a member added to or removed from an updated group, or for what a new role
   * may do.
   */
  depth: 0 | 1;
  /** Already free of control characters; column-aligned within its section. */
  text: string;
}

/** One change, as lines that must never be separated (a group update and its members). */
export type PlanEntry = PlanLine[];

export interface PlanSection {
  title: 'Users' | 'Groups';
  entries: PlanEntry[];
}

// One absurdly long login should not push every other line off the screen.
const MAX_COLUMN = 40;

function columnWidth(values: readonly string[]): number {
  let width = 0;
  for (const value of values) width = Math.max(width, value.length);
  return Math.min(width, MAX_COLUMN);
}

function pad(value: string, width: number): string {
  return value.length >= width ? value : value + ' '.repeat(width - value.length);
}

function userEntries(changes: readonly UserChange[], roleGrants: boolean): PlanEntry[] {
  const logins = changes.map((c) => escapeControls(c.login));
  const loginWidth = columnWidth(logins);
  // Roles come from the API as well as from the file: shown as carefully as names.
  const froms = changes.map((c) => (c.type === 'user.role' ? escapeControls(c.from) : ''));
  const fromWidth = columnWidth(froms);
  return changes.map((change, i) => {
    if (change.type === 'user.invite') {
      const line: PlanLine = {
        sign: '+',
        depth: 0,
        text: `${pad(logins[i] as string, loginWidth)}  invite as ${escapeControls(change.role)}`,
      };
      return change.role === 'member' || !roleGrants ? [line] : [line, roleLine('member', change.role)];
    }
    const note =
      change.reason === 'unmanaged' ? '  (not in the file)' : change.reason === 'expired' ? '  (until has passed)' : '';
    if (change.type !== 'user.role') {
      return [
        { sign: '~', depth: 0, text: `${pad(logins[i] as string, loginWidth)}  ${STATUS_VERB[change.type]}${note}` },
      ];
    }
    const role = `${pad(froms[i] as string, fromWidth)} -> ${escapeControls(change.to)}${endNote(change.until)}`;
    const text = `${pad(logins[i] as string, loginWidth)}  ${role}${note}`;
    const line: PlanLine = { sign: '~', depth: 0, text };
    return roleGrants ? [line, roleLine(change.from, change.to)] : [line];
  });
}

const ROLE_SIGN: Record<RoleChangeDirection, Sign> = { grant: '+', loss: '-', lateral: '~', none: '~' };

/** What a role change gives or takes away, under the change: `+ gains the pricing plan and billing`. */
function roleLine(from: Role, to: Role): PlanLine {
  const { direction, text } = describeRoleChange(from, to);
  return { sign: ROLE_SIGN[direction], depth: 1, text };
}

const STATUS_VERB = {
  'user.suspend': 'suspend',
  'user.restore': 'restore (suspended -> active)',
  'user.approve': 'approve',
} as const;

/** `  until 2026-12-31`: the end the file gives what a change grants; empty when it has none. */
function endNote(until: string | undefined): string {
  return until === undefined ? '' : `  until ${escapeControls(until)}`;
}

function memberList(members: readonly string[], until?: Readonly<Record<string, string>>): string {
  if (members.length === 0) return '(no members)';
  const shown = members.map(
    (m) => `${escapeControls(m)}${until?.[m] === undefined ? '' : ` until ${escapeControls(until[m])}`}`,
  );
  return `(${shown.join(', ')})`;
}

function groupEntries(changes: readonly GroupChange[]): PlanEntry[] {
  const names = changes.map((c) => escapeControls(c.group));
  // Only create and delete lines have a second column to align.
  const nameWidth = columnWidth(names.filter((_, i) => changes[i]?.type !== 'group.update'));
  return changes.map((change, i) => {
    const name = names[i] as string;
    if (change.type === 'group.update') {
      return [
        { sign: '~', depth: 0, text: name },
        ...change.add.map((m): PlanLine => ({
          sign: '+',
          depth: 1,
          text: `${escapeControls(m)}${endNote(change.until?.[m])}`,
        })),
        ...change.remove.map((m): PlanLine => ({
          sign: '-',
          depth: 1,
          text: `${escapeControls(m)}${change.expired?.includes(m) ? '  (until has passed)' : ''}`,
        })),
      ];
    }
    const sign = change.type === 'group.create' ? '+' : '-';
    return [
      {
        sign,
        depth: 0,
        text: `${pad(name, nameWidth)}  ${memberList(change.members, change.type === 'group.create' ? change.until : undefined)}`,
      },
    ];
  });
}

export interface SectionOptions {
  /**
   * Under each role change and invite, what the role gives or takes away (role-grants.ts), so a
   * promotion reads as a grant. Default true: a plan is read to be approved; an apply report, which
   * says what was done, leaves it out.
   */
  roleGrants?: boolean;
}

/** The plan's changes by section (Users, then Groups), each keeping the plan's stable order. */
export function planSections(plan: Plan, options: SectionOptions = {}): PlanSection[] {
  const users: UserChange[] = [];
  const groups: GroupChange[] = [];
  for (const change of plan.changes) {
    if (isGroupChange(change)) groups.push(change);
    else users.push(change);
  }
  const sections: PlanSection[] = [];
  if (users.length > 0) sections.push({ title: 'Users', entries: userEntries(users, options.roleGrants ?? true) });
  if (groups.length > 0) sections.push({ title: 'Groups', entries: groupEntries(groups) });
  return sections;
}

/** One line naming a change, for lists of skipped or failed changes. */
export function changeLabel(change: Change): string {
  switch (change.type) {
    case 'user.role':
      return `${change.login}  ${change.from} -> ${change.to}`;
    case 'user.invite':
      return `${change.login}  invite as ${change.role}`;
    case 'user.suspend':
    case 'user.restore':
    case 'user.approve':
      return `${change.login}  ${STATUS_VERB[change.type]}`;
    default:
      return change.group;
  }
}

/**
 * The tailnet as people should read it: its ID when `-` (the credential's own) was asked, the name
 * asked with the ID beside it when they differ, and what was asked when the ID is not known.
 */
export function tailnetLabel(subject: { tailnet: string; tailnetId?: string | undefined }): string {
  const { tailnet, tailnetId } = subject;
  if (tailnetId === undefined || tailnet.toLowerCase() === tailnetId.toLowerCase()) return tailnet;
  return tailnet === '-' ? tailnetId : `${tailnet} (${tailnetId})`;
}

/** The heading of the impact section, without its punctuation. */
export const IMPACT_TITLE = 'What these groups grant';

/** `lines of the live policy`, `lines of policy.hujson`: what the line numbers are of. */
export function impactOf(impact: PlanImpact): string {
  return `lines of ${escapeControls(impact.policy)}`;
}

/** `group:x is used nowhere in the policy`, a common mistake: members of such a group gain nothing. */
export function unusedText(group: string): string {
  return `${escapeControls(group)} is used nowhere in the policy`;
}

/** `group:eng → acls[0] line 16: accept group:eng -> tag:server:22`, free of control characters. */
export function referenceText(ref: GroupReference): string {
  return (
    `${escapeControls(ref.group)} → ${escapeControls(referencePlace(ref))} line ${ref.line}: ` +
    `${escapeControls(ref.rule)}`
  );
}

/**
 * The impact as lines, the groups used nowhere first (they are the mistake to catch), then one line
 * per group and rule. Empty when the plan changes no group.
 */
export function impactLines(impact: PlanImpact | undefined): string[] {
  if (impact === undefined) return [];
  return [...impact.unused.map(unusedText), ...impact.references.map(referenceText)];
}
