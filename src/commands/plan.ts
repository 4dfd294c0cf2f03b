// `plan` and `drift`: read, diff, print. They write nothing. Exit codes per contract.md §2:
// plan 0 (or 2 with --detailed-exitcode when there are changes), drift 2 whenever there are changes,
// 1 when the plan cannot be carried out (e.g. `owner` stated for someone who is not the owner).
import { loadConfig } from '../config/load.js';
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { renderPlanJson } from '../plan/render-json.js';
import { renderPlanMarkdown } from '../plan/render-markdown.js';
import { renderPlanText } from '../plan/render-text.js';
import type { Plan, PlanProblem } from '../plan/types.js';
import { hasPendingChanges, type PolicyFilePlan } from '../policy-file/plan.js';
import { composePlanText, renderPlanJsonWithPolicyFile, renderPlanMarkdownWithPolicyFile } from '../policy-file/render-plan.js';
import { configPath, emit, isSet, note, resolvePath, useColor, type CommandContext } from './io.js';
import { inventoryRequest, renderInventoryFor } from './plan-inventory.js';
import { planWith, policyFileOptionsFor } from './read-plan.js';
import { withClient } from './session.js';

/** The plan in the command's format; under settings.policyFile with the policy file's section. */
export function renderPlan(ctx: CommandContext, plan: Plan, shownConfig: string, policyFile?: PolicyFilePlan): string {
  if (policyFile) {
    switch (ctx.args.format) {
      case 'json':
        return renderPlanJsonWithPolicyFile(plan, policyFile);
      case 'markdown':
        return renderPlanMarkdownWithPolicyFile(plan, policyFile, { configPath: shownConfig });
      case 'text':
        return composePlanText(renderPlanText(plan, { color: useColor(ctx), configPath: shownConfig }), plan, policyFile, { color: useColor(ctx), configPath: shownConfig });
    }
  }
  switch (ctx.args.format) {
    case 'json':
      return renderPlanJson(plan);
    case 'markdown':
      return renderPlanMarkdown(plan, { configPath: shownConfig });
    case 'text':
      return renderPlanText(plan, { color: useColor(ctx), configPath: shownConfig });
  }
}

export function reportProblems(ctx: CommandContext, problems: readonly PlanProblem[]): void {
  for (const p of problems) note(ctx, `${p.path ? `${p.path}: ` : ''}error: ${p.message}`);
  note(ctx, `The plan cannot be carried out: fix the ${problems.length === 1 ? 'problem' : `${problems.length} problems`} above in the file.`);
}

export async function runPlan(ctx: CommandContext): Promise<number> {
  const shown = configPath(ctx);
  const inventory = inventoryRequest(ctx);
  const config = await loadConfig(resolvePath(ctx, shown), shown);
  const policyFile = await policyFileOptionsFor(ctx, config, resolvePath(ctx, shown));
  const read = await withClient(ctx, config.desired, (client) => planWith(config, client, policyFile));
  const rendered = renderPlan(ctx, read.plan, shown, read.policyFile);
  await emit(ctx, inventory ? `${rendered}\n${renderInventoryFor(ctx, inventory, read, shown)}` : rendered);
  if (read.problems.length > 0) {
    reportProblems(ctx, read.problems);
    return EXIT_ERROR;
  }
  const pending = hasPendingChanges(read, read.policyFile);
  if (ctx.args.command === 'drift') return pending ? EXIT_CHANGES : EXIT_OK;
  return pending && isSet(ctx, 'detailed-exitcode') ? EXIT_CHANGES : EXIT_OK;
}
