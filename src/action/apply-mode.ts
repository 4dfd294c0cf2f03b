// mode: apply (push to the default branch): plan afresh and make the tailnet match the file. A push
// to any other branch is a notice and nothing else: only reviewed, merged files are applied. Under
// settings.policyFile the repository's policy file is written whole, and the policy as applied is
// recorded as a deployment of the commit, so the next run can tell an edit made outside git.
import * as core from '@actions/core';
import { applyConfig, ApplyRefusedError, type ApplyOptions } from '../apply/index.js';
import type { LoadedConfig } from '../config/load.js';
import type { ApplyEvent, ApplyReport } from '../domain/apply-report.js';
import { annotate, pathFindings, positioned } from '../github/annotations.js';
import { fitSummary, writeJobSummary } from '../github/job-summary.js';
import { escapeMarkdownInline } from '../escape.js';
import { describeApplied, describeOutcome } from '../render/report-format.js';
import { renderApplyReportMarkdown } from '../render/report-markdown.js';
import { renderApplyReportText } from '../render/report-text.js';
import { lineCounts } from '../render/plan-policy-file.js';
import { redact } from '../secrets.js';
import { branchOf } from './event.js';
import { log } from './log.js';
import { planSummaryLine, setPlanOutputs } from './outputs.js';
import { withActionFiles } from './plan-read.js';
import { refusedPolicyFileFindings } from './policy-file.js';
import { findReview, logReview, ReviewGuard, unreviewedMarkdown } from './review.js';
import { githubFor, markerFor } from './github.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import { deniedWarning, GitHubApiError } from '../github/errors.js';
import type { ActionSettings } from './settings.js';

/** Why this run must not apply, or undefined when it is on the default branch. */
export function notOnDefaultBranch(settings: ActionSettings): string | undefined {
  const { ref, defaultBranch } = settings.event;
  const branch = branchOf(ref);
  if (branch !== undefined && defaultBranch !== undefined && branch === defaultBranch) return undefined;
  const where =
    branch === undefined
      ? `this run is for ${ref ?? 'an unknown ref'}, not a branch`
      : `this run is for the branch ${branch}`;
  const target =
    defaultBranch === undefined
      ? 'the default branch (which the event does not name)'
      : `the default branch, ${defaultBranch}`;
  return (
    `Not applying: ${where}, and tailnet-access applies only from ${target}, after review. Merge the change to ` +
    `apply it.`
  );
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function progress(event: ApplyEvent): void {
  switch (event.type) {
    case 'role-changed':
      log.info(`Changed the role of ${event.change.login}: ${event.change.from} -> ${event.change.to}`);
      break;
    case 'role-failed':
      log.warning(`Could not change the role of ${event.change.login}: ${event.error}`);
      break;
    case 'status-changed':
      log.info(`${event.change.login}: ${event.change.type.slice('user.'.length)} done`);
      break;
    case 'status-failed':
      log.warning(`Could not ${event.change.type.slice('user.'.length)} ${event.change.login}: ${event.error}`);
      break;
    case 'invites-sent':
      log.info(
        `Invited ${plural(event.changes.length, 'user', 'users')} to the tailnet: ` +
          `${event.changes.map((c) => `${c.login} (${c.role})`).join(', ')}`,
      );
      break;
    case 'invites-failed':
      log.warning(`Could not send the ${plural(event.count, 'invite', 'invites')}: ${event.error}`);
      break;
    case 'policy-conflict':
      log.info(`The policy file changed while applying (attempt ${event.attempt}); reading it again`);
      break;
    case 'policy-written':
      log.info(`Wrote the policy file; its ETag is now ${event.etag}`);
      break;
    case 'planned':
      break;
    default: {
      // A new kind of event must be given its line here: this fails to compile until it is.
      const unhandled: never = event;
      throw new TypeError(`unhandled apply event ${JSON.stringify(unhandled)}`);
    }
  }
}

/** "2 changes applied, 1 failed", and whether the policy file was written when its write failed. */
function incomplete(report: ApplyReport): string {
  const file = report.policyFile;
  return `${describeOutcome(report)}${file && report.policy?.status === 'failed' ? `; ${file.file} not written` : ''}`;
}

/** The `summary` output: what was applied, the policy file's write included. */
export function applySummaryLine(report: ApplyReport, configPath: string): string {
  const file = report.policyFile;
  const status = report.policy?.status;
  if (!report.converged) return `Apply incomplete: ${incomplete(report)}.`;
  const written =
    file && status === 'written' ? `${file.file} written (${lineCounts(file.added, file.removed)})` : undefined;
  if (report.plan.changes.length > 0) return `Applied: ${describeApplied(report)}${written ? `; ${written}` : ''}.`;
  if (written) return `Applied: ${written}.`;
  return file
    ? `No changes: the tailnet matches ${configPath} and ${file.file}.`
    : planSummaryLine(report.plan, configPath);
}

export async function runApplyMode(settings: ActionSettings): Promise<void> {
  const refusal = notOnDefaultBranch(settings);
  if (refusal !== undefined) {
    log.notice(refusal);
    await writeJobSummary(`### tailnet-access apply skipped\n\n${escapeMarkdownInline(refusal)}\n`);
    core.setOutput('summary', refusal);
    return;
  }
  const configPath = settings.config.shownAs;
  const runUrl = settings.github.runUrl;
  // Set when the files are read: the refusal below is annotated on them.
  let read: { config: LoadedConfig; guard: ReviewGuard | undefined } | undefined;
  let report: ApplyReport;
  try {
    // Users, policy and the key's owner are requested first, and the files read while they are on their way.
    // Apply reads the tailnet and plans afresh itself, right before its first write.
    report = await withActionFiles(
      settings,
      { keyOwner: true },
      async (config) => {
        // On a push, the plan applied is compared with the one reviewed on the pull request it came from.
        const guard =
          settings.event.name === 'push'
            ? new ReviewGuard(
                await log.phase('Find the plan reviewed on the pull request', () => findReview(settings)),
                config.desired.settings.onUnreviewedChanges,
              )
            : undefined;
        read = { config, guard };
        return guard;
      },
      ({ config, policyFile, prepared: guard }, client, reads) => {
        const options: ApplyOptions = {
          force: settings.force,
          onProgress: progress,
          ...(settings.maxChanges === undefined ? {} : { maxChanges: settings.maxChanges }),
          ...(policyFile ? { policyFile } : {}),
          ...(guard ? { savedPlan: guard } : {}),
          ...(reads ? { started: reads.live, ...(reads.keyOwner ? { keyOwner: reads.keyOwner } : {}) } : {}),
        };
        return log.phase('Read the tailnet, plan and apply', () => applyConfig(config, client, options));
      },
    );
  } catch (error) {
    // The refusal lists its reasons; those in the policy file also go on its lines.
    if (read && error instanceof ApplyRefusedError && error.policyFile)
      annotate(refusedPolicyFileFindings(error.policyFile, read.config.desired.settings.onManualEdits));
    if (read?.guard && error instanceof ApplyRefusedError && error.rail === 'reviewed-plan')
      await reportUnreviewed(settings, read.guard, false);
    throw error;
  }
  const guard = read?.guard;
  log.block(renderApplyReportText(report, { color: false, configPath }));
  annotate(positioned(pathFindings('warning', report.warnings)));
  // Not about a line of a file, but about the workflow's permissions: worth an annotation all the same.
  for (const warning of report.warnings) if (warning.code === 'policy.state-not-saved') log.warning(warning.message);
  if (guard) {
    logReview(guard);
    if (guard.unreviewed.length > 0) await reportUnreviewed(settings, guard, true);
  }
  const hasChanges = report.plan.changes.length > 0 || report.policy !== undefined;
  await log.phase('Report: outputs and job summary', async () => {
    await setPlanOutputs(settings, { plan: report.plan, summary: applySummaryLine(report, configPath), hasChanges });
    await writeJobSummary(
      fitSummary((maxLength) =>
        renderApplyReportMarkdown(report, { configPath, maxLength, ...(runUrl ? { runUrl } : {}) }),
      ),
    );
  });
  if (!report.converged)
    core.setFailed(
      redact(
        `Apply did not finish: ${incomplete(report)}. The job summary says what failed and why; run apply again ` +
          `once it is fixed.`,
      ),
    );
}

/**
 * Changes nobody reviewed: a warning, the job summary, and a comment on the merged pull request (one per config, edited
 * on a re-run).
 */
async function reportUnreviewed(settings: ActionSettings, guard: ReviewGuard, applied: boolean): Promise<void> {
  const markdown = unreviewedMarkdown(guard, applied);
  const review = guard.review;
  const why =
    review.reviewed === undefined
      ? review.why
      : `the plan differs from the one reviewed on pull request #${review.pr.number}`;
  if (applied)
    log.warning(
      `Applied ${plural(guard.unreviewed.length, 'change', 'changes')} nobody reviewed (${why}): ` +
        `${guard.unreviewed.join('; ')}`,
    );
  await writeJobSummary(markdown);
  const pr = review.pr;
  const connect = githubFor(settings);
  if (pr === undefined || connect === undefined) return;
  const mark = markerFor('unreviewed', settings);
  try {
    const result = await upsertStickyComment(
      await connect(),
      { number: pr.number, marker: mark },
      redact(`${mark}\n${markdown}`),
    );
    log.info(
      `Unreviewed changes comment ${result.action} on pull request #${pr.number}${result.url ? `: ${result.url}` : ''}`,
    );
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    log.warning(
      deniedWarning(
        `could not comment on pull request #${pr.number} about the unreviewed changes`,
        error,
        'pull-requests: write',
      ),
    );
  }
}
