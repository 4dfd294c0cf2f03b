// Under settings.policyFile apply writes the rendered file whole, so the groups it leaves behind are
// the rendered file's, whatever the live policy holds. The plan's group changes say exactly that:
// live groups -> rendered groups, members compared without case, SCIM groups never listed (they are
// the identity provider's; the policy diff still shows their lines). A group someone added in the
// admin console shows as deleted, because the write deletes it.
import { isScimGroup } from '../policy/groups.js';
import type { PolicyGroup } from '../policy/types.js';
import type { GroupChange } from '../domain/plan.js';
import { groupChangesOfWrite } from '../plan/written-groups.js';

export function wholeFileGroupChanges(live: readonly PolicyGroup[], rendered: readonly PolicyGroup[]): GroupChange[] {
  return groupChangesOfWrite(live, rendered).filter((change) => !isScimGroup(change.group));
}
