// diff(desired, live, now) -> plan. Pure: no I/O, no clock of its own (the moment is an input: `--now`,
// or the caller's clock; a test that leaves it out gets the clock), no randomness, so the same inputs always give the
// same plan, in the same order,
// and a plan can be tested without a network.
import type { Desired, DesiredGroup, DesiredUser } from '../config/types.js';
import type { Role, TailscaleUser } from '../domain/users.js';
import { endsWithin, hasEnded, type TimeValue } from '../config/until.js';
import { formatSourceRef } from '../diagnostics.js';
import type { SourceRef } from '../domain/diagnostic.js';
import { isScimGroup } from '../policy/groups.js';
import type { PolicyGroups } from '../policy/types.js';
import type { TargetGroup, PolicyDocument } from '../domain/policy.js';
import type {
  Change,
  GroupChange,
  PlanProblem,
  PlanResult,
  PlanWarning,
  UserInviteChange,
  UserRoleChange,
  UserStatusChange,
} from '../domain/plan.js';

/** What the API says the tailnet holds right now. */
export interface LiveTailnet {
  /** The tailnet as addressed in API paths (`-` for the credential's own). */
  tailnet: string;
  /** The tailnet's ID as its users name it (`tailnetId`), when the read learnt it. */
  tailnetId?: string;
  /** Member users (`type=member`); shared users are not ours to manage. */
  users: TailscaleUser[];
  policy: PolicyDocument;
  groups: PolicyGroups;
  /** Read only under `settings.inviteMissingUsers`. */
  invites?: LiveInvites;
}

export interface LiveInvites {
  /** Emails with an open invite: invited, not accepted yet. */
  pending: string[];
  /** Why this credential cannot invite anyone (an OAuth client has no inviting user), if it cannot. */
  blocked?: string;
}

const key = (login: string): string => login.toLowerCase();
const at = (ref: SourceRef): string => formatSourceRef(ref);

interface Context {
  desired: Desired;
  /** The moment planned for (ms since the epoch). */
  now: number;
  invites: LiveInvites | undefined;
  usersByLogin: Map<string, TailscaleUser>;
  warnings: PlanWarning[];
  problems: PlanProblem[];
}

/**
 * `now` is the moment the plan is made for (ms since the epoch): end dates (`until`) that have passed
 * by then are over, and those within `settings.expiryWarningDays` of it are warned of.
 */
export function diff(desired: Desired, live: LiveTailnet, now: number = Date.now()): PlanResult {
  const ctx: Context = {
    desired,
    now,
    invites: live.invites,
    usersByLogin: indexUsers(live.users),
    warnings: [],
    problems: [],
  };
  const invites: UserInviteChange[] = [];
  const statusChanges: UserStatusChange[] = [];
  const roleChanges = [
    ...declaredRoleChanges(ctx, invites, statusChanges),
    ...unmanagedUserChanges(ctx, live.users, statusChanges),
  ];
  const { changes: groupChanges, target } = groupDiff(ctx, live.groups);
  roleChanges.sort((a, b) => compareText(key(a.login), key(b.login)));
  statusChanges.sort((a, b) => compareText(key(a.login), key(b.login)));
  invites.sort((a, b) => compareText(key(a.login), key(b.login)));
  const changes: Change[] = [...roleChanges, ...statusChanges, ...invites, ...groupChanges];
  return {
    plan: {
      version: 1,
      tailnet: live.tailnet,
      ...(live.tailnetId === undefined ? {} : { tailnetId: live.tailnetId }),
      policyEtag: live.policy.etag,
      changes,
      warnings: ctx.warnings,
    },
    problems: ctx.problems,
    ...(groupChanges.length > 0 ? { targetGroups: target } : {}),
  };
}

function indexUsers(users: TailscaleUser[]): Map<string, TailscaleUser> {
  const byLogin = new Map<string, TailscaleUser>();
  for (const user of users) byLogin.set(key(user.loginName), user);
  return byLogin;
}

const DAY_MS = 86_400_000;

/** "in 3 days", "in 5 hours", for a warning about an end date still ahead. */
function timeLeft(until: TimeValue, now: number): string {
  const ms = until.epochMs - now;
  if (ms >= DAY_MS) {
    const days = Math.floor(ms / DAY_MS);
    return `in ${days} day${days === 1 ? '' : 's'}`;
  }
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 1 ? `in ${hours} hour${hours === 1 ? '' : 's'}` : 'within the hour';
}

/** When an end date falls within settings.expiryWarningDays of now: an `access.expiring` warning. */
function warnIfExpiring(ctx: Context, until: TimeValue, what: string, ref: SourceRef | undefined): void {
  if (!endsWithin(until, ctx.now, ctx.desired.settings.expiryWarningDays)) return;
  const ends = until.kind === 'date' ? `at the end of ${until.display} (UTC)` : `at ${until.display}`;
  const warning: PlanWarning = {
    code: 'access.expiring',
    message: `${what} ends ${ends}, ${timeLeft(until, ctx.now)}`,
  };
  if (ref) warning.path = at(ref);
  ctx.warnings.push(warning);
}

/** The role the file asks for at `now`: past its `until`, `member`, with the reason. */
function roleNow(
  ctx: Context,
  wanted: DesiredUser,
): { role: Role | undefined; reason: UserRoleChange['reason']; until?: TimeValue } {
  if (wanted.role === undefined || wanted.until === undefined) return { role: wanted.role, reason: 'declared' };
  if (hasEnded(wanted.until, ctx.now)) return { role: 'member', reason: 'expired' };
  warnIfExpiring(ctx, wanted.until, `${wanted.login}'s role ${wanted.role}`, wanted.untilAt ?? wanted.at);
  return { role: wanted.role, reason: 'declared', until: wanted.until };
}

function declaredRoleChanges(
  ctx: Context,
  invites: UserInviteChange[],
  statusChanges: UserStatusChange[],
): UserRoleChange[] {
  const changes: UserRoleChange[] = [];
  for (const wanted of ctx.desired.users) {
    const user = ctx.usersByLogin.get(key(wanted.login));
    if (!user) {
      const invite = missingUser(ctx, wanted);
      if (invite) invites.push(invite);
      continue;
    }
    const status = declaredStatusChange(ctx, wanted, user);
    if (status) statusChanges.push(status);
    const { role, reason, until } = roleNow(ctx, wanted);
    if (role === undefined || role === user.role) continue;
    if (role === 'owner') {
      ctx.problems.push({
        code: 'owner.not-owner',
        message:
          `${wanted.login} is stated as owner but is ${article(user.role)} ${user.role}; the owner is only checked, ` +
          `never assigned (ownership is transferred in the admin console)`,
        path: at(wanted.at),
      });
      continue;
    }
    if (user.role === 'owner') {
      ctx.problems.push({
        code: 'owner.change',
        message:
          `${wanted.login} is the tailnet owner; the owner's role is never changed (state "owner" or list them as ` +
          `{} to leave the role alone)`,
        path: at(wanted.at),
      });
      continue;
    }
    changes.push(roleChange(user, role, reason, until));
  }
  return changes;
}

/**
 * `status: suspended` on a user who is not suspended: suspend; `status: active` on a suspended user:
 * restore, on one awaiting approval: approve. The owner is never suspended (Tailscale refuses it).
 */
function declaredStatusChange(ctx: Context, wanted: DesiredUser, user: TailscaleUser): UserStatusChange | undefined {
  if (wanted.status === undefined) return undefined;
  const path = at(wanted.statusAt ?? wanted.at);
  if (user.status === 'over-billing-limit') {
    ctx.warnings.push({
      code: 'user.over-billing-limit',
      message:
        `${wanted.login} is over the billing limit; their status is left as it is (raise the plan's limit in the ` +
        `admin console)`,
      path,
    });
    return undefined;
  }
  if (wanted.status === 'suspended') {
    if (user.status === 'suspended') return undefined;
    if (user.role === 'owner') {
      ctx.problems.push({
        code: 'owner.suspend',
        message:
          `${wanted.login} is the tailnet owner, and Tailscale never suspends the owner; transfer ownership in the ` +
          `admin console first, or leave "status" out`,
        path,
      });
      return undefined;
    }
    return statusChange('user.suspend', user, 'declared');
  }
  if (user.status === 'suspended') return statusChange('user.restore', user, 'declared');
  if (user.status === 'needs-approval') return statusChange('user.approve', user, 'declared');
  return undefined;
}

function statusChange(
  type: UserStatusChange['type'],
  user: TailscaleUser,
  reason: UserStatusChange['reason'],
): UserStatusChange {
  return { type, login: user.loginName, userId: user.id, reason };
}

/** A declared login that is not in the tailnet: an invite, when the file asks for invites and one can be sent. */
function missingUser(ctx: Context, wanted: DesiredUser): UserInviteChange | undefined {
  const path = at(wanted.at);
  if (wanted.role === 'owner') {
    ctx.problems.push({
      code: 'owner.not-owner',
      message:
        `${wanted.login} is stated as owner but is not in the tailnet; the owner is only checked, never ` + `assigned`,
      path,
    });
    return undefined;
  }
  const invites = ctx.desired.settings.inviteMissingUsers ? ctx.invites : undefined;
  if (!invites) {
    ctx.warnings.push({
      code: 'user.not-in-tailnet',
      message:
        `${wanted.login} is not a member of the tailnet yet (never signed in, or not invited); nothing to change ` +
        `until they join`,
      path,
    });
    return undefined;
  }
  if (invites.pending.some((email) => key(email) === key(wanted.login))) {
    ctx.warnings.push({
      code: 'user.invite-pending',
      message: `${wanted.login} has been invited and has not accepted yet`,
      path,
    });
    return undefined;
  }
  if (invites.blocked !== undefined) {
    ctx.warnings.push({
      code: 'user.invite-unavailable',
      message: `${wanted.login} is not in the tailnet and cannot be invited: ${invites.blocked}`,
      path,
    });
    return undefined;
  }
  return { type: 'user.invite', login: wanted.login, role: wanted.role ?? 'member' };
}

function unmanagedUserChanges(
  ctx: Context,
  users: TailscaleUser[],
  statusChanges: UserStatusChange[],
): UserRoleChange[] {
  const mode = ctx.desired.settings.unmanagedUsers;
  if (mode === 'ignore') return [];
  const listed = new Set(ctx.desired.users.map((u) => key(u.login)));
  const unmanaged = users
    .filter((u) => !listed.has(key(u.loginName)))
    .sort((a, b) => compareText(key(a.loginName), key(b.loginName)));
  const changes: UserRoleChange[] = [];
  for (const user of unmanaged) {
    if (mode === 'suspend') {
      if (user.role === 'owner')
        ctx.warnings.push({
          code: 'user.unmanaged',
          message: `${user.loginName} is the owner and is never suspended; list them as owner`,
        });
      else if (user.status !== 'suspended') statusChanges.push(statusChange('user.suspend', user, 'unmanaged'));
      continue;
    }
    const demotable = mode === 'demote' && user.role !== 'member' && user.role !== 'owner';
    if (demotable) {
      changes.push(roleChange(user, 'member', 'unmanaged'));
      continue;
    }
    // Under demote, the members left are as demoted as can be; only the owner is worth a word.
    if (mode === 'report')
      ctx.warnings.push({
        code: 'user.unmanaged',
        message: `${user.loginName} (${user.role}) is in the tailnet but not in ${ctx.desired.file}`,
      });
    else if (user.role === 'owner')
      ctx.warnings.push({
        code: 'user.unmanaged',
        message: `${user.loginName} is the owner and is never demoted; list them as owner`,
      });
  }
  return changes;
}

function roleChange(
  user: TailscaleUser,
  to: Role,
  reason: UserRoleChange['reason'],
  until?: TimeValue,
): UserRoleChange {
  const change: UserRoleChange = {
    type: 'user.role',
    login: user.loginName,
    userId: user.id,
    from: user.role,
    to,
    reason,
  };
  if (until) change.until = until.display;
  return change;
}

interface ResolvedMembers {
  /** Folded login → the login as the users API spells it (the file's spelling when not in the tailnet). */
  members: Map<string, string>;
  /** Folded login → the membership's end, for memberships that have one (the latest, when listed twice). */
  ends: Map<string, TimeValue>;
}

interface GroupDiff {
  changes: GroupChange[];
  target: TargetGroup[];
}

function groupDiff(ctx: Context, live: PolicyGroups): GroupDiff {
  const liveByName = new Map(live.groups.map((g) => [g.name, g]));
  const wantedByName = new Map(ctx.desired.groups.map((g) => [g.name, g]));
  const liveByFoldedName = new Map(live.groups.map((g) => [g.name.toLowerCase(), g.name]));
  const changes: GroupChange[] = [];
  const target: TargetGroup[] = [];

  for (const group of live.groups) {
    const wanted = wantedByName.get(group.name);
    if (wanted) {
      const ended = new Set<string>();
      const { members, ends } = resolveMembers(ctx, wanted, ended);
      const { next, add, remove } = mergeMembers(group.members, members);
      const expired = remove.filter((m) => ended.has(key(m)));
      const until = endsOf(add, ends);
      if (add.length > 0 || remove.length > 0) {
        changes.push({
          type: 'group.update',
          group: group.name,
          add,
          remove,
          ...(expired.length > 0 ? { expired } : {}),
          ...(until ? { until } : {}),
        });
      }
      target.push(withDescription({ name: group.name, members: next }, wanted));
    } else if (isScimGroup(group.name) || ctx.desired.settings.unmanagedGroups === 'keep') {
      target.push({ name: group.name, members: group.members });
    } else {
      changes.push({ type: 'group.delete', group: group.name, members: group.members });
    }
  }
  for (const wanted of ctx.desired.groups) {
    if (liveByName.has(wanted.name)) continue;
    const resolved = resolveMembers(ctx, wanted, new Set());
    const members = [...resolved.members.values()];
    const until = endsOf(members, resolved.ends);
    const sameButCase = liveByFoldedName.get(wanted.name.toLowerCase());
    if (sameButCase !== undefined) {
      ctx.warnings.push({
        code: 'group.name-case',
        message:
          `${wanted.name} differs only in case from ${sameButCase} in the policy file; group names are ` +
          `case-sensitive, so they are two groups`,
        path: at(wanted.at),
      });
    }
    changes.push({ type: 'group.create', group: wanted.name, members, ...(until ? { until } : {}) });
    target.push(withDescription({ name: wanted.name, members }, wanted));
  }
  changes.sort((a, b) => GROUP_ORDER[a.type] - GROUP_ORDER[b.type] || compareText(a.group, b.group));
  return { changes, target };
}

const GROUP_ORDER: Record<GroupChange['type'], number> = { 'group.create': 0, 'group.update': 1, 'group.delete': 2 };

function withDescription(group: TargetGroup, wanted: DesiredGroup): TargetGroup {
  return wanted.description === undefined ? group : { ...group, description: wanted.description };
}

/**
 * The group's members as logins spelled the way the users API spells them (that is what Tailscale
 * matches), de-duplicated without case, keyed by the folded login. Logins not in the tailnet keep the
 * file's spelling and are reported: Tailscale accepts them, and they take effect when the person joins.
 */
function resolveMembers(ctx: Context, group: DesiredGroup, ended: Set<string>): ResolvedMembers {
  const members = new Map<string, string>();
  const ends = new Map<string, TimeValue>();
  const lasting = new Set<string>();
  for (const member of group.members) {
    const folded = key(member.login);
    if (member.until) {
      // Past its end a membership is gone, as if not written; `ended` says why it goes.
      if (hasEnded(member.until, ctx.now)) {
        ended.add(folded);
        continue;
      }
      const later = ends.get(folded);
      if (!later || member.until.epochMs > later.epochMs) ends.set(folded, member.until);
      warnIfExpiring(ctx, member.until, `${member.login}'s membership of ${group.name}`, member.at);
    } else {
      lasting.add(folded);
    }
    if (members.has(folded)) continue;
    const user = ctx.usersByLogin.get(folded);
    if (!user) {
      ctx.warnings.push({
        code: 'group.member-not-in-tailnet',
        message:
          `${member.login} in ${group.name} is not a member of the tailnet yet; Tailscale keeps the entry and it ` +
          `applies once they join`,
        path: at(member.at),
      });
    }
    members.set(folded, user ? user.loginName : member.login);
  }
  // Listed again without an end, or with one still ahead: the membership stays; listed once without
  // an end, it has none.
  for (const folded of members.keys()) ended.delete(folded);
  for (const folded of lasting) ends.delete(folded);
  return { members, ends };
}

/** The end of each of `logins` whose membership has one, as the file writes it; undefined when none. */
function endsOf(logins: readonly string[], ends: ReadonlyMap<string, TimeValue>): Record<string, string> | undefined {
  const found = logins.flatMap((login): [string, string][] => {
    const end = ends.get(key(login));
    return end ? [[login, end.display]] : [];
  });
  return found.length > 0 ? Object.fromEntries(found) : undefined;
}

/**
 * Compares without case. The new list keeps the live members that stay, in their live order, and
 * appends the added ones in file order: the smallest edit to a hand-maintained policy file.
 */
function mergeMembers(
  liveMembers: readonly string[],
  wanted: ReadonlyMap<string, string>,
): { next: string[]; add: string[]; remove: string[] } {
  const liveKeys = new Set<string>();
  const next: string[] = [];
  const remove: string[] = [];
  for (const member of liveMembers) {
    const folded = key(member);
    liveKeys.add(folded);
    (wanted.has(folded) ? next : remove).push(member);
  }
  const add: string[] = [];
  for (const [folded, member] of wanted) {
    if (liveKeys.has(folded)) continue;
    add.push(member);
    next.push(member);
  }
  return { next, add, remove };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
