// Plan and drift start alike: request users and policy, load the file while they are on their way,
// diff. A plan the file makes impossible is an error; and before a pull request is approved,
// Tailscale's validator is asked whether it would accept the policy file the plan leads to (planWith,
// as the CLI's plan does), so a rejection shows on the PR, not after merge.
// Under settings.policyFile the plan covers the repository's policy file (read from the checkout
// before connecting), which the plan itself validates, and edits made outside git since the last apply.
import type { LoadedConfig } from '../config/load.js';
import { atNow } from '../config/until.js';
import { PlanProblemsError } from '../engine/failure.js';
import { planWith, type PlanRead, type PlanStep } from '../engine/plan.js';
import { withConfigAndEarlyClient, type EarlyOptions, type EarlyReads } from '../engine/reads-first.js';
import type { PolicyFileOptions } from '../policy-file/plan.js';
import type { TailscaleClient } from '../tailscale/client.js';
import { log } from './log.js';
import { actionPolicyFile } from './policy-file.js';
import { tailnetFor, tailnetPort } from './session.js';
import type { ActionSettings } from './settings.js';

export interface ActionPlan {
  config: LoadedConfig;
  tailnet: string;
  read: PlanRead;
}

export interface ActionFiles<P> {
  /** The config, at the run's moment. */
  config: LoadedConfig;
  tailnet: string;
  policyFile: PolicyFileOptions | undefined;
  /** What `prepare` made of them. */
  prepared: P;
}

/**
 * The run's files (the config, and under settings.policyFile the policy file from the checkout), read
 * while the tailnet's first reads are on their way, then `body` with them and the client. `prepare`
 * adds what else must hold before the tailnet is used (apply: the plan reviewed on the pull request).
 */
export async function withActionFiles<T, P>(
  settings: ActionSettings,
  options: EarlyOptions,
  prepare: (config: LoadedConfig, tailnet: string) => Promise<P>,
  body: (files: ActionFiles<P>, client: TailscaleClient, reads: EarlyReads | undefined) => Promise<T>,
): Promise<T> {
  return withConfigAndEarlyClient(
    { path: settings.config.path, shown: settings.config.shownAs },
    tailnetPort(settings),
    // The policy-file input names a second file whose errors must cost no API call.
    settings.policyFile === undefined ? options : { ...options, late: true },
    async (loaded): Promise<ActionFiles<P>> =>
      log.phase(`Read ${settings.config.shownAs}`, async () => {
        const config = atNow(loaded, settings.now);
        const tailnet = tailnetFor(settings, config);
        const policyFile = await actionPolicyFile(settings, config, tailnet);
        log.debug(
          `${config.desired.users.length} users, ${config.desired.groups.length} groups; tailnet ` +
            `${tailnet}${policyFile ? `; policy file ${policyFile.file.shown}` : ''}`,
        );
        return { config, tailnet, policyFile, prepared: await prepare(config, tailnet) };
      }),
    (_config, prepared, client, reads) => body(prepared, client, reads),
  );
}

const STEPS: Record<Parameters<PlanStep>[0], string> = {
  read: 'Read the tailnet',
  plan: 'Plan',
  validate: 'Validate the policy the plan would write',
};
const inGroups: PlanStep = (step, run) => log.phase(STEPS[step], run);

export async function readActionPlan(settings: ActionSettings, options: { validate: boolean }): Promise<ActionPlan> {
  return withActionFiles(
    settings,
    {},
    () => Promise.resolve(undefined),
    async ({ config, tailnet, policyFile }, client, reads) => {
      const read = await planWith(config, client, policyFile, {
        validate: options.validate,
        step: inGroups,
        ...(reads ? { started: reads.live } : {}),
      });
      if (read.problems.length > 0) throw new PlanProblemsError(read.problems, read.plan, read.policyFile);
      return { config, tailnet, read };
    },
  );
}
