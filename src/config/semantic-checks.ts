// Checks the schema cannot express: things listed twice under another spelling, and the single owner.
import type { Diagnostic, SourceRef } from '../domain/diagnostic.js';
import { groupName, isGroupKey, isLogin } from './names.js';
import type { Entries, GroupEntry, UserEntry } from './read-entries.js';
import { parseUntil, TimeValueError } from './until.js';

export interface SemanticFindings {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

function diagnostic(at: SourceRef, severity: Diagnostic['severity'], code: string, message: string): Diagnostic {
  return { ...at, severity, code, message };
}

// Exact repeats are duplicate YAML keys and already reported; only other spellings are new here.
function checkLoginCase(users: UserEntry[], errors: Diagnostic[]): void {
  const seen = new Map<string, UserEntry>();
  for (const user of users) {
    if (!isLogin(user.login)) continue;
    const folded = user.login.toLowerCase();
    const first = seen.get(folded);
    if (!first) seen.set(folded, user);
    else if (first.login !== user.login) {
      const message =
        `${user.login} is already listed at line ${first.at.line} as ${first.login}; logins are compared without ` +
        `case, so list it once`;
      errors.push(diagnostic(user.at, 'error', 'user.duplicate', message));
    }
  }
}

function checkOwners(users: UserEntry[], errors: Diagnostic[]): void {
  const owners = users.filter((user) => user.role === 'owner');
  const [first, ...extra] = owners;
  if (!first) return;
  // A second entry for the same login is already reported as listed twice.
  for (const user of extra.filter((u) => u.login.toLowerCase() !== first.login.toLowerCase())) {
    const message =
      `${user.login} cannot also be owner: a tailnet has one owner, and ${first.login} (line ${first.at.line}) is ` +
      `listed as owner`;
    errors.push(diagnostic(user.roleAt, 'error', 'user.owner', message));
  }
}

function checkGroupNames(groups: GroupEntry[], errors: Diagnostic[]): void {
  const seen = new Map<string, GroupEntry>();
  for (const group of groups) {
    if (!isGroupKey(group.key)) continue;
    const name = groupName(group.key);
    const first = seen.get(name);
    if (!first) seen.set(name, group);
    else if (first.key !== group.key) {
      const message =
        `${JSON.stringify(group.key)} and ${JSON.stringify(first.key)} (line ${first.at.line}) are the same group, ` +
        `${name}: the "group:" prefix is optional; keep one`;
      errors.push(diagnostic(group.at, 'error', 'group.duplicate', message));
    }
  }
}

// A repeated member changes nothing in the policy, so it is worth a warning, not a failed run.
function checkMembers(groups: GroupEntry[], warnings: Diagnostic[]): void {
  for (const group of groups) {
    const seen = new Map<string, { login: string; at: SourceRef }>();
    for (const member of group.members) {
      if (!isLogin(member.login)) continue;
      const folded = member.login.toLowerCase();
      const first = seen.get(folded);
      if (!first) {
        seen.set(folded, { login: member.login, at: member.at });
        continue;
      }
      const spelling = first.login === member.login ? '' : ` as ${first.login}`;
      const message =
        `${member.login} is listed twice in ${groupName(group.key)} (first at line ` + `${first.at.line}${spelling})`;
      warnings.push(diagnostic(member.at, 'warning', 'group.duplicate-member', message));
    }
  }
}

// onManualEdits guards the policy file kept in git; without one it would promise a check that never runs.
function checkPolicyFileSettings(settings: Entries['settings'], warnings: Diagnostic[]): void {
  if (settings.some((s) => s.key === 'policyFile')) return;
  const manual = settings.find((s) => s.key === 'onManualEdits');
  if (!manual) return;
  const message =
    'settings.onManualEdits has no effect without settings.policyFile: edits made in the admin console are ' +
    'noticed only for a policy file kept in git';
  warnings.push(diagnostic(manual.at, 'warning', 'settings.without-policy-file', message));
}

/**
 * An `until` that is not a real moment is an error at its value; a string only (another type is the schema's to
 * report).
 */
function checkUntilValue(what: string, until: { value: unknown; at: SourceRef }, errors: Diagnostic[]): void {
  if (typeof until.value !== 'string') return;
  try {
    parseUntil(until.value);
  } catch (error) {
    if (!(error instanceof TimeValueError)) throw error;
    errors.push(diagnostic(until.at, 'error', 'config.until', `${what}: ${error.message}`));
  }
}

// An end date says when a role falls back to member: without a role other than member (and never the owner's) there is
// nothing to end.
function checkEndDates(entries: Entries, errors: Diagnostic[]): void {
  for (const user of entries.users) {
    if (!user.until) continue;
    checkUntilValue(`until of ${user.login}`, user.until, errors);
    if (user.role === undefined || user.role === 'member') {
      const message =
        `until of ${user.login} ends a role, but ` +
        `${user.role === undefined ? 'no role is given' : 'the role is member, which is what it would fall back to'}: give ` +
        `the role that ends (role: admin, until: …), or leave "until" out`;
      errors.push(diagnostic(user.until.at, 'error', 'user.until-without-role', message));
    } else if (user.role === 'owner') {
      const message =
        `until of ${user.login}: the owner's role never ends through this file (ownership is transferred in the ` +
        `admin console); leave "until" out`;
      errors.push(diagnostic(user.until.at, 'error', 'user.until-owner', message));
    }
  }
  for (const group of entries.groups) {
    for (const member of group.members) {
      if (member.until)
        checkUntilValue(`until of ${String(member.login)} in ${groupName(group.key)}`, member.until, errors);
    }
  }
}

export function checkEntries(entries: Entries): SemanticFindings {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  checkLoginCase(entries.users, errors);
  checkOwners(entries.users, errors);
  checkGroupNames(entries.groups, errors);
  checkMembers(entries.groups, warnings);
  checkPolicyFileSettings(entries.settings, warnings);
  checkEndDates(entries, errors);
  return { errors, warnings };
}
