// mode: apply (push to the default branch): plan afresh and make the tailnet match the file. A push
// to any other branch is a notice and nothing else: only reviewed, merged files are applied.
import * as runner from '../github/runner.js';
import { applyConfig, type ApplyEvent } from '../apply/index.js';
import { loadConfig } from '../config/load.js';
import { annotate, pathFindings, positioned } from '../github/annotations.js';
import { fitSummary, writeJobSummary } from '../github/job-summary.js';
import { escapeMarkdownInline } from '../plan/escape.js';
import { describeApplied, describeOutcome } from '../plan/render-report-format.js';
import { renderApplyReportMarkdown } from '../plan/render-report-markdown.js';
import { renderApplyReportText } from '../plan/render-report-text.js';
import { redact } from '../secrets.js';
import { branchOf } from './event.js';
import { log } from './log.js';
import { planSummaryLine, setPlanOutputs } from './outputs.js';
import { tailnetFor, withTailscale } from './session.js';
import type { ActionSettings } from './settings.js';

/** Why this run must not apply, or undefined when it is on the default branch. */
export function notOnDefaultBranch(settings: ActionSettings): string | undefined {
  const { ref, defaultBranch } = settings.event;
  const branch = branchOf(ref);
  if (branch !== undefined && defaultBranch !== undefined && branch === defaultBranch) return undefined;
  const where = branch === undefined ? `this run is for ${ref ?? 'an unknown ref'}, not a branch` : `this run is for the branch ${branch}`;
  const target = defaultBranch === undefined ? 'the default branch (which the event does not name)' : `the default branch, ${defaultBranch}`;
  return `Not applying: ${where}, and tailnet-access applies only from ${target}, after review. Merge the change to apply it.`;
}

function progress(event: ApplyEvent): void {
  switch (event.type) {
    case 'role-changed':
      log.info(`Changed the role of ${event.change.login}: ${event.change.from} -> ${event.change.to}`);
      break;
    case 'role-failed':
      log.warning(`Could not change the role of ${event.change.login}: ${event.error}`);
      break;
    case 'policy-conflict':
      log.info(`The policy file changed while applying (attempt ${event.attempt}); reading it again`);
      break;
    case 'policy-written':
      log.info(`Wrote the policy file; its ETag is now ${event.etag}`);
      break;
    case 'planned':
      break;
  }
}

export async function runApplyMode(settings: ActionSettings): Promise<void> {
  const refusal = notOnDefaultBranch(settings);
  if (refusal !== undefined) {
    log.notice(refusal);
    writeJobSummary(`### tailnet-access apply skipped\n\n${escapeMarkdownInline(refusal)}\n`);
    runner.setOutput('summary', refusal);
    return;
  }
  const configPath = settings.config.shownAs;
  const runUrl = settings.github.runUrl;
  const config = await loadConfig(settings.config.path, configPath);
  const options = { force: settings.force, onProgress: progress, ...(settings.maxChanges === undefined ? {} : { maxChanges: settings.maxChanges }) };
  const report = await withTailscale(settings, tailnetFor(settings, config), (client) => applyConfig(config, client, options));
  log.block(renderApplyReportText(report, { color: true, configPath }));
  annotate(positioned(pathFindings('warning', report.warnings)));
  const summary =
    report.plan.changes.length === 0
      ? planSummaryLine(report.plan, configPath)
      : report.converged
        ? `Applied: ${describeApplied(report)}.`
        : `Apply incomplete: ${describeOutcome(report)}.`;
  await setPlanOutputs(settings, report.plan, summary);
  writeJobSummary(fitSummary((maxLength) => renderApplyReportMarkdown(report, { configPath, maxLength, ...(runUrl ? { runUrl } : {}) })));
  if (!report.converged) runner.setFailed(redact(`Apply did not finish: ${describeOutcome(report)}. The job summary says what failed and why; run apply again once it is fixed.`));
}
