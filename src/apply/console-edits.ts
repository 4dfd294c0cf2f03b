// Edits someone made to a managed group between our first read and a later one (after a 412). The
// file wins (the groups are rewritten from it), but people should hear that their edit was undone.
import type { PolicyGroups } from '../policy/types.js';
import type { TargetGroup } from '../domain/policy.js';

function membersKey(members: readonly string[] | undefined): string | undefined {
  return members === undefined ? undefined : [...new Set(members.map((m) => m.toLowerCase()))].sort().join('\n');
}

/**
 * Names of the `managed` groups whose members differ between `before` and `after`, leaving out a
 * group that now holds exactly what we meant to write (our own write, seen on a re-read).
 */
export function editedGroups(
  before: PolicyGroups,
  after: PolicyGroups,
  target: readonly TargetGroup[] | undefined,
  managed: ReadonlySet<string>,
): string[] {
  const members = (
    groups: { name: string; members: string[] }[] | readonly TargetGroup[],
    name: string,
  ): string | undefined => membersKey(groups.find((g) => g.name === name)?.members);
  const edited: string[] = [];
  for (const name of managed) {
    const now = members(after.groups, name);
    if (now === members(before.groups, name)) continue;
    if (target && now === members(target, name)) continue;
    edited.push(name);
  }
  return edited.sort();
}
