// apply: make the tailnet match the file with the fewest writes, safely.
//   read users and policy (keep the ETag) -> plan -> rails -> the policy text, checked and validated
//   -> role changes -> invites -> policy write (412 loop)
// Everything that can refuse does so before the first write, by throwing ApplyRefusedError. Once
// writing has begun, failures are collected into the report instead of thrown, so the caller always
// learns what was done: a failed role change does not stop the others, and the policy write is all or
// nothing. Role changes already made stay made when the policy write fails: each is correct on its
// own (the file asked for it and the rails passed), undoing them would be more writes that can fail,
// and running apply again converges.
import type { LoadedConfig } from '../config/load.js';
import { checkRails, writeRefusals } from '../plan/rails.js';
import { isStatusChange, type Change, type Plan, type UserRoleChange } from '../domain/plan.js';
import { applyStatusChanges } from './statuses.js';
import type { TailscaleClient } from '../tailscale/client.js';
import { ApplyRefusedError } from './errors.js';
import { findKeyOwner } from './key-owner.js';
import { writePolicy, type PolicySettings } from './policy.js';
import { sendInvites } from './invites.js';
import {
  firstPolicyFileRead,
  groupChangesOf,
  invitesOf,
  readAndPlan,
  roleChangesOf,
  type PolicyFileRead,
} from './read-and-plan.js';
import { applyRoleChanges } from './roles.js';
import type { ApplyOptions } from './types.js';
import type { ApplyEvent, ApplyReport, FailedChange, SkippedChange } from '../domain/apply-report.js';
import { checkPlannedWrite } from './planned-write.js';
import { wholeWriteProblems, writeWholePolicy } from './whole-policy.js';

const DEFAULT_POLICY_ATTEMPTS = 5;
const DEFAULT_CONFLICT_DELAY_MS = 250;

export const CHANGED_DURING_APPLY =
  'not made: this role differed only on a later read (changed in the admin console while apply ran?); run apply again';

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a whole number of at least 1, got ${value}`);
  return value;
}

export async function applyConfig(
  given: LoadedConfig,
  client: TailscaleClient,
  options: ApplyOptions = {},
): Promise<ApplyReport> {
  const concurrency =
    options.concurrency === undefined ? undefined : positiveInteger(options.concurrency, 1, 'concurrency');
  const maxAttempts = positiveInteger(options.maxPolicyAttempts, DEFAULT_POLICY_ATTEMPTS, 'maxPolicyAttempts');
  if (options.maxChanges !== undefined && !(Number.isInteger(options.maxChanges) && options.maxChanges >= 0)) {
    throw new RangeError(`maxChanges must be a whole number of changes (0 or more), got ${options.maxChanges}`);
  }
  const emit = (event: ApplyEvent): void => options.onProgress?.(event);
  // One moment for every read of this run, so an end date cannot pass between the plan and a re-plan after a 412.
  const config: LoadedConfig = { ...given, now: given.now ?? Date.now() };

  const policyFile = policyFileRead(config, options);
  const first = await readAndPlan(config, client, policyFile, options.started);
  const plan = first.result.plan;
  // Before anything else may refuse or write: a saved plan is applied only while it is the fresh one.
  const unlike = options.savedPlan?.refusal(plan, first.live, first.section);
  if (unlike !== undefined)
    throw new ApplyRefusedError(
      plan,
      [{ rail: options.savedPlan?.rail ?? 'saved-plan', message: unlike }],
      first.section,
    );
  const roleChanges = roleChangesOf(plan);
  const statusChanges = plan.changes.filter(isStatusChange);
  // The key's record is read only when it matters: a plan without role or status changes needs no such rail.
  const keyOwner =
    roleChanges.length > 0 || statusChanges.length > 0
      ? await (options.keyOwner ?? findKeyOwner(client))
      : { kind: 'none' as const };
  const rails = checkRails({
    plan,
    problems: first.result.problems,
    users: first.live.users,
    desired: config.desired,
    keyOwner,
    maxChanges: options.maxChanges,
    force: options.force,
  });
  if (rails.refusals.length > 0) throw new ApplyRefusedError(plan, rails.refusals, first.section);
  // The policy text goes out last, but whether it can go out is known first: made, checked against
  // the plan and (groups-only; the file in git was validated with the plan) validated, before the
  // first role change.
  const prepared = policyFile ? wholeWriteProblems(first) : await checkPlannedWrite(client, first.live, first.result);
  const writeRefused = writeRefusals(prepared?.problems ?? []);
  if (writeRefused.length > 0) throw new ApplyRefusedError(plan, writeRefused, first.section);
  emit({ type: 'planned', attempt: 1, plan });
  let rolesDone: Awaited<ReturnType<typeof applyRoleChanges>> | undefined;

  // Restores and approvals before the role changes (an admin back in counts for the last-admin check), suspensions
  // after.
  const statuses = await applyStatusChanges(
    client,
    statusChanges,
    first.live.users,
    roleChanges,
    concurrency,
    emit,
    async () => {
      rolesDone = await applyRoleChanges(client, roleChanges, first.live.users, concurrency, emit);
      return rolesDone.applied;
    },
  );
  const roles = rolesDone ?? { applied: [], failed: [], skipped: [] };
  const invites = await sendInvites(client, invitesOf(plan), emit);
  const settings: PolicySettings = {
    maxAttempts,
    conflictDelayMs: options.conflictDelayMs ?? DEFAULT_CONFLICT_DELAY_MS,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    maxChanges: options.maxChanges,
    force: options.force === true,
    emit,
    ...(options.savedPlan ? { savedPlan: options.savedPlan } : {}),
  };
  // Under settings.policyFile the file in git is written whole; otherwise only the groups of the live policy.
  const whole = policyFile
    ? await writeWholePolicy(config, client, first, roleChanges, settings, policyFile.options)
    : undefined;
  const policy = whole ?? (await writePolicy(config, client, first, roleChanges, settings, prepared?.text));

  const lastPlan = policy.last.result.plan;
  // Users as first planned (a later read sees sent invites as pending), groups as last written.
  const finalPlan: Plan = {
    ...lastPlan,
    changes: [...roleChanges, ...statusChanges, ...invitesOf(plan), ...groupChangesOf(lastPlan)],
  };
  const notMade = [...roles.failed, ...roles.skipped].map((r) => r.change);
  const reread = policy.last !== first;
  const skipped: SkippedChange[] = [
    ...roles.skipped,
    ...statuses.skipped,
    ...(reread ? leftoverRoles(roleChangesOf(lastPlan), notMade) : []),
  ];
  const failed: FailedChange[] = [...roles.failed, ...statuses.failed, ...invites.failed, ...policy.failed];
  const applied: Change[] = [...roles.applied, ...statuses.applied, ...invites.applied, ...policy.applied];
  return {
    version: 1,
    tailnet: finalPlan.tailnet,
    ...(finalPlan.tailnetId === undefined ? {} : { tailnetId: finalPlan.tailnetId }),
    plan: finalPlan,
    applied,
    failed,
    skipped,
    ...(policy.outcome ? { policy: policy.outcome } : {}),
    ...(whole ? { policyFile: whole.report } : {}),
    warnings: [...lastPlan.warnings, ...rails.warnings, ...policy.warnings],
    converged: failed.length === 0 && skipped.length === 0 && policy.outcome?.status !== 'failed',
  };
}

/** Under settings.policyFile the caller must hand over the file: apply never guesses where it is. */
function policyFileRead(config: LoadedConfig, options: ApplyOptions): PolicyFileRead | undefined {
  if (config.desired.settings.policyFile === undefined) return undefined;
  if (!options.policyFile) {
    throw new TypeError(
      `${config.desired.file} sets settings.policyFile, but apply was not given the policy file ` +
        `(ApplyOptions.policyFile)`,
    );
  }
  return firstPolicyFileRead(config, options.policyFile);
}

/**
 * Role changes a read after a 412 still shows, other than those that failed or were held back: a role
 * someone changed while apply ran. This run does not chase them; the next one will.
 */
function leftoverRoles(later: readonly UserRoleChange[], notMade: readonly UserRoleChange[]): SkippedChange[] {
  const pending = new Set(notMade.map((c) => c.userId));
  return later.filter((c) => !pending.has(c.userId)).map((change) => ({ change, reason: CHANGED_DURING_APPLY }));
}
