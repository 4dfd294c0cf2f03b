// `plan` and `drift`: read, diff, print. They write nothing. Exit codes per contract.md §2:
// plan 0 (or 2 with --detailed-exitcode when there are changes), drift 2 whenever there are changes,
// 1 when the plan cannot be carried out (e.g. `owner` stated for someone who is not the owner).
import { loadConfig } from '../config/load.js';
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { renderPlanJson } from '../plan/render-json.js';
import { renderPlanMarkdown } from '../plan/render-markdown.js';
import { renderPlanText } from '../plan/render-text.js';
import type { Plan, PlanProblem } from '../plan/types.js';
import { configPath, emit, isSet, note, resolvePath, useColor, type CommandContext } from './io.js';
import { planWith } from './read-plan.js';
import { withClient } from './session.js';

export function renderPlan(ctx: CommandContext, plan: Plan, shownConfig: string): string {
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
  const config = await loadConfig(resolvePath(ctx, shown), shown);
  const read = await withClient(ctx, config.desired, (client) => planWith(config, client));
  await emit(ctx, renderPlan(ctx, read.plan, shown));
  if (read.problems.length > 0) {
    reportProblems(ctx, read.problems);
    return EXIT_ERROR;
  }
  const pending = read.plan.changes.length > 0;
  if (ctx.args.command === 'drift') return pending ? EXIT_CHANGES : EXIT_OK;
  return pending && isSet(ctx, 'detailed-exitcode') ? EXIT_CHANGES : EXIT_OK;
}
