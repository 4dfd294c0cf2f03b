// The plan: what it would take to make the tailnet match the file (contract.md §3,
// schema/plan.schema.json). Pure data; produced by diff(), consumed by renderers and apply.
import type { Role } from './users.js';
import type { TargetGroup, GroupReference } from './policy.js';

/** `expired`: an `until` in the file has passed (the role falls back to member). */
export type ChangeReason = 'declared' | 'unmanaged' | 'expired';

export interface UserRoleChange {
  type: 'user.role';
  login: string;
  userId: string;
  from: Role;
  to: Role;
  reason: ChangeReason;
  /** The new role's end as the file writes it (`until`): a date (to its end, UTC) or a date-time. */
  until?: string;
}

/**
 * A declared user who is not in the tailnet, invited with their role (`settings.inviteMissingUsers`).
 * Tailscale has no call that creates a user: people join by signing in, or by accepting an invite.
 */
export interface UserInviteChange {
  type: 'user.invite';
  login: string;
  role: Exclude<Role, 'owner'>;
}

/**
 * A user's status changed through the users API: `user.suspend` (POST /users/{id}/suspend),
 * `user.restore` (a suspended user, back to active), `user.approve` (a user awaiting approval).
 */
export interface UserStatusChange {
  type: 'user.suspend' | 'user.restore' | 'user.approve';
  login: string;
  userId: string;
  reason: 'declared' | 'unmanaged';
}

export interface GroupCreate {
  type: 'group.create';
  group: string;
  members: string[];
  /** The members whose membership ends (`until`), each with its end as the file writes it. */
  until?: Record<string, string>;
}

export interface GroupUpdate {
  type: 'group.update';
  group: string;
  add: string[];
  remove: string[];
  /** Those of `remove` taken out because their `until` has passed (absent when none). */
  expired?: string[];
  /** Those of `add` whose membership ends (`until`), each with its end as the file writes it. */
  until?: Record<string, string>;
}

export interface GroupDelete {
  type: 'group.delete';
  group: string;
  members: string[];
}

export type GroupChange = GroupCreate | GroupUpdate | GroupDelete;
export type UserChange = UserRoleChange | UserStatusChange | UserInviteChange;
export type Change = UserChange | GroupChange;

export function isGroupChange(change: Change): change is GroupChange {
  return change.type === 'group.create' || change.type === 'group.update' || change.type === 'group.delete';
}

export function isRoleChange(change: Change): change is UserRoleChange {
  return change.type === 'user.role';
}

export function isStatusChange(change: Change): change is UserStatusChange {
  return change.type === 'user.suspend' || change.type === 'user.restore' || change.type === 'user.approve';
}

export function isInvite(change: Change): change is UserInviteChange {
  return change.type === 'user.invite';
}

export interface PlanWarning {
  /** e.g. `user.not-in-tailnet`, `user.unmanaged`, `group.unmanaged`, `group.member-not-in-tailnet`. */
  code: string;
  message: string;
  /** `file:line:column` of what the warning is about, when it is about the file. */
  path?: string;
}

/** Where the policy uses the groups a plan changes (src/plan/impact.ts). */
export interface PlanImpact {
  /** The policy the lines are of, as a reader names it: `the live policy`, or the policy file in git. */
  policy: string;
  /** One per group and rule, by group and then by place in the text. */
  references: GroupReference[];
  /** The changed groups no rule names, sorted: "group:x is used nowhere in the policy". */
  unused: string[];
}

export interface Plan {
  version: 1;
  /** The tailnet as asked (`-` for the credential's own): what API paths and --tailnet take. */
  tailnet: string;
  /** The tailnet's ID, learnt from its users: who `-` turned out to be. */
  tailnetId?: string;
  /** The policy ETag the plan was computed against, quoted as the server sent it. */
  policyEtag: string;
  changes: Change[];
  warnings: PlanWarning[];
  /**
   * Where the policy uses the groups the plan changes (src/plan/impact.ts); absent when the plan
   * changes no group.
   */
  impact?: PlanImpact;
}

/**
 * A reason the plan cannot be carried out as the file says (e.g. `owner` stated for someone who is
 * not the owner). A plan with problems is an error: nothing may be applied until the file is fixed.
 */
export interface PlanProblem {
  code: string;
  message: string;
  path?: string;
}

/** What diff() returns: the plan, and the groups the policy file should hold after apply. */
export interface PlanResult {
  plan: Plan;
  problems: PlanProblem[];
  /**
   * Every group the policy file should define after apply, in the order to write them: surviving
   * groups in their live order, then new ones in file order. Undefined when no group changes.
   */
  targetGroups?: TargetGroup[];
}

/** One change with the contract's keys in the contract's order (shared with the apply report's JSON). */
export function changeJson(change: Change): Change {
  switch (change.type) {
    case 'user.role':
      return {
        type: change.type,
        login: change.login,
        userId: change.userId,
        from: change.from,
        to: change.to,
        reason: change.reason,
        ...(change.until === undefined ? {} : { until: change.until }),
      };
    case 'user.suspend':
    case 'user.restore':
    case 'user.approve':
      return { type: change.type, login: change.login, userId: change.userId, reason: change.reason };
    case 'user.invite':
      return { type: change.type, login: change.login, role: change.role };
    case 'group.create':
      return {
        type: change.type,
        group: change.group,
        members: [...change.members],
        ...(change.until ? { until: { ...change.until } } : {}),
      };
    case 'group.delete':
      return { type: change.type, group: change.group, members: [...change.members] };
    case 'group.update':
      return {
        type: change.type,
        group: change.group,
        add: [...change.add],
        remove: [...change.remove],
        ...(change.expired && change.expired.length > 0 ? { expired: [...change.expired] } : {}),
        ...(change.until ? { until: { ...change.until } } : {}),
      };
  }
}
