// keepAnAdmin counts the admins incrementally (FullAdminTally) instead of asking activeFullAdmins
// for every user twice per demotion. These properties pin the incremental count to the old definition:
// on random tailnets and random plans, and through applyRoleChanges with random successes and
// failures, which demotions are made and which are held back is what the old definition says.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRoleChanges, NO_ADMIN_LEFT } from '../src/apply/roles.js';
import type { Role, TailscaleUser } from '../src/domain/users.js';
import { activeFullAdmins, FullAdminTally, rolePhase } from '../src/plan/rails.js';
import type { UserRoleChange } from '../src/domain/plan.js';
import { ClientUsageError, type TailscaleClient } from '../src/tailscale/client.js';

const ROLES: Role[] = ['owner', 'admin', 'it-admin', 'network-admin', 'billing-admin', 'auditor', 'member'];
const STATUSES = ['active', 'idle', 'suspended', 'needs-approval'] as const;

const user = (i: number, role: Role, status: (typeof STATUSES)[number]): TailscaleUser =>
  ({
    id: `u${i}`,
    loginName: `user${i}@example.com`,
    displayName: `User ${i}`,
    role,
    status,
    type: 'member',
  }) as TailscaleUser;

/** A tailnet of up to 12 users (unique ids, as the API lists them); few admins, so the last one matters. */
const tailnet = fc
  .array(
    fc.record({
      role: fc.constantFrom<Role>(...ROLES, 'member', 'member', 'auditor'),
      status: fc.constantFrom(...STATUSES, 'active', 'active'),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((specs) => specs.map((s, i) => user(i, s.role, s.status)));

/**
 * A plan for some of the users (one change each, as diff plans), with a few ids the listing lacks; and which writes
 * fail.
 */
const planFor = (users: readonly TailscaleUser[]) =>
  fc
    .array(
      fc.record({
        who: fc.nat({ max: users.length + 2 }),
        to: fc.constantFrom<Role>(...ROLES.filter((r) => r !== 'owner')),
        fails: fc.boolean(),
      }),
      { maxLength: 14 },
    )
    .map((picks) => {
      const seen = new Set<number>();
      const changes: { change: UserRoleChange; fails: boolean }[] = [];
      for (const { who, to, fails } of picks) {
        if (seen.has(who)) continue;
        seen.add(who);
        const from = users[who]?.role ?? 'member';
        if (from === to) continue;
        changes.push({
          change: {
            type: 'user.role',
            login: `user${who}@example.com`,
            userId: `u${who}`,
            from,
            to,
            reason: 'declared',
          },
          fails,
        });
      }
      return changes;
    });

/** The old definition, verbatim in effect: two full counts per demotion. */
function oldKeepAnAdmin(
  demotions: readonly UserRoleChange[],
  users: readonly TailscaleUser[],
  done: readonly UserRoleChange[],
): Set<UserRoleChange> {
  const allowed: UserRoleChange[] = [];
  const held = new Set<UserRoleChange>();
  for (const demotion of demotions) {
    const before = activeFullAdmins(users, [...done, ...allowed]);
    const after = activeFullAdmins(users, [...done, ...allowed, demotion]);
    if (after === 0 && before > 0) held.add(demotion);
    else allowed.push(demotion);
  }
  return held;
}

describe('FullAdminTally', () => {
  it('equals activeFullAdmins after every change of a random sequence', () => {
    fc.assert(
      fc.property(
        tailnet.chain((users) => fc.tuple(fc.constant(users), planFor(users), fc.nat({ max: 5 }))),
        ([users, plan, madeFirst]) => {
          const changes = plan.map((p) => p.change);
          const tally = new FullAdminTally(users, changes.slice(0, madeFirst));
          const made = changes.slice(0, madeFirst);
          expect(tally.active).toBe(activeFullAdmins(users, made));
          for (const change of changes.slice(madeFirst)) {
            expect(tally.after(change)).toBe(activeFullAdmins(users, [...made, change]));
            tally.make(change);
            made.push(change);
            expect(tally.active).toBe(activeFullAdmins(users, made));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('applyRoleChanges holds back exactly the demotions the old definition would', () => {
  it('on random tailnets, plans and failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        tailnet.chain((users) => fc.tuple(fc.constant(users), planFor(users))),
        async ([users, plan]) => {
          const failing = new Set(plan.filter((p) => p.fails).map((p) => p.change.userId));
          const client = {
            concurrency: 3,
            setUserRole: async (who: { id: string } | string) => {
              await Promise.resolve();
              const id = typeof who === 'string' ? who : who.id;
              if (failing.has(id)) throw new ClientUsageError(`refused ${id}`);
            },
          } as unknown as TailscaleClient;
          const changes = plan.map((p) => p.change);
          const outcome = await applyRoleChanges(client, changes, users, undefined, () => {});

          const done = changes.filter((c) => rolePhase(c) !== 'demote' && !failing.has(c.userId));
          const held = oldKeepAnAdmin(
            changes.filter((c) => rolePhase(c) === 'demote'),
            users,
            done,
          );
          expect(outcome.skipped.map((s) => s.change)).toEqual(changes.filter((c) => held.has(c)));
          expect(outcome.skipped.every((s) => s.reason === NO_ADMIN_LEFT)).toBe(true);
          expect(outcome.applied).toEqual(changes.filter((c) => !held.has(c) && !failing.has(c.userId)));
          expect(outcome.failed.map((f) => f.change)).toEqual(
            changes.filter((c) => !held.has(c) && failing.has(c.userId)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
