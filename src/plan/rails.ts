// The safety rails apply checks before its first write. Pure: the plan, the live users and
// the file in, refusals and warnings out, so every rail can be tested without a network. Each refusal
// names its rail and says how to go ahead (edit the file, --max-changes N, --force).
import type { Desired } from '../config/types.js';
import type { Role, TailscaleUser } from '../domain/users.js';
import { formatSourceRef } from '../diagnostics.js';
import { POLICY_NOT_AS_PLANNED, POLICY_REJECTED } from './candidate.js';
import {
  isStatusChange,
  type Plan,
  type PlanProblem,
  type PlanWarning,
  type UserRoleChange,
  type UserStatusChange,
} from '../domain/plan.js';

export type RailName =
  | 'plan'
  | 'owner'
  | 'last-admin'
  | 'own-key'
  | 'max-changes'
  | 'mass-demotion'
  | 'policy-write'
  | 'validation'
  | 'saved-plan'
  | 'reviewed-plan';

/** Whose credential apply runs with, for the own-key rail. */
export type KeyOwner =
  /** An OAuth client or workload identity: it acts as no user, so it can change anyone's role. */
  | { kind: 'none' }
  | { kind: 'user'; userId: string }
  /** An API key whose record could not be read (`reason` says why). */
  | { kind: 'unknown'; reason: string };

export interface RailInput {
  plan: Plan;
  problems: readonly PlanProblem[];
  /** The live member users the plan was computed against. */
  users: readonly TailscaleUser[];
  desired: Desired;
  keyOwner: KeyOwner;
  /** `--max-changes N`; overrides `settings.maxChanges`. */
  maxChanges?: number | undefined;
  /** `--force`: go ahead with a mass demotion, or with role changes the own-key rail could not check. */
  force?: boolean | undefined;
}

export interface RailRefusal {
  rail: RailName;
  message: string;
}

export interface RailCheck {
  /** In the order the rails are listed above; empty when the plan may be applied. */
  refusals: RailRefusal[];
  /** Rails that could not be checked but let the plan through, and why. */
  warnings: PlanWarning[];
}

// How much a role may do, for ordering writes: promotions (rank up) go before sideways moves, and
// those before demotions, so the tailnet never has fewer admins than at the start or the end.
const RANK: Record<Role, number> = {
  owner: 4,
  admin: 3,
  'it-admin': 2,
  'network-admin': 2,
  'billing-admin': 1,
  auditor: 1,
  member: 0,
};

export type RolePhase = 'promote' | 'sideways' | 'demote';

export function rolePhase(change: Pick<UserRoleChange, 'from' | 'to'>): RolePhase {
  const delta = RANK[change.to] - RANK[change.from];
  return delta > 0 ? 'promote' : delta < 0 ? 'demote' : 'sideways';
}

/** Owner and admin can do everything, including fixing a mistake this tool made. */
export function isFullAdmin(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

/** A suspended user, or one still awaiting approval, cannot sign in to the admin console. */
export function canSignIn(user: Pick<TailscaleUser, 'status'>): boolean {
  return user.status !== 'suspended' && user.status !== 'needs-approval';
}

/** Roles that may change other users' roles; a user API key acts with its user's role. */
const ROLE_CHANGERS: ReadonlySet<Role> = new Set(['owner', 'admin', 'it-admin']);

const key = (login: string): string => login.toLowerCase();

export function checkRails(input: RailInput): RailCheck {
  const roleChanges = input.plan.changes.filter((c): c is UserRoleChange => c.type === 'user.role');
  const refusals: RailRefusal[] = [];
  const warnings: PlanWarning[] = [];
  const add = (refusal: RailRefusal | undefined): void => {
    if (refusal) refusals.push(refusal);
  };
  add(planProblems(input.problems));
  add(ownerRail(input.problems, roleChanges));
  const statusChanges = input.plan.changes.filter(isStatusChange);
  add(suspendOwnerRail(input.users, statusChanges));
  add(lastAdminRail(statusAfter(input.users, statusChanges), roleChanges, input.users, statusChanges));
  add(ownKeyRail(input, roleChanges, warnings));
  add(ownKeyStatusRail(input.keyOwner, statusChanges));
  add(maxChangesRail(input));
  add(massDemotionRail(input, roleChanges));
  refusals.push(...writeRefusals(input.problems));
  return { refusals, warnings };
}

function listed(problems: readonly PlanProblem[]): string {
  return problems.map((p) => `\n  ${p.path ? `${p.path}: ` : ''}${p.message}`).join('');
}

const WRITE_PROBLEMS: ReadonlySet<string> = new Set([POLICY_NOT_AS_PLANNED, POLICY_REJECTED]);

function planProblems(problems: readonly PlanProblem[]): RailRefusal | undefined {
  const other = problems.filter((p) => !p.code.startsWith('owner.') && !WRITE_PROBLEMS.has(p.code));
  if (other.length === 0) return undefined;
  return { rail: 'plan', message: `the plan cannot be carried out as the file says; fix the file:${listed(other)}` };
}

function ownerRail(problems: readonly PlanProblem[], changes: readonly UserRoleChange[]): RailRefusal | undefined {
  const stated = problems.filter((p) => p.code.startsWith('owner.'));
  // diff() never plans an owner change; this second look is for a plan that came from elsewhere.
  const touching = changes.filter((c) => c.from === 'owner' || c.to === 'owner');
  if (stated.length === 0 && touching.length === 0) return undefined;
  const lines = [
    ...stated.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`),
    ...touching.map((c) => `${c.login}: ${c.from} -> ${c.to}`),
  ];
  return {
    rail: 'owner',
    message:
      `the owner is never promoted to or demoted from; ownership is transferred only in the Tailscale admin ` +
      `console. Edit the file: state "owner" only for the real owner, or list them as ` +
      `{}:${lines.map((l) => `\n  ${l}`).join('')}`,
  };
}

/**
 * The rails on the policy write itself, checked before the first write of any kind (a role change
 * included), so a write that cannot go out stops the whole apply rather than half of it:
 * `policy-write` when the text would not do what the plan says, `validation` when Tailscale's
 * validator refuses it. Tailscale validates against the tailnet as it is, before this plan's role
 * changes: the message says so, since a test that depends on a role the plan changes is the one
 * case where the verdict may differ once the roles are changed.
 */
export function writeRefusals(problems: readonly PlanProblem[]): RailRefusal[] {
  const refusals: RailRefusal[] = [];
  const notAsPlanned = problems.filter((p) => p.code === POLICY_NOT_AS_PLANNED);
  if (notAsPlanned.length > 0)
    refusals.push({ rail: 'policy-write', message: notAsPlanned.map((p) => p.message).join('\n') });
  const rejected = problems.filter((p) => p.code === POLICY_REJECTED);
  if (rejected.length > 0) {
    refusals.push({
      rail: 'validation',
      message:
        `${rejected.map((p) => p.message).join('\n')}\nApply changes nothing, no role and no invite either, while ` +
        `Tailscale refuses the policy it would write. Tailscale checks it against the tailnet as it is now: fix ` +
        `what it names (in the live policy, or in the groups of the file) and run apply again.`,
    });
  }
  return refusals;
}

/** Active (able to sign in) owners and admins once `changes` are made. */
export function activeFullAdmins(
  users: readonly TailscaleUser[],
  changes: readonly Pick<UserRoleChange, 'userId' | 'to'>[],
): number {
  const roleAfter = new Map(changes.map((c) => [c.userId, c.to]));
  return users.filter((u) => canSignIn(u) && isFullAdmin(roleAfter.get(u.id) ?? u.role)).length;
}

type RoleSet = Pick<UserRoleChange, 'userId' | 'to'>;

/**
 * activeFullAdmins kept up to date as changes are made one at a time: O(users + changes) to start,
 * then O(1) a change, where asking activeFullAdmins again would go through every user each time.
 * Users are those of one listing (their ids unique, as the API gives them).
 */
export class FullAdminTally {
  /** The role of each user who can sign in; the others never count. */
  private readonly roles = new Map<string, Role>();
  private count = 0;

  constructor(users: readonly TailscaleUser[], made: readonly RoleSet[] = []) {
    for (const user of users) if (canSignIn(user)) this.roles.set(user.id, user.role);
    for (const change of made) if (this.roles.has(change.userId)) this.roles.set(change.userId, change.to);
    for (const role of this.roles.values()) if (isFullAdmin(role)) this.count++;
  }

  /** Active owners and admins now. */
  get active(): number {
    return this.count;
  }

  /** Active owners and admins once `change` is made too. */
  after(change: RoleSet): number {
    const role = this.roles.get(change.userId);
    if (role === undefined) return this.count;
    return this.count - (isFullAdmin(role) ? 1 : 0) + (isFullAdmin(change.to) ? 1 : 0);
  }

  make(change: RoleSet): void {
    if (!this.roles.has(change.userId)) return;
    this.count = this.after(change);
    this.roles.set(change.userId, change.to);
  }
}

/** The users as they will be once the plan's suspensions, restores and approvals are made. */
export function statusAfter(users: readonly TailscaleUser[], changes: readonly UserStatusChange[]): TailscaleUser[] {
  const next = new Map(changes.map((c) => [c.userId, c.type === 'user.suspend' ? 'suspended' : 'active']));
  return users.map((u) => (next.has(u.id) ? { ...u, status: next.get(u.id) ?? u.status } : u));
}

/** diff() never suspends the owner; this second look is for a plan that came from elsewhere. */
function suspendOwnerRail(
  users: readonly TailscaleUser[],
  changes: readonly UserStatusChange[],
): RailRefusal | undefined {
  const owners = new Set(users.filter((u) => u.role === 'owner').map((u) => u.id));
  const hit = changes.filter((c) => c.type === 'user.suspend' && owners.has(c.userId));
  if (hit.length === 0) return undefined;
  return {
    rail: 'owner',
    message: `the owner is never suspended (Tailscale refuses it): ${hit.map((c) => c.login).join(', ')}`,
  };
}

function lastAdminRail(
  after: readonly TailscaleUser[],
  changes: readonly UserRoleChange[],
  before: readonly TailscaleUser[],
  statusChanges: readonly UserStatusChange[],
): RailRefusal | undefined {
  if (activeFullAdmins(after, changes) > 0 || activeFullAdmins(before, []) === 0) return undefined;
  const roleOf = new Map(before.map((u) => [u.id, u.role]));
  const losing = [
    ...changes.filter((c) => isFullAdmin(c.from) && !isFullAdmin(c.to)).map((c) => `${c.login} (${c.from} -> ${c.to})`),
    ...statusChanges
      .filter((c) => c.type === 'user.suspend' && isFullAdmin(roleOf.get(c.userId) ?? 'member'))
      .map((c) => `${c.login} (suspended)`),
  ];
  return {
    rail: 'last-admin',
    message:
      `the plan would leave the tailnet without an active owner or admin: it ` +
      `${losing.some((l) => l.endsWith('(suspended)')) ? 'demotes or suspends' : 'demotes'} ${losing.join(', ')}, ` +
      `and no other owner or admin can sign in (suspended users and users awaiting approval do not count). Edit the ` +
      `file to keep at least one active admin.`,
  };
}

function ownKeyRail(
  input: RailInput,
  changes: readonly UserRoleChange[],
  warnings: PlanWarning[],
): RailRefusal | undefined {
  const owner = input.keyOwner;
  if (owner.kind === 'none' || changes.length === 0) return undefined;
  if (owner.kind === 'user') {
    const own = changes.find((c) => c.userId === owner.userId);
    if (!own) return undefined;
    return {
      rail: 'own-key',
      message:
        `the API key in use belongs to ${own.login}, and the plan changes that user's role (${own.from} -> ` +
        `${own.to}); Tailscale does not let an API key change its own user's role, so the change would fail. Run ` +
        `apply with another admin's API key or an OAuth client, or leave ${own.login}'s role alone in the file ` +
        `(list them as {}).`,
    };
  }
  // Only a user who may change roles can own a key that changes roles: if the plan changes none of
  // them, the key's own user is not among the changes, whoever it is.
  const suspects = changes.filter((c) => ROLE_CHANGERS.has(c.from));
  if (suspects.length === 0) {
    warnings.push({
      code: 'rail.own-key-unchecked',
      message:
        `could not tell which user the API key belongs to (${owner.reason}); no role change touches a user who ` +
        `could own a key that changes roles, so apply goes ahead`,
    });
    return undefined;
  }
  const who = suspects.map((c) => `${c.login} (${c.from})`).join(', ');
  if (input.force) {
    warnings.push({
      code: 'rail.own-key-unchecked',
      message:
        `could not tell which user the API key belongs to (${owner.reason}); going ahead because of --force: a ` +
        `change to the key's own user among ${who} will fail on its own`,
    });
    return undefined;
  }
  return {
    rail: 'own-key',
    message:
      `could not tell which user the API key belongs to (${owner.reason}), and the plan changes the role of ${who}, ` +
      `who could own it; Tailscale does not let an API key change its own user's role. Run apply with an OAuth ` +
      `client, or run again with --force to go ahead (a change to the key's own user would then fail on its own and ` +
      `be reported).`,
  };
}

function ownKeyStatusRail(owner: KeyOwner, changes: readonly UserStatusChange[]): RailRefusal | undefined {
  if (owner.kind !== 'user') return undefined;
  const own = changes.find((c) => c.userId === owner.userId);
  if (!own) return undefined;
  const verb = own.type.slice('user.'.length);
  return {
    rail: 'own-key',
    message:
      `the API key in use belongs to ${own.login}, and the plan would ${verb} that user; Tailscale does not let an ` +
      `API key ${verb} its own user, so it would fail. Run apply with another admin's API key or an OAuth client, ` +
      `or leave ${own.login}'s status alone in the file.`,
  };
}

function maxChangesRail(input: RailInput): RailRefusal | undefined {
  const count = input.plan.changes.length;
  const override = input.maxChanges;
  const limit = override ?? input.desired.settings.maxChanges;
  if (count <= limit) return undefined;
  const at = input.desired.settingsAt.maxChanges;
  const source =
    override !== undefined
      ? `--max-changes ${override}`
      : at
        ? `settings.maxChanges at ${formatSourceRef(at)}`
        : `the default settings.maxChanges`;
  return {
    rail: 'max-changes',
    message:
      `the plan has ${count} changes, more than the limit of ${limit} (${source}). Review the plan, then run again ` +
      `with --max-changes ${count} to go ahead, or raise settings.maxChanges in ${input.desired.file}.`,
  };
}

/**
 * Managed users: members of the tailnet listed in the file (all of them under `unmanagedUsers:
 * demote`), and everyone in a group the file declares or the plan deletes. Affected: those the plan
 * demotes or takes out of a group. Refused: two or more affected, and more than half of the managed.
 */
function massDemotionRail(input: RailInput, changes: readonly UserRoleChange[]): RailRefusal | undefined {
  if (input.force) return undefined;
  const { desired, plan, users } = input;
  const managed = new Set<string>();
  const listedUsers = new Set(desired.users.map((u) => key(u.login)));
  for (const user of users) {
    if (desired.settings.unmanagedUsers === 'demote' || listedUsers.has(key(user.loginName)))
      managed.add(key(user.loginName));
  }
  for (const group of desired.groups) for (const m of group.members) managed.add(key(m.login));
  const affected = new Map<string, string>();
  const hit = (login: string): void => {
    managed.add(key(login));
    if (!affected.has(key(login))) affected.set(key(login), login);
  };
  for (const change of changes) if (rolePhase(change) === 'demote') hit(change.login);
  // A suspension takes away all a user may do: it counts with the demotions.
  for (const change of plan.changes) if (change.type === 'user.suspend') hit(change.login);
  for (const change of plan.changes) {
    if (change.type === 'group.update') change.remove.forEach(hit);
    if (change.type === 'group.delete') change.members.forEach(hit);
  }
  // One person is never a mass demotion, however small the file.
  if (affected.size < 2 || affected.size * 2 <= managed.size) return undefined;
  const names = [...affected.values()];
  const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ');
  return {
    rail: 'mass-demotion',
    message:
      `the plan demotes or removes from groups ${affected.size} of the ${managed.size} managed users (more than ` +
      `half): ${shown}. A file that lost users or group members by mistake looks like this; if it is intended, run ` +
      `again with --force.`,
  };
}
