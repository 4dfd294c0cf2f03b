// The desired policy under `settings.policyFile`: the repository's policy file with its groups taken
// from tailnet-access.yaml. Pure and offline (no users are looked up, so no spelling comes from the
// API): the same two files always give the same bytes, which is what lets `render --check` and a PR
// plan insist that the file in git is exactly the policy apply writes.
import type { Desired, DesiredGroup } from '../config/types.js';
import { isScimGroup, readPolicyGroups } from './groups.js';
import { rewritePolicyGroups } from './rewrite.js';
import type { PolicyGroups } from './types.js';
import type { TargetGroup } from '../domain/policy.js';

/** The group's members as the file spells them, without repeats (compared without case, as plan does). */
function membersOf(group: DesiredGroup): string[] {
  const seen = new Set<string>();
  const members: string[] = [];
  for (const { login } of group.members) {
    const folded = login.toLowerCase();
    if (seen.has(folded)) continue;
    seen.add(folded);
    members.push(login);
  }
  return members;
}

function target(group: DesiredGroup, name = group.name): TargetGroup {
  return group.description === undefined
    ? { name, members: membersOf(group) }
    : { name, members: membersOf(group), description: group.description };
}

/**
 * The groups the policy file should hold: its own groups in its order (those the YAML declares with
 * the YAML's members; SCIM groups as they are; the others kept or dropped per `unmanagedGroups`),
 * then the YAML's new groups in the YAML's order.
 */
export function desiredPolicyGroups(desired: Desired, file: PolicyGroups): TargetGroup[] {
  const declared = new Map(desired.groups.map((group) => [group.name, group]));
  const groups: TargetGroup[] = [];
  for (const group of file.groups) {
    const wanted = declared.get(group.name);
    if (wanted) groups.push(target(wanted));
    else if (isScimGroup(group.name) || desired.settings.unmanagedGroups === 'keep')
      groups.push({ name: group.name, members: group.members });
  }
  const present = new Set(file.groups.map((group) => group.name));
  for (const group of desired.groups) if (!present.has(group.name)) groups.push(target(group));
  return groups;
}

/**
 * The policy text with its groups rendered from the YAML; `text` itself when they already match.
 * Throws HujsonSyntaxError or PolicyShapeError (with line and column) for a file it cannot read, and
 * PolicyRewriteError for groups it must not write.
 */
export function renderDesiredPolicy(desired: Desired, text: string): string {
  return rewritePolicyGroups(text, desiredPolicyGroups(desired, readPolicyGroups(text)));
}
