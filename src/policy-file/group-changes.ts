// Under settings.policyFile apply writes the rendered file whole, so the groups it leaves behind are
// the rendered file's, whatever the live policy holds. The plan's group changes say exactly that:
// live groups -> rendered groups, members compared without case, SCIM groups never touched. A group
// someone added in the admin console shows as deleted, because the write deletes it.
import { isScimGroup } from '../policy/groups.js';
import type { PolicyGroup } from '../policy/types.js';
import type { GroupChange } from '../plan/types.js';

const fold = (login: string): string => login.toLowerCase();

function unique(members: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const member of members) {
    if (seen.has(fold(member))) continue;
    seen.add(fold(member));
    out.push(member);
  }
  return out;
}

const ORDER: Record<GroupChange['type'], number> = { 'group.create': 0, 'group.update': 1, 'group.delete': 2 };

export function wholeFileGroupChanges(live: readonly PolicyGroup[], rendered: readonly PolicyGroup[]): GroupChange[] {
  const liveByName = new Map(live.map((group) => [group.name, group]));
  const renderedNames = new Set(rendered.map((group) => group.name));
  const changes: GroupChange[] = [];
  for (const group of rendered) {
    if (isScimGroup(group.name)) continue;
    const before = liveByName.get(group.name);
    if (!before) {
      changes.push({ type: 'group.create', group: group.name, members: unique(group.members) });
      continue;
    }
    const had = new Set(before.members.map(fold));
    const has = new Set(group.members.map(fold));
    const add = unique(group.members.filter((m) => !had.has(fold(m))));
    const remove = unique(before.members.filter((m) => !has.has(fold(m))));
    if (add.length > 0 || remove.length > 0) changes.push({ type: 'group.update', group: group.name, add, remove });
  }
  for (const group of live) {
    if (!isScimGroup(group.name) && !renderedNames.has(group.name)) changes.push({ type: 'group.delete', group: group.name, members: unique(group.members) });
  }
  return changes.sort((a, b) => ORDER[a.type] - ORDER[b.type] || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}
