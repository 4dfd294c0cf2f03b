// The files a CLI command reads besides the tailnet: the config, the state file beside it and, under
// settings.policyFile, the policy file, each named as messages show it, and --out kept off all of them.
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { isInside, repositoryBoundary } from '../files/boundary.js';
import { FileEtagStore, stateFilePath } from '../policy-file/etag-store.js';
import type { PolicyFileOptions } from '../policy-file/plan.js';
import { policyFileLocation, readPolicyFileAt } from '../policy-file/source.js';
import { flag, refuseOutOnto, resolvePath, type CommandContext, type OutInput } from './context.js';

function statePath(ctx: CommandContext, configPath: string): string {
  return stateFilePath(flag(ctx, 'state-file'), ctx.env, configPath, ctx.cwd);
}

/** The state file as messages name it: from the working directory when it is below it, else absolute. */
function shownState(ctx: CommandContext, state: string): string {
  return isInside(state, ctx.cwd) ? path.relative(ctx.cwd, state) || state : state;
}

/** The files a plan reads before the tailnet: the config file and the state file beside it. */
export function inputFiles(ctx: CommandContext, shownConfig: string): OutInput[] {
  const state = statePath(ctx, resolvePath(ctx, shownConfig));
  return [
    { file: shownConfig, what: `the config file ${shownConfig}` },
    { file: state, what: `the state file ${shownState(ctx, state)}` },
  ];
}

/** Before anything is read: --out must not be the config file, nor the state file beside it. */
export async function refuseOutOntoInputs(ctx: CommandContext, shownConfig: string): Promise<void> {
  await refuseOutOnto(ctx, inputFiles(ctx, shownConfig));
}

/**
 * The CLI's policy-file options under settings.policyFile (undefined without it): the file beside the
 * config, inside the config's repository, and the state file of `--state-file`, $TAILNET_ACCESS_STATE
 * or `.tailnet-access/state.json`. --out may not name the policy file.
 */
export async function policyFileOptionsFor(
  ctx: CommandContext,
  config: LoadedConfig,
  configPath: string,
): Promise<PolicyFileOptions | undefined> {
  const location = policyFileLocation(config.desired, configPath, repositoryBoundary(configPath));
  if (!location) return undefined;
  await refuseOutOnto(ctx, [{ file: location.path, what: `the policy file ${location.shown}` }]);
  const file = await readPolicyFileAt(config.desired, location);
  const state = statePath(ctx, configPath);
  return { file, store: new FileEtagStore(state, shownState(ctx, state)) };
}
