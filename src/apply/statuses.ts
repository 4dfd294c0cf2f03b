// Suspensions, restores and approvals, through POST /users/{id}/suspend|restore|approve.
// Restores and approvals go first, then the role changes (run by the caller), then suspensions, so
// an admin brought back counts before anyone is suspended. As with demotions, a suspension that,
// after a failure, would leave no active owner or admin is not made.
import { activeFullAdmins, statusAfter } from '../plan/rails.js';
import type { UserRoleChange, UserStatusChange } from '../domain/plan.js';
import { ClientUsageError, TailscaleError } from '../tailscale/client.js';
import type { TailscaleClient } from '../tailscale/client.js';
import type { TailscaleUser } from '../domain/users.js';
import { eachLimited } from './roles.js';
import type { ApplyEvent } from '../domain/apply-report.js';

export interface StatusOutcome {
  applied: UserStatusChange[];
  failed: { change: UserStatusChange; error: string }[];
  skipped: { change: UserStatusChange; reason: string }[];
}

export const SUSPEND_NO_ADMIN_LEFT =
  'not made: a change it relied on failed, and this suspension would leave the tailnet with no active owner or ' +
  'admin; run apply again once the failure is fixed';

export async function applyStatusChanges(
  client: TailscaleClient,
  changes: readonly UserStatusChange[],
  users: readonly TailscaleUser[],
  _plannedRoles: readonly UserRoleChange[],
  concurrency: number | undefined,
  emit: (event: ApplyEvent) => void,
  /** Runs the role changes between the two halves; resolves to those made. */
  between: () => Promise<UserRoleChange[]>,
): Promise<StatusOutcome> {
  const done = new Set<UserStatusChange>();
  const failed = new Map<UserStatusChange, string>();
  const skipped = new Map<UserStatusChange, string>();
  const usersById = new Map(users.map((u) => [u.id, u]));
  const run = async (c: UserStatusChange): Promise<void> => {
    const ref = { id: c.userId, loginName: usersById.get(c.userId)?.loginName ?? c.login };
    try {
      if (c.type === 'user.suspend') await client.suspendUser(ref);
      else if (c.type === 'user.restore') await client.restoreUser(ref);
      else await client.approveUser(ref);
      done.add(c);
      emit({ type: 'status-changed', change: c });
    } catch (error) {
      if (!(error instanceof TailscaleError || error instanceof ClientUsageError)) throw error;
      failed.set(c, error.message);
      emit({ type: 'status-failed', change: c, error: error.message });
    }
  };
  const limit = (): number => Math.min(concurrency ?? Infinity, client.concurrency);
  await eachLimited(
    changes.filter((c) => c.type !== 'user.suspend'),
    limit,
    run,
  );
  const rolesMade = await between();
  // What was actually done so far decides which suspensions may still go ahead, one at a time in plan order.
  let after = statusAfter(users, [...done]);
  const allowed: UserStatusChange[] = [];
  for (const suspension of changes.filter((c) => c.type === 'user.suspend')) {
    const next = statusAfter(after, [suspension]);
    if (activeFullAdmins(next, rolesMade) === 0 && activeFullAdmins(after, rolesMade) > 0) {
      skipped.set(suspension, SUSPEND_NO_ADMIN_LEFT);
      continue;
    }
    after = next;
    allowed.push(suspension);
  }
  await eachLimited(allowed, limit, run);
  return {
    applied: changes.filter((c) => done.has(c)),
    failed: changes.flatMap((c) => (failed.has(c) ? [{ change: c, error: failed.get(c) ?? '' }] : [])),
    skipped: changes.flatMap((c) => (skipped.has(c) ? [{ change: c, reason: skipped.get(c) ?? '' }] : [])),
  };
}
