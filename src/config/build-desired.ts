// The validated file as a Desired state: names normalised, defaults filled in, every entry keeping
// the place it was written.
import { groupName } from './names.js';
import type { Entries } from './read-entries.js';
import type { ConfigFile } from './schema-check.js';
import { DEFAULT_SETTINGS } from './types.js';
import type { Desired, DesiredGroup, DesiredUser, Settings } from './types.js';

// Entries give order and places; the validated value gives typed content. Both come from the same
// YAML and the file has no duplicate keys by now, so looking one up by the other's key is exact.
export function buildDesired(file: string, config: ConfigFile, entries: Entries): Desired {
  const users: DesiredUser[] = entries.users.map(({ login, at }) => {
    const entry = config.users?.[login];
    const role = typeof entry === 'string' ? entry : entry?.role;
    return role === undefined ? { login, at } : { login, role, at };
  });
  const groups: DesiredGroup[] = entries.groups.map(({ key, at, members }) => {
    const entry = config.groups?.[key];
    const logins = Array.isArray(entry) ? entry : (entry?.members ?? []);
    const group: DesiredGroup = {
      name: groupName(key),
      members: logins.map((login, i) => ({ login, at: members[i]?.at ?? at })),
      at,
    };
    if (entry && !Array.isArray(entry) && entry.description !== undefined) group.description = entry.description;
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
