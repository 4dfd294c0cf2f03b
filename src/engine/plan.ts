// The plan use case: against a loaded config, the live read, then the pure diff. The CLI's plan and
// drift and the action's plan and drift all start here. Under settings.policyFile the plan also covers
// the policy file (src/policy-file/plan.ts): its diff live -> desired, Tailscale's verdict, edits made
// outside git.
import { checkPlannedWrite } from '../apply/planned-write.js';
import type { LoadedConfig } from '../config/load.js';
import { formatSourceRef } from '../diagnostics.js';
import type { Diagnostic } from '../domain/diagnostic.js';
import { diff, type LiveTailnet } from '../plan/diff.js';
import { impactSource, withImpact } from '../plan/impact.js';
import type { PlanResult, PlanWarning } from '../domain/plan.js';
import { planPolicyFile, withPolicyFile, type PolicyFileOptions } from '../policy-file/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { renderPolicyFile } from '../policy-file/source.js';
import type { TailscaleClient } from '../tailscale/client.js';
import { readLive, type StartedRead } from '../tailscale/live.js';

export interface PlanRead extends PlanResult {
  config: LoadedConfig;
  live: LiveTailnet;
  /** Under settings.policyFile: the policy file's part of the plan. */
  policyFile?: PolicyFilePlan;
}

/**
 * The pure half: the file's own warnings come first among the plan's, and the plan says where the
 * policy uses each group it changes.
 */
export function planAgainst(config: LoadedConfig, live: LiveTailnet, policyFile?: PolicyFilePlan): PlanRead {
  const diffed = diff(config.desired, live, config.now ?? Date.now());
  const result = policyFile ? withPolicyFile(diffed, live, policyFile, config.desired, 'plan') : diffed;
  result.plan.warnings.unshift(...configWarningLines(config.warnings));
  withImpact(result.plan, impactSource(live.policy.text, policyFile));
  return policyFile ? { ...result, config, live, policyFile } : { ...result, config, live };
}

/** Runs one step of planning under its name; the action shows each as a group of its log. */
export type PlanStep = <T>(step: 'read' | 'plan' | 'validate', run: () => Promise<T>) => Promise<T>;

export interface PlanChecks {
  /** Ask Tailscale's validator about the policy the plan would write; a refusal is one of the plan's problems. */
  validate?: boolean;
  step?: PlanStep;
  /** Users and policy, already requested (before the file was parsed); read here when absent. */
  started?: StartedRead;
}

const inTurn: PlanStep = (_step, run) => run();

/**
 * Reads the tailnet and plans. `policyFile` is required when the config sets settings.policyFile
 * (the caller reads the file: the CLI beside the config, the action from the checkout). With
 * `validate`, Tailscale's validator is asked about the policy the plan would write, and a refusal is
 * one of the plan's problems, as `apply` would refuse it before its first write; under
 * settings.policyFile the file in git is always validated (src/policy-file/plan.ts).
 */
export async function planWith(
  config: LoadedConfig,
  client: TailscaleClient,
  policyFile?: PolicyFileOptions,
  check: PlanChecks = {},
): Promise<PlanRead> {
  const step = check.step ?? inTurn;
  const options = { invites: config.desired.settings.inviteMissingUsers };
  if (config.desired.settings.policyFile !== undefined && !policyFile) {
    throw new TypeError(`${config.desired.file} sets settings.policyFile, but the plan was not given the policy file`);
  }
  // The policy file is rendered before the tailnet is read, so a file that cannot be costs no API call.
  const rendered =
    policyFile && config.desired.settings.policyFile !== undefined
      ? renderPolicyFile(config.desired, policyFile.file)
      : undefined;
  const live = await step('read', () => readLive(client, options, check.started));
  const read = await step('plan', async () => {
    if (policyFile === undefined || rendered === undefined) return planAgainst(config, live);
    return planAgainst(config, live, await planPolicyFile(client, config.desired, live, policyFile, { rendered }));
  });
  // Under settings.policyFile the file in git was validated by planPolicyFile already.
  if (check.validate && rendered === undefined) {
    const write = await step('validate', () => checkPlannedWrite(client, live, read));
    if (write) read.problems.push(...write.problems);
  }
  return read;
}

/** Config warnings as plan warnings, for the renderers. */
export function configWarningLines(warnings: readonly Diagnostic[]): PlanWarning[] {
  return warnings.map((w) => ({ code: w.code, message: w.message, path: formatSourceRef(w) }));
}
