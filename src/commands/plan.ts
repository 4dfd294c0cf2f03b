// `plan` and `drift`: read, diff, print. They write nothing. Exit codes per contract.md §2:
// plan 0 (or 2 with --detailed-exitcode when there are changes), drift 2 whenever there are changes,
// 1 when the plan cannot be carried out (e.g. `owner` stated for someone who is not the owner).
import { nowFlag, atNow } from './now.js';
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { renderPlanJson } from '../render/plan-json.js';
import { renderPlanMarkdown, type MarkdownRenderOptions } from '../render/plan-markdown.js';
import { renderPlanText } from '../render/plan-text.js';
import type { Plan } from '../domain/plan.js';
import { planProblemsFailure } from '../engine/failure.js';
import { failureText } from './failure-text.js';
import { hasPendingChanges, type PolicyFileOptions } from '../policy-file/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import type { Format } from './args.js';
import { configPath, emit, isSet, note, resolvePath, useColor, type CommandContext } from './context.js';
import { inventoryRequest, renderInventoryFor } from './plan-inventory.js';
import { planWith, type PlanRead } from '../engine/plan.js';
import { inputFiles, policyFileOptionsFor, refuseOutOntoInputs } from './input-files.js';
import { refuseSaveOnto, savePlan, savePlanTarget } from './saved-plan.js';
import { withConfigAndEarlyClient } from '../engine/reads-first.js';
import { tailnetPort } from './session.js';

/**
 * The plan in the command's format; under settings.policyFile with the policy file's section. With
 * `problems` (plan) or refusals (apply), it says the plan cannot be carried out as it stands.
 */
export function renderPlan(
  ctx: CommandContext,
  plan: Plan,
  shownConfig: string,
  policyFile?: PolicyFilePlan,
  problems = 0,
  refused = false,
): string {
  const rendered = renderPlanBody(ctx, plan, shownConfig, policyFile);
  return problems > 0 ? withoutMatchClaim(rendered, ctx.args.format, problems, refused) : rendered;
}

// The colour codes the text renderer may put around "No changes.".
const ANSI_CODES = /\x1b\[[0-9;]*m/g;

/**
 * A plan with problems cannot be carried out, so its summary must not say "No changes. The tailnet
 * matches …": the file states something the tailnet does not hold (an owner who is not the owner, a
 * policy Tailscale refuses). The problems themselves follow on standard error.
 */
function withoutMatchClaim(rendered: string, format: Format, problems: number, byApply: boolean): string {
  const below = problems === 1 ? 'the problem below' : `the ${problems} problems below`;
  // A plan with changes is shown as planned, and said to be one apply refuses.
  const refused = byApply
    ? `Not applied: refused for ${problems === 1 ? 'the reason' : 'the reasons'} below; nothing was written.`
    : `Cannot be applied: fix ${below} first.`;
  if (format === 'text') {
    const lines = rendered.replace(/\n$/, '').split('\n');
    const last = lines.at(-1) ?? '';
    if (!last.replace(ANSI_CODES, '').startsWith('No changes.')) return `${rendered}${refused}\n`;
    return `${[...lines.slice(0, -1), `Not planned: fix ${below} first; until then the tailnet does not match the file.`].join('\n')}\n`;
  }
  if (format === 'markdown') {
    const claim = /^\*\*No changes\.\*\* .*$/m;
    if (!claim.test(rendered)) return `${rendered}\n**${refused}**\n`;
    return rendered.replace(
      claim,
      `**Not planned:** fix ${below} first; until then the tailnet does not match the file.`,
    );
  }
  return rendered;
}

// A drift report is headed as one, so a pasted or posted report says what it is.
function markdownOptions(ctx: CommandContext, shownConfig: string): MarkdownRenderOptions {
  return ctx.args.command === 'drift'
    ? { configPath: shownConfig, heading: 'tailnet-access drift' }
    : { configPath: shownConfig };
}

function renderPlanBody(ctx: CommandContext, plan: Plan, shownConfig: string, policyFile?: PolicyFilePlan): string {
  switch (ctx.args.format) {
    case 'json':
      return renderPlanJson(plan, policyFile);
    case 'markdown':
      return renderPlanMarkdown(plan, { ...markdownOptions(ctx, shownConfig), policyFile });
    case 'text':
      return renderPlanText(plan, { color: useColor(ctx), configPath: shownConfig, policyFile });
  }
}

/** The problems on standard error, as the action titles and lists them. */
function reportProblems(ctx: CommandContext, read: PlanRead, shownConfig: string): void {
  note(ctx, failureText(planProblemsFailure(read.problems, read.plan, shownConfig, read.policyFile)));
}

export async function runPlan(ctx: CommandContext): Promise<number> {
  const shown = configPath(ctx);
  const inventory = inventoryRequest(ctx);
  const now = nowFlag(ctx);
  await refuseOutOntoInputs(ctx, shown);
  const saveTo = await savePlanTarget(ctx, inputFiles(ctx, shown));
  // A drift report compares; only a plan is about to be applied, so only a plan asks the validator.
  const validate = ctx.args.command === 'plan';
  let configText = '';
  let policyFileRead: PolicyFileOptions | undefined;
  // Users and policy are requested first, and the file parsed while they are on their way.
  const read = await withConfigAndEarlyClient(
    { path: resolvePath(ctx, shown), shown },
    tailnetPort(ctx),
    {},
    async (config, text) => {
      configText = text;
      policyFileRead = await policyFileOptionsFor(ctx, atNow(config, now), resolvePath(ctx, shown));
      if (saveTo !== undefined && policyFileRead)
        await refuseSaveOnto(ctx, saveTo, [
          { file: policyFileRead.file.path, what: `the policy file ${policyFileRead.file.shown}` },
        ]);
      return policyFileRead;
    },
    (config, policyFile, client, early) =>
      planWith(atNow(config, now), client, policyFile, { validate, ...(early ? { started: early.live } : {}) }),
  );
  if (saveTo !== undefined) await savePlan(ctx, saveTo, read, shown, configText, policyFileRead);
  const rendered = renderPlan(ctx, read.plan, shown, read.policyFile, read.problems.length);
  await emit(ctx, inventory ? `${rendered}\n${renderInventoryFor(ctx, inventory, read, shown)}` : rendered);
  if (read.problems.length > 0) {
    reportProblems(ctx, read, shown);
    return EXIT_ERROR;
  }
  const pending = hasPendingChanges(read, read.policyFile);
  if (ctx.args.command === 'drift') return pending ? EXIT_CHANGES : EXIT_OK;
  return pending && isSet(ctx, 'detailed-exitcode') ? EXIT_CHANGES : EXIT_OK;
}
