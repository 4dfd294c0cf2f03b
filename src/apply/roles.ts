// Role changes, in three phases: promotions, then sideways moves, then demotions, each phase done
// before the next begins, so the tailnet never has fewer admins than at the start or the end. Within
// a phase as many changes run at once as the client's rate gate lets through. A failed change does
// not stop the others; but a demotion that, after a failed promotion, would leave no active owner or
// admin is not made (the rails checked the plan as a whole, assuming every change succeeds).
import { FullAdminTally, rolePhase, type RolePhase } from '../plan/rails.js';
import type { UserRoleChange } from '../domain/plan.js';
import { ClientUsageError, TailscaleError } from '../tailscale/client.js';
import type { TailscaleClient } from '../tailscale/client.js';
import type { TailscaleUser } from '../domain/users.js';
import type { ApplyEvent } from '../domain/apply-report.js';

export interface RoleOutcome {
  applied: UserRoleChange[];
  failed: { change: UserRoleChange; error: string }[];
  skipped: { change: UserRoleChange; reason: string }[];
}

const PHASES: readonly RolePhase[] = ['promote', 'sideways', 'demote'];

export const NO_ADMIN_LEFT =
  'not made: a promotion it relied on failed, and without it this demotion would leave the tailnet with no active ' +
  'owner or admin; run apply again once the failure is fixed';

/**
 * Runs `work` over `items` with at most `limit()` in flight. The limit is asked again each time an item
 * could start, so the pool follows the client's rate gate as its window grows and shrinks.
 */
export function eachLimited<T>(
  items: readonly T[],
  limit: () => number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let running = 0;
    let failed = false;
    const pump = (): void => {
      if (failed) return;
      if (next >= items.length && running === 0) return resolve();
      while (next < items.length && running < Math.max(1, limit())) {
        const item = items[next++] as T;
        running++;
        work(item).then(
          () => {
            running--;
            pump();
          },
          (error: unknown) => {
            failed = true;
            reject(error);
          },
        );
      }
    };
    pump();
  });
}

export async function applyRoleChanges(
  client: TailscaleClient,
  changes: readonly UserRoleChange[],
  users: readonly TailscaleUser[],
  /** At most this many in flight; the client's own window (its rate gate) decides below that. */
  concurrency: number | undefined,
  emit: (event: ApplyEvent) => void,
): Promise<RoleOutcome> {
  const done = new Set<UserRoleChange>();
  const failed = new Map<UserRoleChange, string>();
  const skipped = new Map<UserRoleChange, string>();
  const usersById = new Map(users.map((u) => [u.id, u]));

  const change = async (c: UserRoleChange): Promise<void> => {
    try {
      await client.setUserRole({ id: c.userId, loginName: usersById.get(c.userId)?.loginName ?? c.login }, c.to);
      done.add(c);
      emit({ type: 'role-changed', change: c });
    } catch (error) {
      if (!(error instanceof TailscaleError || error instanceof ClientUsageError)) throw error;
      failed.set(c, error.message);
      emit({ type: 'role-failed', change: c, error: error.message });
    }
  };

  for (const phase of PHASES) {
    let batch = changes.filter((c) => rolePhase(c) === phase);
    if (phase === 'demote') batch = keepAnAdmin(batch, users, [...done], skipped);
    await eachLimited(batch, () => Math.min(concurrency ?? Infinity, client.concurrency), change);
  }
  // In the plan's order, whatever order the writes finished in.
  return {
    applied: changes.filter((c) => done.has(c)),
    failed: changes.flatMap((c) => (failed.has(c) ? [{ change: c, error: failed.get(c) ?? '' }] : [])),
    skipped: changes.flatMap((c) => (skipped.has(c) ? [{ change: c, reason: skipped.get(c) ?? '' }] : [])),
  };
}

/**
 * The demotions that still leave an active owner or admin after what was actually done, in order:
 * each one allowed counts for the next. One tally of the admins, not a count of every user per demotion.
 */
function keepAnAdmin(
  demotions: readonly UserRoleChange[],
  users: readonly TailscaleUser[],
  done: readonly UserRoleChange[],
  skipped: Map<UserRoleChange, string>,
): UserRoleChange[] {
  const admins = new FullAdminTally(users, done);
  return demotions.filter((demotion) => {
    if (admins.after(demotion) === 0 && admins.active > 0) {
      skipped.set(demotion, NO_ADMIN_LEFT);
      return false;
    }
    admins.make(demotion);
    return true;
  });
}
