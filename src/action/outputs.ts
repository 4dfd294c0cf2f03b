// The step's outputs: `has-changes`, `plan-json` (a file: a plan can be far larger than an output
// value should be) and `summary`, one line a later step can put in a message.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as runner from '../github/runner.js';
import { countChanges, describeCounts } from '../plan/format.js';
import { renderPlanJson } from '../plan/render-json.js';
import type { Plan } from '../plan/types.js';
import { redact } from '../secrets.js';
import type { ActionSettings } from './settings.js';

/** "Plan: 1 role change, 2 groups to create." or "No changes: the tailnet matches tailnet-access.yaml." */
export function planSummaryLine(plan: Plan, configShown: string): string {
  if (plan.changes.length === 0) return `No changes: the tailnet matches ${configShown}.`;
  return `Plan: ${describeCounts(countChanges(plan.changes))}.`;
}

/** One file per config and tailnet, so several steps in one job do not overwrite each other's plan. */
export function planJsonPath(settings: ActionSettings, tailnet: string): string {
  const key = createHash('sha256').update(`${settings.config.shownAs}\0${tailnet}`).digest('hex').slice(0, 12);
  return path.join(settings.github.runnerTemp, `tailnet-access-plan-${key}.json`);
}

export async function setPlanOutputs(settings: ActionSettings, plan: Plan, summary: string): Promise<void> {
  const file = planJsonPath(settings, plan.tailnet);
  await writeFile(file, renderPlanJson(plan));
  runner.setOutput('has-changes', plan.changes.length > 0 ? 'true' : 'false');
  runner.setOutput('plan-json', file);
  runner.setOutput('summary', redact(summary));
}
