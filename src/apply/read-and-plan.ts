// One read of the tailnet and the plan against it. apply reads once, and again after each 412.
import type { LoadedConfig } from '../config/load.js';
import { formatSourceRef } from '../diagnostics.js';
import { diff, type LiveTailnet } from '../plan/diff.js';
import { impactSource, withImpact } from '../plan/impact.js';
import {
  isGroupChange,
  isInvite,
  type GroupChange,
  type Plan,
  type PlanResult,
  type UserInviteChange,
  type UserRoleChange,
} from '../domain/plan.js';
import {
  planPolicyFile,
  withPolicyFile,
  type PolicyFileKnown,
  type PolicyFileOptions,
  type Purpose,
} from '../policy-file/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { renderPolicyFile } from '../policy-file/source.js';
import type { TailscaleClient } from '../tailscale/client.js';
import { readLive, type StartedRead } from '../tailscale/live.js';

export interface ApplyRead {
  live: LiveTailnet;
  result: PlanResult;
  /** Under settings.policyFile: the policy file's part of the plan. */
  section?: PolicyFilePlan;
}

/**
 * Under settings.policyFile: the file, the policy rendered from it, and the verdict once known (a re-read does not ask
 * again).
 */
export interface PolicyFileRead {
  options: PolicyFileOptions;
  known: PolicyFileKnown;
  purpose: Purpose;
}

/** The policy-file part of the first read: the file rendered before any API call, so a broken one costs none. */
export function firstPolicyFileRead(config: LoadedConfig, options: PolicyFileOptions): PolicyFileRead {
  return { options, known: { rendered: renderPolicyFile(config.desired, options.file) }, purpose: 'apply' };
}

/** Reads users and policy and plans against them; the file's own warnings come first, as in `plan`. */
export async function readAndPlan(
  config: LoadedConfig,
  client: TailscaleClient,
  policyFile?: PolicyFileRead,
  started?: StartedRead,
): Promise<ApplyRead> {
  const live = await readLive(client, { invites: config.desired.settings.inviteMissingUsers }, started);
  let result = diff(config.desired, live, config.now ?? Date.now());
  let section: PolicyFilePlan | undefined;
  if (policyFile) {
    section = await planPolicyFile(client, config.desired, live, policyFile.options, policyFile.known);
    result = withPolicyFile(result, live, section, config.desired, policyFile.purpose);
  }
  const fileWarnings = config.warnings.map((w) => ({ code: w.code, message: w.message, path: formatSourceRef(w) }));
  result.plan.warnings.unshift(...fileWarnings);
  withImpact(result.plan, impactSource(live.policy.text, section));
  return section ? { live, result, section } : { live, result };
}

export function roleChangesOf(plan: Plan): UserRoleChange[] {
  return plan.changes.filter((c): c is UserRoleChange => c.type === 'user.role');
}

export function groupChangesOf(plan: Plan): GroupChange[] {
  return plan.changes.filter(isGroupChange);
}

export function invitesOf(plan: Plan): UserInviteChange[] {
  return plan.changes.filter(isInvite);
}
