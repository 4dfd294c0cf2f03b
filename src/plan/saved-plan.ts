// Saved plans: `plan --save-plan FILE` writes the plan with what it was based on,
// `apply --plan FILE` applies only while a fresh plan gives the same changes. Pure: building the file,
// reading it back (every field checked, errors naming the file and the place), and comparing a fresh
// plan with it, change by change. The comparison is of changes, not of ETags: a console edit elsewhere
// in the policy moves the ETag but not the plan, and such a plan still applies.
//
// The file holds no secret: the plan JSON (logins, user IDs, groups, the policy ETag), digests, the
// config's path as shown, the tailnet as asked and its ID, the tool's version. No base URL (it may
// carry a user:password), no credential, no policy text.
import { createHash } from 'node:crypto';
import { parse as parseJson, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { LineIndex } from '../diagnostics.js';
import { RefusedError, UsageError } from '../errors.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import type { TailscaleUser } from '../domain/users.js';
import type { LiveTailnet } from './diff.js';
import { changeJson, isGroupChange, type Change, type Plan } from '../domain/plan.js';

/** What the file says it is, so a plan JSON or any other JSON is not taken for a saved plan. */
export const SAVED_PLAN_KIND = 'tailnet-access saved plan';
/** The layout of the file this version writes and reads. A later layout is refused, by name. */
export const SAVED_PLAN_FORMAT = 1;
/** The rail a saved plan's refusals are named by: "refused by the saved-plan safety rail: …". */
export const SAVED_PLAN_RAIL = 'saved-plan';
/** Larger than any plan of a real tailnet; a bigger file is not one of ours. */
export const MAX_SAVED_PLAN_BYTES = 64 * 1024 * 1024;

export interface SavedPlanBasis {
  /** The ETag of the live policy the plan was made against. */
  policyEtag: string;
  /** sha256 of the users read (ID, login, role, status) and the pending invites, when read. */
  usersDigest: string;
  /** The config file as the plan named it. */
  configFile: string;
  /** sha256 of the config file's bytes. */
  configDigest: string;
  /**
   * Under settings.policyFile: the file in git (sha256 of its text) and the write planned (sha256 of the diff live ->
   * desired).
   */
  policyFile?: { file: string; digest: string; diffDigest: string };
}

export interface SavedPlan {
  kind: typeof SAVED_PLAN_KIND;
  format: number;
  /** The version of tailnet-access that made the plan. */
  toolVersion: string;
  /** The moment planned for, RFC 3339 (UTC): `--now`, or the clock when the plan was made. */
  plannedAt: string;
  /** The tailnet as asked (`-` for the credential's own). */
  tailnet: string;
  /** Who the tailnet turned out to be, when the read learnt it. */
  tailnetId?: string;
  basis: SavedPlanBasis;
  /** The plan, as `plan --format json` prints it. */
  plan: { changes: Change[] } & Record<string, unknown>;
}

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** The users as far as a plan depends on them, in a stable order; lastSeen and device counts move on their own. */
export function usersDigest(users: readonly TailscaleUser[], invites?: LiveTailnet['invites']): string {
  const rows = [...users]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((u) => [u.id, u.loginName.toLowerCase(), u.role, u.status]);
  const pending = invites ? [...invites.pending].map((e) => e.toLowerCase()).sort() : null;
  return sha256(JSON.stringify({ users: rows, invites: pending }));
}

export interface SavedPlanInput {
  /** The plan JSON as the plan command prints it (with its policyFile section, when there is one). */
  planJson: string;
  plan: Plan;
  live: LiveTailnet;
  now: number;
  toolVersion: string;
  configFile: string;
  configText: string;
  policyFile?: { text: string; section: PolicyFilePlan };
}

export function buildSavedPlan(input: SavedPlanInput): SavedPlan {
  const basis: SavedPlanBasis = {
    policyEtag: input.plan.policyEtag,
    usersDigest: usersDigest(input.live.users, input.live.invites),
    configFile: input.configFile,
    configDigest: sha256(input.configText),
  };
  if (input.policyFile) {
    basis.policyFile = {
      file: input.policyFile.section.file,
      digest: sha256(input.policyFile.text),
      diffDigest: sha256(input.policyFile.section.diff.text),
    };
  }
  return {
    kind: SAVED_PLAN_KIND,
    format: SAVED_PLAN_FORMAT,
    toolVersion: input.toolVersion,
    plannedAt: new Date(input.now).toISOString(),
    tailnet: input.plan.tailnet,
    ...(input.plan.tailnetId === undefined ? {} : { tailnetId: input.plan.tailnetId }),
    basis,
    plan: JSON.parse(input.planJson) as SavedPlan['plan'],
  };
}

export function renderSavedPlan(saved: SavedPlan): string {
  return `${JSON.stringify(saved, null, 2)}\n`;
}

// ---- reading it back ------------------------------------------------------------------------

// Keyed by jsonc-parser's error names (its enums are const enums).
const SYNTAX: Record<string, string> = {
  InvalidSymbol: 'invalid character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a double-quoted key',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':' after the key",
  CommaExpected: "expected ',' between values",
  CloseBraceExpected: "expected '}' to close the object",
  CloseBracketExpected: "expected ']' to close the array",
  EndOfFileExpected: 'unexpected text after the end of the document',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'comments are not JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape in string',
  InvalidEscapeCharacter: 'invalid escape in string',
  InvalidCharacter: 'invalid control character in string',
};

const NOT_OURS =
  'it is not a saved plan of tailnet-access (make one with tailnet-access plan --save-plan FILE; the output of ' +
  'plan --format json is not one)';

function syntaxError(shown: string, text: string, error: ParseError): UsageError {
  const at = new LineIndex(text).position(error.offset);
  const reason = SYNTAX[printParseErrorCode(error.error)] ?? 'not valid JSON';
  const found =
    error.offset >= text.length
      ? 'the end of the file'
      : JSON.stringify(text.slice(error.offset, error.offset + Math.max(1, Math.min(error.length, 20))));
  return new UsageError(
    `${shown}:${at.line}:${at.column}: ${reason}, found ${found}; the saved plan is not valid JSON (make it again ` +
      `with tailnet-access plan --save-plan ${shown})`,
  );
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Field checks that name the field: `plan.json: basis.configDigest: expected …`. */
class Fields {
  constructor(private readonly shown: string) {}
  fail(field: string, what: string): never {
    throw new UsageError(
      `${this.shown}: ${field}: ${what}; the saved plan is damaged (make it again with tailnet-access plan ` +
        `--save-plan ${this.shown})`,
    );
  }
  object(value: unknown, field: string): Record<string, Json> {
    if (!isObject(value)) this.fail(field, `expected an object, found ${kindOf(value)}`);
    return value;
  }
  string(value: unknown, field: string, pattern?: RegExp): string {
    if (typeof value !== 'string' || value === '')
      this.fail(field, `expected a non-empty string, found ${kindOf(value)}`);
    if (pattern && !pattern.test(value))
      this.fail(field, `${JSON.stringify(value)} is not of the form ${pattern.source}`);
    return value;
  }
  strings(value: unknown, field: string): string[] {
    if (!Array.isArray(value)) this.fail(field, `expected a list of strings, found ${kindOf(value)}`);
    return value.map((v, i) => this.string(v, `${field}[${i}]`));
  }
  /** An `until` map of a group change: login -> the end of that membership. */
  ends(value: unknown, field: string): Record<string, string> {
    const o = this.object(value, field);
    return Object.fromEntries(
      Object.entries(o).map(([login, end]) => [login, this.string(end, `${field}[${JSON.stringify(login)}]`)]),
    );
  }
  oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
      this.fail(field, `expected one of ${allowed.join(', ')}, found ${kindOf(value)}`);
    return value as T;
  }
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const ROLES = ['owner', 'admin', 'it-admin', 'network-admin', 'billing-admin', 'auditor', 'member'] as const;
const REASONS = ['declared', 'unmanaged', 'expired'] as const;

/** Negative when `a` is older than `b` (semantic versions: a pre-release comes before its release). */
export function compareVersions(a: string, b: string): number {
  const x = VERSION.exec(a);
  const y = VERSION.exec(b);
  if (!x || !y) throw new TypeError(`not a version: ${x ? b : a}`);
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  const [pa, pb] = [x[4], y[4]];
  if (pa === pb) return 0;
  if (pa === undefined) return 1;
  if (pb === undefined) return -1;
  const [sa, sb] = [pa.split('.'), pb.split('.')];
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const [ea, eb] = [sa[i], sb[i]];
    if (ea === undefined) return -1;
    if (eb === undefined) return 1;
    if (ea === eb) continue;
    const [na, nb] = [/^\d+$/.test(ea), /^\d+$/.test(eb)];
    if (na && nb) return Number(ea) - Number(eb);
    if (na !== nb) return na ? -1 : 1;
    return ea < eb ? -1 : 1;
  }
  return 0;
}

function readChange(f: Fields, value: unknown, field: string): Change {
  const o = f.object(value, field);
  const type = f.oneOf(o.type, `${field}.type`, [
    'user.role',
    'user.suspend',
    'user.restore',
    'user.approve',
    'user.invite',
    'group.create',
    'group.update',
    'group.delete',
  ] as const);
  switch (type) {
    case 'user.role':
      return {
        type,
        login: f.string(o.login, `${field}.login`),
        userId: f.string(o.userId, `${field}.userId`),
        from: f.oneOf(o.from, `${field}.from`, ROLES),
        to: f.oneOf(o.to, `${field}.to`, ROLES),
        reason: f.oneOf(o.reason, `${field}.reason`, REASONS),
        ...(o.until === undefined ? {} : { until: f.string(o.until, `${field}.until`) }),
      };
    case 'user.suspend':
    case 'user.restore':
    case 'user.approve':
      return {
        type,
        login: f.string(o.login, `${field}.login`),
        userId: f.string(o.userId, `${field}.userId`),
        reason: f.oneOf(o.reason, `${field}.reason`, ['declared', 'unmanaged'] as const),
      };
    case 'user.invite':
      return {
        type,
        login: f.string(o.login, `${field}.login`),
        role: f.oneOf(
          o.role,
          `${field}.role`,
          ROLES.filter((r) => r !== 'owner'),
        ),
      };
    case 'group.create': {
      const until = o.until === undefined ? undefined : f.ends(o.until, `${field}.until`);
      return {
        type,
        group: f.string(o.group, `${field}.group`),
        members: f.strings(o.members, `${field}.members`),
        ...(until ? { until } : {}),
      };
    }
    case 'group.delete':
      return { type, group: f.string(o.group, `${field}.group`), members: f.strings(o.members, `${field}.members`) };
    case 'group.update': {
      const expired = o.expired === undefined ? undefined : f.strings(o.expired, `${field}.expired`);
      const until = o.until === undefined ? undefined : f.ends(o.until, `${field}.until`);
      return {
        type,
        group: f.string(o.group, `${field}.group`),
        add: f.strings(o.add, `${field}.add`),
        remove: f.strings(o.remove, `${field}.remove`),
        ...(expired ? { expired } : {}),
        ...(until ? { until } : {}),
      };
    }
  }
}

/**
 * The saved plan in `text` (the file `shown`), every field checked. A file that is not JSON, not a
 * saved plan, or damaged is a UsageError naming the file (and the line and column, or the field); one
 * made by a newer tailnet-access, or in a newer format, is refused (RefusedError) by name.
 */
export function parseSavedPlan(text: string, shown: string, toolVersion: string): SavedPlan {
  const errors: ParseError[] = [];
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const data = parseJson(body, errors, {
    allowTrailingComma: false,
    disallowComments: true,
    allowEmptyContent: false,
  }) as unknown;
  const first = errors[0];
  if (first) throw syntaxError(shown, body, first);
  if (!isObject(data) || data.kind !== SAVED_PLAN_KIND) throw new UsageError(`${shown}: ${NOT_OURS}`);
  const f: Fields = new Fields(shown);
  const made = f.string(data.toolVersion, 'toolVersion', VERSION);
  if (typeof data.format !== 'number' || !Number.isInteger(data.format) || data.format < 1)
    f.fail('format', `expected a whole number of at least 1, found ${kindOf(data.format)}`);
  if (data.format > SAVED_PLAN_FORMAT) {
    throw new RefusedError(
      SAVED_PLAN_RAIL,
      `${shown} is a saved plan of format ${data.format}, made by tailnet-access ${made}; this tailnet-access ` +
        `(${toolVersion}) reads format ${SAVED_PLAN_FORMAT} only. Apply it with tailnet-access ${made} or newer. ` +
        `Nothing was written.`,
    );
  }
  if (compareVersions(made, toolVersion) > 0) {
    throw new RefusedError(
      SAVED_PLAN_RAIL,
      `${shown} was made by a newer version of tailnet-access (${made}) than this one (${toolVersion}), which may ` +
        `plan differently. Apply it with tailnet-access ${made} or newer, or make the plan again with this one. ` +
        `Nothing was written.`,
    );
  }
  const plannedAt = f.string(data.plannedAt, 'plannedAt');
  if (Number.isNaN(Date.parse(plannedAt)))
    f.fail('plannedAt', `${JSON.stringify(plannedAt)} is not an RFC 3339 date-time`);
  const basisIn = f.object(data.basis, 'basis');
  const basis: SavedPlanBasis = {
    policyEtag: f.string(basisIn.policyEtag, 'basis.policyEtag'),
    usersDigest: f.string(basisIn.usersDigest, 'basis.usersDigest', DIGEST),
    configFile: f.string(basisIn.configFile, 'basis.configFile'),
    configDigest: f.string(basisIn.configDigest, 'basis.configDigest', DIGEST),
  };
  if (basisIn.policyFile !== undefined) {
    const pf = f.object(basisIn.policyFile, 'basis.policyFile');
    basis.policyFile = {
      file: f.string(pf.file, 'basis.policyFile.file'),
      digest: f.string(pf.digest, 'basis.policyFile.digest', DIGEST),
      diffDigest: f.string(pf.diffDigest, 'basis.policyFile.diffDigest', DIGEST),
    };
  }
  const planIn = f.object(data.plan, 'plan');
  if (!Array.isArray(planIn.changes))
    f.fail('plan.changes', `expected a list of changes, found ${kindOf(planIn.changes)}`);
  const changes = planIn.changes.map((c, i) => readChange(f, c, `plan.changes[${i}]`));
  const tailnetId = data.tailnetId === undefined ? undefined : f.string(data.tailnetId, 'tailnetId');
  return {
    kind: SAVED_PLAN_KIND,
    format: data.format,
    toolVersion: made,
    plannedAt,
    tailnet: f.string(data.tailnet, 'tailnet'),
    ...(tailnetId === undefined ? {} : { tailnetId }),
    basis,
    plan: { ...planIn, changes },
  };
}

// ---- comparing a fresh plan with it ---------------------------------------------------------

/** What a change is about: one user's role, status or invite, or one group (created, updated or deleted). */
function subjectKey(change: Change): string {
  if (isGroupChange(change)) return `group ${change.group}`;
  const family = change.type === 'user.role' ? 'role' : change.type === 'user.invite' ? 'invite' : 'status';
  return `${family} ${change.login.toLowerCase()}`;
}

function sameChange(a: Change, b: Change): boolean {
  return JSON.stringify(changeJson(a)) === JSON.stringify(changeJson(b));
}

/** One change's identity, as `apply --plan` compares changes: sha256 of its plan JSON. */
export function changeDigest(change: Change): string {
  return sha256(JSON.stringify(changeJson(change)));
}

/** What a change is about (one user's role, status or invite; one group), as a digest. */
export function subjectDigest(change: Change): string {
  return sha256(subjectKey(change));
}

/**
 * The digest of a plan's changes (their order aside) and, under settings.policyFile, of the policy
 * write (sha256 of its diff, as a saved plan's basis records it): equal digests, equal plans.
 */
export function changesDigest(changes: readonly Change[], policyDiffDigest?: string): string {
  const each = changes.map(changeDigest).sort();
  return sha256(JSON.stringify({ changes: each, policy: policyDiffDigest ?? null }));
}

/** `bob@example.com: member -> admin`: a change in one line, as the saved-plan differences name them. */
export function describeChange(change: Change): string {
  return `${subject(change)}: ${what(change)}${whyNew(change)}`;
}

const list = (items: readonly string[]): string => (items.length > 0 ? items.join(', ') : 'no members');

/**
 * The change in one phrase after its subject, e.g. `it-admin -> member`, `add bob@example.com; remove
 * dave@example.com`.
 */
function what(change: Change): string {
  switch (change.type) {
    case 'user.role':
      return `${change.from} -> ${change.to}`;
    case 'user.suspend':
      return 'suspend';
    case 'user.restore':
      return 'restore';
    case 'user.approve':
      return 'approve';
    case 'user.invite':
      return `invite as ${change.role}`;
    case 'group.create':
      return `create with ${list(change.members)}`;
    case 'group.delete':
      return `delete (members ${list(change.members)})`;
    case 'group.update': {
      const parts = [
        ...(change.add.length > 0 ? [`add ${change.add.join(', ')}`] : []),
        ...(change.remove.length > 0 ? [`remove ${change.remove.join(', ')}`] : []),
      ];
      return parts.join('; ') || 'no member change';
    }
  }
}

function subject(change: Change): string {
  return isGroupChange(change) ? change.group : change.login;
}

function whyGone(change: Change): string {
  return change.type === 'user.invite'
    ? 'they joined or were invited since the plan'
    : 'changed in the console since the plan';
}

function whyNew(change: Change): string {
  const expired =
    change.type === 'group.update'
      ? (change.expired?.length ?? 0) > 0
      : 'reason' in change && change.reason === 'expired';
  return expired ? ' (an end date in the file has passed since the plan)' : '';
}

/**
 * One line per change that differs between the saved plan and a fresh one: saved changes no longer
 * needed, changes whose detail moved, and fresh changes the saved plan did not have. Empty when the
 * changes are the same (their order aside).
 */
export function changeDifferences(saved: readonly Change[], fresh: readonly Change[]): string[] {
  const bySubject = (changes: readonly Change[]): Map<string, Change> =>
    new Map(changes.map((c) => [subjectKey(c), c]));
  const before = bySubject(saved);
  const now = bySubject(fresh);
  const lines: string[] = [];
  for (const [key, old] of before) {
    const current = now.get(key);
    if (!current) lines.push(`${subject(old)}: ${what(old)} is no longer needed: ${whyGone(old)}`);
    else if (!sameChange(old, current))
      lines.push(
        `${subject(old)}: ${what(old)} in the saved plan is now ${what(current)}: changed in the console since ` +
          `the plan`,
      );
  }
  for (const [key, current] of now) {
    if (!before.has(key))
      lines.push(`${subject(current)}: ${what(current)} was not in the saved plan${whyNew(current)}`);
  }
  return lines;
}

/** Checks a fresh plan against the saved one: before apply's first write, and after a re-read. */
export interface SavedPlanGuard {
  /** The rail its refusals are named by; default `saved-plan` (the action's review check is `reviewed-plan`). */
  rail?: 'saved-plan' | 'reviewed-plan';
  /** Why the fresh plan is not the saved one (a refusal's message), or undefined when it is. */
  refusal(plan: Plan, live: LiveTailnet, section?: PolicyFilePlan): string | undefined;
  /** After a re-read (a 412): why its group changes and policy write are not the saved ones, or undefined. */
  groupsDiffer(plan: Plan, section?: PolicyFilePlan): string | undefined;
}

function policyWriteDiffers(saved: SavedPlan, section: PolicyFilePlan | undefined): string[] {
  const planned = saved.basis.policyFile;
  if (!planned || !section) return [];
  if (sha256(section.diff.text) === planned.diffDigest) return [];
  return [
    `${section.file}: the policy write differs from the saved plan's (the live policy was edited since the plan; ` +
      `the fresh plan shows the write as it would be now)`,
  ];
}

export function savedPlanGuard(saved: SavedPlan, shown: string): SavedPlanGuard {
  const again = `Review a fresh plan (tailnet-access plan --save-plan ${shown}), then apply that one.`;
  return {
    refusal(plan, live, section) {
      if (saved.tailnetId !== undefined && live.tailnetId !== undefined && saved.tailnetId !== live.tailnetId) {
        return (
          `${shown} was made for another tailnet: ${saved.tailnet} (ID ${saved.tailnetId}), and this apply reads ` +
          `${live.tailnet} (ID ${live.tailnetId}).`
        );
      }
      const lines = [...changeDifferences(saved.plan.changes, plan.changes), ...policyWriteDiffers(saved, section)];
      if (lines.length === 0) return undefined;
      const basis: string[] = [];
      if (plan.policyEtag !== saved.basis.policyEtag) basis.push('the policy changed');
      if (usersDigest(live.users, live.invites) !== saved.basis.usersDigest) basis.push('the users changed');
      const since = basis.length > 0 ? ` (${basis.join(' and ')})` : '';
      const matches = plan.changes.length === 0 && !section?.changed;
      const fresh = matches
        ? 'a fresh plan has no changes: the tailnet already matches the file (was this plan applied already?)'
        : 'a fresh plan differs from it';
      return `the tailnet changed since ${shown} was planned at ${saved.plannedAt}${since}, and ${fresh}:\n${lines.map((l) => `  ${l}`).join('\n')}\n${matches ? '' : `${again}`}`.replace(
        /\n$/,
        '',
      );
    },
    groupsDiffer(plan, section) {
      const lines = [
        ...changeDifferences(saved.plan.changes.filter(isGroupChange), plan.changes.filter(isGroupChange)),
        ...policyWriteDiffers(saved, section),
      ];
      if (lines.length === 0) return undefined;
      return `its group changes are no longer those of ${shown}: ${lines.join('; ')}. ${again}`;
    },
  };
}
