// Plan against a loaded config: the live read, then the pure diff. Plan, drift, apply and the
// action all start here.
import type { LoadedConfig } from '../config/load.js';
import { formatSourceRef, type Diagnostic } from '../diagnostics.js';
import { diff, type LiveTailnet } from '../plan/diff.js';
import type { PlanResult, PlanWarning } from '../plan/types.js';
import type { TailscaleClient } from '../tailscale/client.js';
import { readLive } from '../tailscale/live.js';

export interface PlanRead extends PlanResult {
  config: LoadedConfig;
  live: LiveTailnet;
}

/** The pure half: the file's own warnings come first among the plan's. */
export function planAgainst(config: LoadedConfig, live: LiveTailnet): PlanRead {
  const result = diff(config.desired, live);
  result.plan.warnings.unshift(...configWarningLines(config.warnings));
  return { ...result, config, live };
}

export async function planWith(config: LoadedConfig, client: TailscaleClient): Promise<PlanRead> {
  return planAgainst(config, await readLive(client));
}

/** Config warnings as plan warnings, for the renderers. */
export function configWarningLines(warnings: readonly Diagnostic[]): PlanWarning[] {
  return warnings.map((w) => ({ code: w.code, message: w.message, path: formatSourceRef(w) }));
}
