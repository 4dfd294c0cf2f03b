// mode: plan (pull_request): the plan in the log, the job summary and the outputs, and, on a pull
// request, in the sticky comment; problems become annotations at their lines and fail the check.
// Under settings.policyFile the plan shows the whole policy diff and Tailscale's verdict, and its
// problems (a file not rendered, a rule Tailscale refuses) are annotated on the policy file.
import { annotate, pathFindings, positioned } from '../github/annotations.js';
import { fitSummary, writeJobSummary } from '../github/job-summary.js';
import { MAX_BODY_LENGTH } from '../github/errors.js';
import { describeFailure, failureMarkdown } from './failure.js';
import { log } from './log.js';
import { planSummaryLine, setPlanOutputs } from './outputs.js';
import { readActionPlan } from './plan-read.js';
import { planMarkdown, planText } from './plan-views.js';
import { cannotPlan, checkFilesOnly, stickyComment } from './pull-request.js';
import { reviewedMarker } from './review.js';
import type { ActionSettings } from './settings.js';

export async function runPlanMode(settings: ActionSettings): Promise<void> {
  const untrusted = cannotPlan(settings);
  if (untrusted) {
    await checkFilesOnly(settings, untrusted);
    return;
  }
  const configPath = settings.config.shownAs;
  const runUrl = settings.github.runUrl;
  const sticky = stickyComment(settings);
  try {
    const { read } = await readActionPlan(settings, { validate: true });
    const { plan, policyFile } = read;
    log.block(planText(plan, policyFile, configPath));
    annotate(positioned(pathFindings('warning', plan.warnings)));
    await log.phase('Report: outputs, job summary and pull request comment', async () => {
      await setPlanOutputs(settings, { plan, policyFile, summary: planSummaryLine(plan, configPath, policyFile) });
      await writeJobSummary(
        fitSummary((maxLength) => planMarkdown(plan, policyFile, { configPath, runUrl, maxLength })),
      );
      // The marker carries the plan's digest: the apply after merge checks that it applies this plan.
      const marker = sticky ? reviewedMarker(sticky.marker, plan, policyFile) : undefined;
      if (sticky && marker)
        await sticky.post(planMarkdown(plan, policyFile, { configPath, runUrl, marker, maxLength: MAX_BODY_LENGTH }));
    });
  } catch (error) {
    // The comment turns into the error, so the PR never shows a plan that is no longer true.
    if (sticky) {
      const report = describeFailure(error, configPath);
      await sticky.post(
        failureMarkdown(report, {
          heading: 'tailnet-access plan',
          configPath,
          runUrl,
          marker: sticky.marker,
          maxLength: MAX_BODY_LENGTH,
        }),
      );
    }
    throw error;
  }
}
