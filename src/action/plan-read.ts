// Plan and drift start alike: load the file, read the tailnet, diff. A plan the file makes impossible
// is an error; and before a pull request is approved, Tailscale's validator is asked whether it
// would accept the policy file the plan leads to (planWith, as the CLI's plan does), so a rejection
// shows on the PR, not after merge.
// Under settings.policyFile the plan covers the repository's policy file (read from the checkout
// before connecting), which the plan itself validates, and edits made outside git since the last apply.
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { atNow } from '../config/until.js';
import { planWith, type PlanRead, type PlanStep } from '../commands/read-plan.js';
import type { PolicyFileOptions } from '../policy-file/plan.js';
import { PlanProblemsError } from './errors.js';
import { log } from './log.js';
import { actionPolicyFile } from './policy-file.js';
import { tailnetFor, withTailscale } from './session.js';
import type { ActionSettings } from './settings.js';

export interface ActionPlan {
  config: LoadedConfig;
  tailnet: string;
  read: PlanRead;
}

export interface ActionFiles {
  config: LoadedConfig;
  tailnet: string;
  policyFile: PolicyFileOptions | undefined;
}

/** The run's files: the config, and under settings.policyFile the policy file from the checkout. */
export async function readActionFiles(settings: ActionSettings): Promise<ActionFiles> {
  return log.phase(`Read ${settings.config.shownAs}`, async () => {
    const config = atNow(await loadConfig(settings.config.path, settings.config.shownAs), settings.now);
    const tailnet = tailnetFor(settings, config);
    const policyFile = await actionPolicyFile(settings, config, tailnet);
    log.debug(`${config.desired.users.length} users, ${config.desired.groups.length} groups; tailnet ${tailnet}${policyFile ? `; policy file ${policyFile.file.shown}` : ''}`);
    return { config, tailnet, policyFile };
  });
}

const STEPS: Record<Parameters<PlanStep>[0], string> = { read: 'Read the tailnet', plan: 'Plan', validate: 'Validate the policy the plan would write' };
const inGroups: PlanStep = (step, run) => log.phase(STEPS[step], run);

export async function readActionPlan(settings: ActionSettings, options: { validate: boolean }): Promise<ActionPlan> {
  const { config, tailnet, policyFile } = await readActionFiles(settings);
  const read = await withTailscale(settings, tailnet, async (client) => {
    const read = await planWith(config, client, policyFile, { validate: options.validate, step: inGroups });
    if (read.problems.length > 0) throw new PlanProblemsError(read.problems, read.plan, read.policyFile);
    return read;
  });
  return { config, tailnet, read };
}
