// Plan against a loaded config: the live read, then the pure diff. Plan, drift, apply and the
// action all start here. Under settings.policyFile the plan also covers the policy file (see
// src/policy-file/plan.ts): its diff live -> desired, Tailscale's verdict, edits made outside git.
import path from 'node:path';
import { checkPlannedWrite } from '../apply/planned-write.js';
import type { LoadedConfig } from '../config/load.js';
import { formatSourceRef, type Diagnostic } from '../diagnostics.js';
import { diff, type LiveTailnet } from '../plan/diff.js';
import type { PlanResult, PlanWarning } from '../plan/types.js';
import { FileEtagStore, stateFilePath } from '../policy-file/etag-store.js';
import { planPolicyFile, withPolicyFile, type PolicyFileOptions, type PolicyFilePlan } from '../policy-file/plan.js';
import { readPolicyFile, renderPolicyFile } from '../policy-file/source.js';
import type { TailscaleClient } from '../tailscale/client.js';
import { readLive } from '../tailscale/live.js';
import { flag, type CommandContext } from './io.js';

export interface PlanRead extends PlanResult {
  config: LoadedConfig;
  live: LiveTailnet;
  /** Under settings.policyFile: the policy file's part of the plan. */
  policyFile?: PolicyFilePlan;
}

/** The pure half: the file's own warnings come first among the plan's. */
export function planAgainst(config: LoadedConfig, live: LiveTailnet, policyFile?: PolicyFilePlan): PlanRead {
  const diffed = diff(config.desired, live);
  const result = policyFile ? withPolicyFile(diffed, live, policyFile, config.desired, 'plan') : diffed;
  result.plan.warnings.unshift(...configWarningLines(config.warnings));
  return policyFile ? { ...result, config, live, policyFile } : { ...result, config, live };
}

/**
 * Reads the tailnet and plans. `policyFile` is required when the config sets settings.policyFile
 * (the caller reads the file: the CLI beside the config, the action from the checkout). With
 * `validate`, Tailscale's validator is asked about the policy the plan would write, and a refusal is
 * one of the plan's problems, as `apply` would refuse it before its first write; under
 * settings.policyFile the file in git is always validated (src/policy-file/plan.ts).
 */
export async function planWith(config: LoadedConfig, client: TailscaleClient, policyFile?: PolicyFileOptions, check: { validate?: boolean } = {}): Promise<PlanRead> {
  const options = { invites: config.desired.settings.inviteMissingUsers };
  if (config.desired.settings.policyFile === undefined) {
    const live = await readLive(client, options);
    const read = planAgainst(config, live);
    const write = check.validate ? await checkPlannedWrite(client, live, read) : undefined;
    if (write) read.problems.push(...write.problems);
    return read;
  }
  if (!policyFile) throw new TypeError(`${config.desired.file} sets settings.policyFile, but the plan was not given the policy file`);
  const rendered = renderPolicyFile(config.desired, policyFile.file);
  const live = await readLive(client, options);
  return planAgainst(config, live, await planPolicyFile(client, config.desired, live, policyFile, { rendered }));
}

/** Config warnings as plan warnings, for the renderers. */
export function configWarningLines(warnings: readonly Diagnostic[]): PlanWarning[] {
  return warnings.map((w) => ({ code: w.code, message: w.message, path: formatSourceRef(w) }));
}

/**
 * The CLI's policy-file options under settings.policyFile (undefined without it): the file beside the
 * config, and the state file of `--state-file`, $TAILNET_ACCESS_STATE or `.tailnet-access/state.json`.
 */
export async function policyFileOptionsFor(ctx: CommandContext, config: LoadedConfig, configPath: string): Promise<PolicyFileOptions | undefined> {
  const file = await readPolicyFile(config.desired, configPath);
  if (!file) return undefined;
  const state = stateFilePath(flag(ctx, 'state-file'), ctx.env, configPath, ctx.cwd);
  return { file, store: new FileEtagStore(state, path.relative(ctx.cwd, state) || state) };
}
