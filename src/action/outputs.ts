// The step's outputs: `has-changes`, `plan-json` (a file: a plan can be far larger than an output
// value should be) and `summary`, one line a later step can put in a message. Under
// settings.policyFile the policy file counts as a change, and the plan JSON carries its `policyFile`.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { countChanges, describeCounts } from '../render/format.js';
import { renderPlanJson } from '../render/plan-json.js';
import type { Plan } from '../domain/plan.js';
import { hasPendingChanges } from '../policy-file/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { policyPlanSummary } from '../render/plan-policy-file.js';
import { redact } from '../secrets.js';
import type { ActionSettings } from './settings.js';

/** "Plan: 1 role change, 2 groups to create." or "No changes: the tailnet matches tailnet-access.yaml." */
export function planSummaryLine(plan: Plan, configShown: string, policyFile?: PolicyFilePlan): string {
  if (policyFile) {
    const { lead, rest } = policyPlanSummary(plan, policyFile, configShown);
    return lead === 'Plan:'
      ? `Plan: ${rest}`
      : `No changes: the tailnet matches ${configShown} and ${policyFile.file}.`;
  }
  if (plan.changes.length === 0) return `No changes: the tailnet matches ${configShown}.`;
  return `Plan: ${describeCounts(countChanges(plan.changes))}.`;
}

/** One file per config and tailnet, so several steps in one job do not overwrite each other's plan. */
export function planJsonPath(settings: ActionSettings, tailnet: string): string {
  const key = createHash('sha256').update(`${settings.config.shownAs}\0${tailnet}`).digest('hex').slice(0, 12);
  return path.join(settings.github.runnerTemp, `tailnet-access-plan-${key}.json`);
}

export interface PlanOutputs {
  plan: Plan;
  summary: string;
  /** Under settings.policyFile, in plan and drift: the policy file's part of the plan. */
  policyFile?: PolicyFilePlan | undefined;
  /** Whether anything was (or is) to change; default: the plan's changes, the policy file's included. */
  hasChanges?: boolean;
}

/**
 * The outputs of a failed run: `summary` says what failed; a failure that concerns a plan (problems
 * in the file, a policy the validator refuses, a rail's refusal) still sets `has-changes` and
 * `plan-json` from it, so a later `if: always()` step can report on it.
 */
export async function setFailureOutputs(
  settings: ActionSettings,
  failure: { title: string; plan?: Plan | undefined; policyFile?: PolicyFilePlan | undefined },
): Promise<void> {
  const summary = `Failed: ${failure.title}.`;
  if (failure.plan === undefined) core.setOutput('summary', redact(summary));
  else await setPlanOutputs(settings, { plan: failure.plan, policyFile: failure.policyFile, summary });
}

export async function setPlanOutputs(settings: ActionSettings, outputs: PlanOutputs): Promise<void> {
  const { plan, policyFile } = outputs;
  const file = planJsonPath(settings, plan.tailnet);
  await writeFile(file, renderPlanJson(plan, policyFile));
  core.setOutput('has-changes', (outputs.hasChanges ?? hasPendingChanges(outputs, policyFile)) ? 'true' : 'false');
  core.setOutput('plan-json', file);
  core.setOutput('summary', redact(outputs.summary));
}
