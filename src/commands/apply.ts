// `apply`: plan afresh, check the safety rails, then make the tailnet match the file (contract.md §2).
// Exit 0 when the tailnet matches the file afterwards; 1 when a rail refused (nothing written, and the
// refused plan is shown in text and markdown) or when any change failed (the report says which).
import { applyConfig, ApplyRefusedError } from '../apply/index.js';
import type { ApplyEvent, ApplyReport } from '../domain/apply-report.js';
import { nowFlag, atNow } from './now.js';
import { UsageError } from '../errors.js';
import { EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { renderApplyReportJson } from '../render/report-json.js';
import { renderApplyReportMarkdown } from '../render/report-markdown.js';
import { renderApplyReportText } from '../render/report-text.js';
import {
  configPath,
  emit,
  flag,
  isSet,
  note,
  OutputLostError,
  resolvePath,
  useColor,
  type CommandContext,
} from './context.js';
import { renderPlan } from './plan.js';
import { policyFileOptionsFor, refuseOutOntoInputs } from './input-files.js';
import { withConfigAndEarlyClient } from '../engine/reads-first.js';
import { tailnetPort } from './session.js';
import { checkSavedPlanInputs, readSavedPlan } from './saved-plan.js';

export function parseMaxChanges(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--max-changes must be a whole number of changes (0 or more), not "${value}"`);
  }
  return n;
}

function renderReport(ctx: CommandContext, report: ApplyReport, shownConfig: string): string {
  switch (ctx.args.format) {
    case 'json':
      return renderApplyReportJson(report);
    case 'markdown':
      return renderApplyReportMarkdown(report, { configPath: shownConfig });
    case 'text':
      return renderApplyReportText(report, { color: useColor(ctx), configPath: shownConfig });
  }
}

export async function runApply(ctx: CommandContext): Promise<number> {
  const shown = configPath(ctx);
  const maxChanges = parseMaxChanges(flag(ctx, 'max-changes'));
  const now = nowFlag(ctx);
  await refuseOutOntoInputs(ctx, shown);
  // A saved plan is read and checked before anything else: a damaged or newer one costs no API call.
  const savedPlan = await readSavedPlan(ctx);
  // The report comes at the end; a conflict is worth a word while it happens (it adds a wait).
  const onProgress = (event: ApplyEvent): void => {
    if (event.type === 'policy-conflict')
      note(ctx, `The policy file changed since it was read (attempt ${event.attempt}); reading it again.`);
  };
  const options = { force: isSet(ctx, 'force'), onProgress, ...(maxChanges === undefined ? {} : { maxChanges }) };
  let report: ApplyReport;
  try {
    // Users, policy and the key's owner are requested first, and the file parsed while they are on their way.
    report = await withConfigAndEarlyClient(
      { path: resolvePath(ctx, shown), shown },
      tailnetPort(ctx),
      { keyOwner: true },
      async (config, text) => {
        const policyFile = await policyFileOptionsFor(ctx, atNow(config, now), resolvePath(ctx, shown));
        const guard = savedPlan ? checkSavedPlanInputs(ctx, savedPlan, config, shown, text, policyFile) : undefined;
        return { policyFile, guard };
      },
      (config, { policyFile, guard }, client, early) =>
        applyConfig(atNow(config, now), client, {
          ...options,
          ...(policyFile ? { policyFile } : {}),
          ...(guard ? { savedPlan: guard } : {}),
          ...(early ? { started: early.live, ...(early.keyOwner ? { keyOwner: early.keyOwner } : {}) } : {}),
        }),
    );
  } catch (error) {
    // What would have been done, next to why it was not. JSON output stays a report or nothing.
    if (error instanceof ApplyRefusedError && ctx.args.format !== 'json')
      await emitOrSay(ctx, renderPlan(ctx, error.plan, shown, error.policyFile, error.refusals.length, true));
    throw error;
  }
  const outcome = report.converged ? EXIT_OK : EXIT_ERROR;
  const text = renderReport(ctx, report, shown);
  try {
    await emit(ctx, text);
  } catch (error) {
    if (!(error instanceof OutputLostError)) throw error;
    // The tailnet has changed: the record of what changed goes to standard error rather than nowhere,
    // and the exit code still says whether the tailnet matches the file.
    note(ctx, `error: ${error.message}. The apply itself went ahead; its report follows.`);
    note(ctx, text.replace(/\n$/, ''));
  }
  return outcome;
}

/** The refused plan, shown if it can be: the refusal itself, on standard error, is what matters. */
async function emitOrSay(ctx: CommandContext, text: string): Promise<void> {
  try {
    await emit(ctx, text);
  } catch (error) {
    if (!(error instanceof OutputLostError)) throw error;
    note(ctx, `error: ${error.message}`);
  }
}
