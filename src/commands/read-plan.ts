// The read side every command shares: the file, then the live tailnet (users and policy in
// parallel), then the pure diff. Plan, drift, apply and the action all start here.
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { formatSourceRef, type Diagnostic } from '../diagnostics.js';
import { diff, type LiveTailnet } from '../plan/diff.js';
import type { PlanResult } from '../plan/types.js';
import { HujsonSyntaxError } from '../policy/hujson.js';
import { PolicyShapeError, readPolicyGroups } from '../policy/groups.js';
import type { PolicyGroups } from '../policy/types.js';
import type { TailscaleClient } from '../tailscale/client.js';

export interface PlanRead extends PlanResult {
  config: LoadedConfig;
  live: LiveTailnet;
}

/** The live policy file could not be read as HuJSON: we refuse to guess at its groups. */
export class LivePolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LivePolicyError';
  }
}

export async function readLive(client: TailscaleClient): Promise<LiveTailnet> {
  const { users, policy } = await client.readLiveState();
  return { tailnet: client.tailnet, users, policy, groups: groupsOfLivePolicy(policy.text) };
}

export function groupsOfLivePolicy(text: string): PolicyGroups {
  try {
    return readPolicyGroups(text);
  } catch (error) {
    if (error instanceof HujsonSyntaxError || error instanceof PolicyShapeError) {
      throw new LivePolicyError(`the tailnet's policy file cannot be read: ${error.message}. Fix it in the admin console before planning.`);
    }
    throw error;
  }
}

/** Plans against an already loaded config. The file's own warnings come first in the plan's. */
export async function planWith(config: LoadedConfig, client: TailscaleClient): Promise<PlanRead> {
  const live = await readLive(client);
  const result = diff(config.desired, live);
  result.plan.warnings.unshift(...configWarningLines(config.warnings));
  return { ...result, config, live };
}

export async function readPlan(configPath: string, client: TailscaleClient): Promise<PlanRead> {
  return planWith(await loadConfig(configPath), client);
}

/** Config warnings as plan-style lines, for the renderers. */
export function configWarningLines(warnings: readonly Diagnostic[]): { code: string; message: string; path: string }[] {
  return warnings.map((w) => ({ code: w.code, message: w.message, path: formatSourceRef(w) }));
}
