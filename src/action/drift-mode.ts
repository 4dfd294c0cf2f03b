// mode: drift (schedule): plan as a report. Drift fails the job (unless fail-on-drift: false) and keeps
// one open issue per tailnet and config up to date; a clean run closes it with a comment. Under
// settings.policyFile a live policy other than the file is drift too, and an edit made outside git
// since the last apply is shown with what it changed.
import * as core from '@actions/core';
import { DRIFT_LABEL, syncDriftIssue, type DriftIssueState } from '../github/drift-issue.js';
import { deniedWarning, GitHubApiError, MAX_BODY_LENGTH } from '../github/errors.js';
import { fitSummary, writeJobSummary } from '../github/job-summary.js';
import { annotate, pathFindings, positioned } from '../github/annotations.js';
import { escapeControls, escapeMarkdownInline, inlineCode } from '../escape.js';
import { countChanges, describeCounts, tailnetLabel } from '../render/format.js';
import type { Plan } from '../domain/plan.js';
import { hasPendingChanges } from '../policy-file/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { policyPlanSummary } from '../render/plan-policy-file.js';
import { redact } from '../secrets.js';
import { githubFor, markerFor } from './github.js';
import { log } from './log.js';
import { planSummaryLine, setPlanOutputs } from './outputs.js';
import { readActionPlan } from './plan-read.js';
import { planMarkdown, planText } from './plan-views.js';
import type { ActionSettings } from './settings.js';

const HEADING = 'tailnet-access drift';

/** `tailnet T1234CNTRL`; the credential's own tailnet only when the read did not learn its ID. */
function tailnetName(plan: Plan): string {
  const label = tailnetLabel(plan);
  return label === '-' ? "the credential's own tailnet" : `tailnet ${label}`;
}

export function driftIssueTitle(plan: Plan, configPath: string): string {
  return escapeControls(`Tailnet access drift: ${tailnetName(plan)} differs from ${configPath}`);
}

const EXPLANATION =
  'The live tailnet no longer matches the file: someone changed roles, groups or the policy in the admin console, ' +
  'or a merged change was not applied. ' +
  'Run the apply workflow to put the file back in force, or change the file to match and merge that. This issue ' +
  'is updated by each drift run and closed by the first run that finds no drift.';

function issueBody(
  settings: ActionSettings,
  plan: Plan,
  policyFile: PolicyFilePlan | undefined,
  marker: string,
): string {
  const explanation = escapeMarkdownInline(EXPLANATION);
  const configPath = settings.config.shownAs;
  const rendered = planMarkdown(plan, policyFile, {
    configPath,
    heading: HEADING,
    marker,
    maxLength: MAX_BODY_LENGTH - explanation.length - 2,
    ...(settings.github.runUrl ? { runUrl: settings.github.runUrl } : {}),
  });
  return `${rendered}\n${explanation}\n`;
}

function closingComment(settings: ActionSettings, plan: Plan): string {
  const run = settings.github.runUrl ? ` ([workflow run](${settings.github.runUrl}))` : '';
  return (
    `No drift any more: ${escapeMarkdownInline(tailnetName(plan))} matches ${inlineCode(settings.config.shownAs)} ` +
    `again${run}. Closing.`
  );
}

async function keepIssue(settings: ActionSettings, plan: Plan, policyFile: PolicyFilePlan | undefined): Promise<void> {
  if (!settings.driftIssue) return;
  const github = githubFor(settings);
  if (github === undefined) {
    log.warning(
      'no github-token (or no GITHUB_REPOSITORY): the drift issue is not kept; the report is in the job summary',
    );
    return;
  }
  const marker = markerFor('drift', settings);
  const drift = hasPendingChanges({ plan }, policyFile);
  const state: DriftIssueState = drift
    ? { drift, body: redact(issueBody(settings, plan, policyFile, marker)) }
    : { drift, closingComment: redact(closingComment(settings, plan)) };
  try {
    const result = await syncDriftIssue(
      await github(),
      { marker, title: redact(driftIssueTitle(plan, settings.config.shownAs)) },
      state,
    );
    if (result.action !== 'none') log.info(`Drift issue ${result.action}${result.url ? `: ${result.url}` : ''}`);
    if (result.labelMissing)
      log.warning(
        `GitHub did not set the ${DRIFT_LABEL} label on ${result.url ?? 'the drift issue'}, so later runs cannot ` +
          `find it: the token needs \`permissions: issues: write\``,
      );
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    log.warning(deniedWarning('could not keep the drift issue', error, 'issues: write'));
  }
}

/** What differs, and what applying would do about it. */
function driftSubject(configPath: string, plan: Plan, policyFile: PolicyFilePlan | undefined): string {
  if (!policyFile) return `${configPath}; applying the file would mean ${describeCounts(countChanges(plan.changes))}`;
  const edited =
    policyFile.manualEdit && !policyFile.manualEdit.kept ? ' (the live policy was edited outside git)' : '';
  return (
    `${configPath} and ${policyFile.file}${edited}; applying would mean: ` +
    `${policyPlanSummary(plan, policyFile, configPath).rest.replace(/\.$/, '')}`
  );
}

export async function runDriftMode(settings: ActionSettings): Promise<void> {
  const configPath = settings.config.shownAs;
  const runUrl = settings.github.runUrl;
  const { read } = await readActionPlan(settings, { validate: false });
  const { plan, policyFile } = read;
  log.block(planText(plan, policyFile, configPath));
  annotate(positioned(pathFindings('warning', plan.warnings)));
  await log.phase('Report: outputs, job summary and drift issue', async () => {
    await setPlanOutputs(settings, { plan, policyFile, summary: planSummaryLine(plan, configPath, policyFile) });
    await writeJobSummary(
      fitSummary((maxLength) => planMarkdown(plan, policyFile, { configPath, runUrl, heading: HEADING, maxLength })),
    );
    await keepIssue(settings, plan, policyFile);
  });
  if (!hasPendingChanges({ plan }, policyFile)) return;
  const message = `Drift: ${tailnetName(plan)} differs from ${driftSubject(configPath, plan, policyFile)}.`;
  if (settings.failOnDrift) core.setFailed(redact(message));
  else log.warning(`${message} fail-on-drift is false, so the job succeeds.`);
}
