// What a policy write does to the groups, read back from the text about to be sent, and whether that
// is what the plan says. The plan is computed from the file and the live tailnet; the text is made
// from the plan by other code (the rewriter, the renderer). This is the check between the two that
// makes "what is written is exactly what was planned" hold whatever a bug elsewhere does: it compares
// the groups of the live policy with the groups of the very text about to go out, not with any
// structure that text was made from. Pure: texts and changes in, differences out.
import type { PolicyGroup } from '../policy/types.js';
import type { GroupChange } from '../domain/plan.js';

const fold = (login: string): string => login.toLowerCase();

/** Members without repeats (compared without case, as everywhere), first spelling kept. */
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

/**
 * The group changes that replacing the `live` groups with the `written` ones makes, every group
 * counted (SCIM-synced ones too): created, deleted, members added or removed. Members compare
 * without case; the order of groups and of members is not a change.
 */
export function groupChangesOfWrite(live: readonly PolicyGroup[], written: readonly PolicyGroup[]): GroupChange[] {
  const liveByName = new Map(live.map((group) => [group.name, group]));
  const writtenNames = new Set(written.map((group) => group.name));
  const changes: GroupChange[] = [];
  for (const group of written) {
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
    if (!writtenNames.has(group.name))
      changes.push({ type: 'group.delete', group: group.name, members: unique(group.members) });
  }
  return changes.sort((a, b) => ORDER[a.type] - ORDER[b.type] || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

/** A change in words, members sorted and folded, so two changes that mean the same read the same. */
function describe(change: GroupChange | undefined): string {
  const list = (members: readonly string[]): string => [...new Set(members.map(fold))].sort().join(', ');
  switch (change?.type) {
    case undefined:
      return 'no change';
    case 'group.create':
      return `created with [${list(change.members)}]`;
    case 'group.delete':
      return `deleted (it held [${list(change.members)}])`;
    case 'group.update':
      return [
        ...(change.add.length > 0 ? [`+[${list(change.add)}]`] : []),
        ...(change.remove.length > 0 ? [`-[${list(change.remove)}]`] : []),
      ].join(' ');
  }
}

/**
 * Where the changes a write makes (`actual`, from groupChangesOfWrite) differ from the plan's, one
 * line per group: `group:x: planned no change; the text about to be written: deleted (…)`. Empty when
 * the write does exactly what the plan says.
 */
export function unplannedGroupChanges(planned: readonly GroupChange[], actual: readonly GroupChange[]): string[] {
  const plannedBy = new Map(planned.map((change) => [change.group, change]));
  const actualBy = new Map(actual.map((change) => [change.group, change]));
  const names = [...new Set([...plannedBy.keys(), ...actualBy.keys()])].sort();
  return names.flatMap((name) => {
    const want = describe(plannedBy.get(name));
    const got = describe(actualBy.get(name));
    return want === got ? [] : [`${name}: planned ${want}; the text about to be written: ${got}`];
  });
}
