// Writes a tailnet-access.yaml that describes a tailnet as it is, so that the next `plan` shows no
// changes: every member user with their role, every group the file can express, and settings that
// leave the rest alone. Pure: the same users and groups always give the same bytes (no dates, users
// sorted by login, groups in policy order). Built with yaml's Document API, which quotes whatever
// needs quoting (a login such as `"yes"@x` or `-a@b`) and keeps comments as comments.
//
// The groups come as PolicyGroups, i.e. from the text of a policy file: today the live policy's, and
// for `import --policy-file` a file in the repository.
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { escapeControls } from '../escape.js';
import { isScimGroup } from '../policy/groups.js';
import type { PolicyGroup, PolicyGroups } from '../policy/types.js';
import { PROJECT_URL } from '../version.js';
import type { TailscaleUser } from '../domain/users.js';
import { isGroupKey, isLogin } from './names.js';

export const SCHEMA_URL = `${PROJECT_URL.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/main/schema/tailnet-access.schema.json`;

/** Shared users are named in a comment, up to this many; more would bury the users section. */
const MAX_SHARED_NAMED = 20;

export interface ImportSource {
  /** Member users (`type=member`). */
  users: readonly TailscaleUser[];
  /** Users shared in from other tailnets: named in a comment, never listed (they are not ours to manage). */
  sharedUsers?: readonly TailscaleUser[];
  groups: PolicyGroups;
  /** Written as `tailnet:` unless it is `-`. */
  tailnet: string;
  /** The tailnet's ID, named in the header comment when known. */
  tailnetId?: string;
}

export interface LeftOut {
  kind: 'user' | 'group';
  name: string;
  /** Why the file does not list it; it is left as it is all the same. */
  reason: string;
}

export interface WrittenConfig {
  text: string;
  users: number;
  groups: number;
  leftOut: LeftOut[];
}

function compareLogins(a: TailscaleUser, b: TailscaleUser): number {
  const [x, y] = [a.loginName.toLowerCase(), b.loginName.toLowerCase()];
  if (x !== y) return x < y ? -1 : 1;
  return a.loginName < b.loginName ? -1 : a.loginName > b.loginName ? 1 : 0;
}

/** `2026-05-21`: the day is enough to spot the idle, and re-importing the same state gives the same bytes. */
function lastSeenText(user: TailscaleUser): string {
  const day = user.lastSeen?.slice(0, 10);
  return day === undefined || day === '' || day.startsWith('0001-') ? 'never connected' : `last seen ${day}`;
}

// One line, whatever the API sent: yaml would turn a newline in a comment into a second comment line.
function userComment(user: TailscaleUser): string {
  const parts = [user.displayName, user.status, lastSeenText(user)].filter((p) => p !== '').map(escapeControls);
  if (user.role === 'owner') parts.push('the owner: checked, never changed');
  return ` ${parts.join(' · ')}`;
}

/** Why a group cannot be listed in the file, or undefined when it can. */
function groupProblem(group: PolicyGroup): string | undefined {
  if (isScimGroup(group.name)) return 'synced by SCIM from the identity provider; tailnet-access never writes it';
  if (!group.name.startsWith('group:') || !isGroupKey(group.name))
    return 'its name cannot be written in this file (letters, digits, ".", "_" and "-" after "group:")';
  const odd = group.members.find((member) => !isLogin(member));
  if (odd !== undefined) return `its member ${JSON.stringify(odd)} is not a user login (the file holds logins only)`;
  return undefined;
}

/** Members without repeats (compared without case, as plan does), first spelling kept. */
function uniqueMembers(members: readonly string[]): string[] {
  const seen = new Set<string>();
  return members.filter((member) => {
    const key = member.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function scalar(value: string | number, comment?: string): Scalar {
  const node = new Scalar(value);
  if (comment !== undefined) node.comment = comment;
  return node;
}

function section(key: string, value: YAMLMap | YAMLSeq, comment: string[]): Pair {
  const keyNode = scalar(key);
  keyNode.spaceBefore = true;
  if (comment.length > 0) keyNode.commentBefore = comment.map((line) => ` ${line}`).join('\n');
  return new Pair(keyNode, value);
}

function memberSeq(members: readonly string[]): YAMLSeq {
  const seq = new YAMLSeq();
  // One member per line keeps a membership change a one-line diff; an empty group reads `[]`.
  if (members.length === 0) seq.flow = true;
  for (const member of members) seq.items.push(scalar(member));
  return seq;
}

/**
 * `admin`, or `{ role: admin, status: suspended }` for a suspended user: the file then says what the
 * tailnet has, so plan shows no change, and turning it to `active` is the reviewed way to restore.
 * Other statuses are not written: `active` on a user awaiting approval would approve them.
 */
function userValue(user: TailscaleUser): Scalar | YAMLMap {
  if (user.status !== 'suspended') return scalar(user.role, userComment(user));
  const entry = new YAMLMap();
  entry.flow = true;
  entry.items.push(new Pair(scalar('role'), scalar(user.role)), new Pair(scalar('status'), scalar('suspended')));
  entry.comment = userComment(user);
  return entry;
}

function usersSection(source: ImportSource, leftOut: LeftOut[]): { pair: Pair; count: number } {
  const map = new YAMLMap();
  const unlisted: string[] = [];
  for (const user of [...source.users].sort(compareLogins)) {
    if (!isLogin(user.loginName)) {
      leftOut.push({
        kind: 'user',
        name: user.loginName,
        reason: 'the login cannot be written in this file; unlisted users are left alone',
      });
      unlisted.push(escapeControls(user.loginName));
      continue;
    }
    map.items.push(new Pair(scalar(user.loginName), userValue(user)));
  }
  const comment = [
    'Every member of the tailnet and their role. After each: display name, status and last',
    'seen, as of the import (for reading only). The owner is checked, never changed.',
  ];
  const shared = [...(source.sharedUsers ?? [])].sort(compareLogins).map((u) => escapeControls(u.loginName));
  if (shared.length > 0) {
    const named = shared.slice(0, MAX_SHARED_NAMED).join(', ');
    const more = shared.length > MAX_SHARED_NAMED ? ` and ${shared.length - MAX_SHARED_NAMED} more` : '';
    comment.push(`Shared in from other tailnets, so not listed: ${named}${more}.`);
  }
  if (unlisted.length > 0)
    comment.push(`Not listed, as the file cannot hold their login, and left alone: ${unlisted.join(', ')}.`);
  if (map.items.length === 0) map.flow = true;
  return { pair: section('users', map, comment), count: map.items.length };
}

function groupsSection(groups: PolicyGroups, leftOut: LeftOut[]): { pair: Pair; count: number } {
  const map = new YAMLMap();
  const notes: string[] = [];
  for (const group of groups.groups) {
    const problem = groupProblem(group);
    if (problem !== undefined) {
      leftOut.push({ kind: 'group', name: group.name, reason: problem });
      notes.push(`  ${escapeControls(group.name)}: ${problem}`);
      continue;
    }
    const members = memberSeq(uniqueMembers(group.members));
    if (group.comment === undefined) {
      map.items.push(new Pair(scalar(group.name), members));
    } else {
      const entry = new YAMLMap();
      entry.items.push(new Pair(scalar('description'), scalar(group.comment)), new Pair(scalar('members'), members));
      map.items.push(new Pair(scalar(group.name), entry));
    }
  }
  const comment =
    groups.groups.length === 0
      ? ['The policy file has no groups yet. Groups added here are written into it by apply.']
      : ['The groups of the policy file, in its order. A comment above a group there is its description here.'];
  if (notes.length > 0) comment.push('Not listed, and kept as they are (settings.unmanagedGroups: keep):', ...notes);
  if (map.items.length === 0) map.flow = true;
  return { pair: section('groups', map, comment), count: map.items.length };
}

function settingsSection(): Pair {
  const map = new YAMLMap();
  map.items.push(
    new Pair(
      scalar('unmanagedUsers'),
      scalar(
        'ignore',
        ' users not listed above are left alone (report: warn about them; demote: make them members; suspend: ' +
          'suspend them)',
      ),
    ),
    new Pair(
      scalar('unmanagedGroups'),
      scalar('keep', ' policy groups not listed above are kept (remove: delete them)'),
    ),
    new Pair(scalar('maxChanges'), scalar(50, ' apply refuses a larger plan unless given --max-changes')),
  );
  return section('settings', map, []);
}

export function writeAccessYaml(source: ImportSource): WrittenConfig {
  const leftOut: LeftOut[] = [];
  const doc = new Document(new YAMLMap());
  const where = source.tailnetId === undefined ? '' : ` (tailnet ID ${escapeControls(source.tailnetId)})`;
  doc.commentBefore = [
    ` yaml-language-server: $schema=${SCHEMA_URL}`,
    ' Who is in the tailnet and what they may do. Written by `tailnet-access import` from the live',
    ` tailnet${where}, so \`tailnet-access plan\` shows no changes against it.`,
    ' Review it, commit it, and from now on change access here, through pull requests.',
  ].join('\n');
  const root = doc.contents as YAMLMap;
  root.items.push(new Pair(scalar('version'), scalar(1)));
  if (source.tailnet !== '-') root.items.push(new Pair(scalar('tailnet'), scalar(source.tailnet)));
  const users = usersSection(source, leftOut);
  const groups = groupsSection(source.groups, leftOut);
  root.items.push(users.pair, groups.pair, settingsSection());
  return { text: doc.toString({ lineWidth: 0 }), users: users.count, groups: groups.count, leftOut };
}
