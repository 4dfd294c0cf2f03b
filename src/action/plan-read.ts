// Plan and drift start alike: load the file, read the tailnet, diff. A plan the file makes impossible
// is an error; and before a pull request is approved, Tailscale's validator is asked whether it
// would accept the policy file the plan leads to, so a rejection shows on the PR, not after merge.
// Under settings.policyFile the plan covers the repository's policy file (read from the checkout
// before connecting), which the plan itself validates, and edits made outside git since the last apply.
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { planWith, type PlanRead } from '../commands/read-plan.js';
import { rewritePolicyGroups } from '../policy/index.js';
import type { TailscaleClient } from '../tailscale/client.js';
import { CandidatePolicyRejectedError, PlanProblemsError } from './errors.js';
import { actionPolicyFile } from './policy-file.js';
import { tailnetFor, withTailscale } from './session.js';
import type { ActionSettings } from './settings.js';

export interface ActionPlan {
  config: LoadedConfig;
  tailnet: string;
  read: PlanRead;
}

export async function validateCandidate(client: TailscaleClient, read: PlanRead): Promise<void> {
  // With settings.policyFile the policy written is the repository's file, which apply validates itself.
  if (read.targetGroups === undefined || read.config.desired.settings.policyFile !== undefined) return;
  const candidate = rewritePolicyGroups(read.live.policy.text, read.targetGroups);
  const verdict = await client.validatePolicy(candidate);
  if (!verdict.ok) throw new CandidatePolicyRejectedError(verdict.message ?? '(no message)', verdict.data ?? [], read.plan);
}

export async function readActionPlan(settings: ActionSettings, options: { validate: boolean }): Promise<ActionPlan> {
  const config = await loadConfig(settings.config.path, settings.config.shownAs);
  const tailnet = tailnetFor(settings, config);
  const policyFile = await actionPolicyFile(settings, config, tailnet);
  const read = await withTailscale(settings, tailnet, async (client) => {
    const read = await planWith(config, client, policyFile);
    if (read.problems.length > 0) throw new PlanProblemsError(read.problems, read.plan, read.policyFile);
    if (options.validate) await validateCandidate(client, read);
    return read;
  });
  return { config, tailnet, read };
}
