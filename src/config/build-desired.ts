// The validated file as a Desired state: names normalised, defaults filled in, every entry keeping
// the place it was written.
import { groupName } from './names.js';
import type { Entries, MemberEntry, UserEntry } from './read-entries.js';
import type { ConfigFile } from './schema-check.js';
import { DECLARED_STATUSES, DEFAULT_SETTINGS } from './types.js';
import { isRole } from '../domain/users.js';
import type { DeclaredStatus, Desired, DesiredGroup, DesiredMember, DesiredUser, Settings } from './types.js';
import { parseUntil } from './until.js';

/** What the Desired state takes from the validated file besides its entries. */
export type FileSettings = Pick<ConfigFile, 'tailnet' | 'settings'>;

function isWritten(member: MemberEntry): member is MemberEntry & { login: string } {
  return typeof member.login === 'string';
}

function isDeclaredStatus(value: unknown): value is DeclaredStatus {
  return typeof value === 'string' && (DECLARED_STATUSES as readonly string[]).includes(value);
}

// The semantic checks have parsed every `until` by now, so parsing again cannot throw.
function desiredUser({ login, role, at, until, status }: UserEntry): DesiredUser {
  const user: DesiredUser = isRole(role) ? { login, role, at } : { login, at };
  if (typeof until?.value === 'string') {
    user.until = parseUntil(until.value);
    user.untilAt = until.at;
  }
  if (status && isDeclaredStatus(status.value)) {
    user.status = status.value;
    user.statusAt = status.at;
  }
  return user;
}

// Entries give order, places and content. The file has passed the schema check by now, so each entry
// holds what the schema allows (a role or none, logins, a description or none); the guards below only
// tell the compiler so. Reading content from the entries rather than looking each one up in the
// validated value saves building a 10,000-key object for a big tailnet.
export function buildDesired(file: string, config: FileSettings, entries: Entries): Desired {
  const users: DesiredUser[] = entries.users.map(desiredUser);
  const groups: DesiredGroup[] = entries.groups.map(({ key, at, description, members }) => {
    const group: DesiredGroup = {
      name: groupName(key),
      members: members.filter(isWritten).map(({ login, at: memberAt, until }): DesiredMember => {
        return typeof until?.value === 'string'
          ? { login, until: parseUntil(until.value), at: memberAt }
          : { login, at: memberAt };
      }),
      at,
    };
    if (typeof description === 'string') group.description = description;
    return group;
  });
  const settingsAt: Desired['settingsAt'] = {};
  // The schema admits only Settings keys under settings:, so each key is one.
  for (const { key, at } of entries.settings) settingsAt[key as keyof Settings] = at;
  const desired: Desired = {
    file,
    version: 1,
    users,
    groups,
    settings: { ...DEFAULT_SETTINGS, ...config.settings },
    settingsAt,
  };
  if (config.tailnet !== undefined) desired.tailnet = config.tailnet;
  return desired;
}
