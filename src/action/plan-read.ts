// Plan and drift start alike: load the file, read the tailnet, diff. A plan the file makes impossible
// is an error; and before a pull request is approved, Tailscale's validator is asked whether it
// would accept the policy file the plan leads to, so a rejection shows on the PR, not after merge.
// Under settings.policyFile the plan covers the repository's policy file (read from the checkout
// before connecting), which the plan itself validates, and edits made outside git since the last apply.
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { planWith, type PlanRead, type PlanStep } from '../commands/read-plan.js';
import { rewritePolicyGroups } from '../policy/index.js';
import type { PolicyFileOptions } from '../policy-file/plan.js';
import type { TailscaleClient } from '../tailscale/client.js';
import { CandidatePolicyRejectedError, PlanProblemsError } from './errors.js';
import { log } from './log.js';
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
  const verdict = await log.phase('Validate the policy the plan would write', () => client.validatePolicy(candidate));
  if (!verdict.ok) throw new CandidatePolicyRejectedError(verdict.message ?? '(no message)', verdict.data ?? [], read.plan);
}

export interface ActionFiles {
  config: LoadedConfig;
  tailnet: string;
  policyFile: PolicyFileOptions | undefined;
}

/** The run's files: the config, and under settings.policyFile the policy file from the checkout. */
export async function readActionFiles(settings: ActionSettings): Promise<ActionFiles> {
  return log.phase(`Read ${settings.config.shownAs}`, async () => {
    const config = await loadConfig(settings.config.path, settings.config.shownAs);
    const tailnet = tailnetFor(settings, config);
    const policyFile = await actionPolicyFile(settings, config, tailnet);
    log.debug(`${config.desired.users.length} users, ${config.desired.groups.length} groups; tailnet ${tailnet}${policyFile ? `; policy file ${policyFile.file.shown}` : ''}`);
    return { config, tailnet, policyFile };
  });
}

const STEPS: Record<Parameters<PlanStep>[0], string> = { read: 'Read the tailnet', plan: 'Plan' };
const inGroups: PlanStep = (step, run) => log.phase(STEPS[step], run);

export async function readActionPlan(settings: ActionSettings, options: { validate: boolean }): Promise<ActionPlan> {
  const { config, tailnet, policyFile } = await readActionFiles(settings);
  const read = await withTailscale(settings, tailnet, async (client) => {
    const read = await planWith(config, client, policyFile, inGroups);
    if (read.problems.length > 0) throw new PlanProblemsError(read.problems, read.plan, read.policyFile);
    if (options.validate) await validateCandidate(client, read);
    return read;
  });
  return { config, tailnet, read };
}
