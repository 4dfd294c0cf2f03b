// mode: drift (schedule): plan as a report. Drift fails the job (unless fail-on-drift: false) and keeps
// one open issue per tailnet and config up to date; a clean run closes it with a comment.
import * as runner from '../github/runner.js';
import { DRIFT_LABEL, syncDriftIssue, type DriftIssueState } from '../github/drift-issue.js';
import { fitSummary, writeJobSummary } from '../github/job-summary.js';
import { GitHubApiError, MAX_BODY_LENGTH } from '../github/rest.js';
import { escapeControls, escapeMarkdownInline, inlineCode } from '../plan/escape.js';
import { countChanges, describeCounts } from '../plan/format.js';
import { renderPlanMarkdown } from '../plan/render-markdown.js';
import { renderPlanText } from '../plan/render-text.js';
import type { Plan } from '../plan/types.js';
import { redact } from '../secrets.js';
import { githubRest, githubWarning, markerFor } from './github.js';
import { log } from './log.js';
import { planSummaryLine, setPlanOutputs } from './outputs.js';
import { readActionPlan } from './plan-read.js';
import type { ActionSettings } from './settings.js';

const HEADING = 'tailnet-access drift';

function tailnetName(tailnet: string): string {
  return tailnet === '-' ? "the credential's own tailnet" : `tailnet ${tailnet}`;
}

export function driftIssueTitle(tailnet: string, configPath: string): string {
  return escapeControls(`Tailnet access drift: ${tailnetName(tailnet)} differs from ${configPath}`);
}

const EXPLANATION =
  'The live tailnet no longer matches the file: someone changed roles or groups in the admin console, or a merged change was not applied. ' +
  'Run the apply workflow to put the file back in force, or change the file to match and merge that. This issue is updated by each drift run and closed by the first run that finds no drift.';

function issueBody(settings: ActionSettings, plan: Plan, marker: string): string {
  const explanation = escapeMarkdownInline(EXPLANATION);
  const configPath = settings.config.shownAs;
  const rendered = renderPlanMarkdown(plan, {
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
  return `No drift any more: ${escapeMarkdownInline(tailnetName(plan.tailnet))} matches ${inlineCode(settings.config.shownAs)} again${run}. Closing.`;
}

async function keepIssue(settings: ActionSettings, plan: Plan): Promise<void> {
  if (!settings.driftIssue) return;
  const rest = githubRest(settings);
  const repo = settings.github.repository;
  if (rest === undefined || repo === undefined) {
    log.warning('no github-token (or no GITHUB_REPOSITORY): the drift issue is not kept; the report is in the job summary');
    return;
  }
  const marker = markerFor('drift', settings);
  const drift = plan.changes.length > 0;
  const state: DriftIssueState = drift ? { drift, body: redact(issueBody(settings, plan, marker)) } : { drift, closingComment: redact(closingComment(settings, plan)) };
  try {
    const result = await syncDriftIssue(rest, { repo, marker, title: redact(driftIssueTitle(plan.tailnet, settings.config.shownAs)) }, state);
    if (result.action !== 'none') log.info(`Drift issue ${result.action}: ${result.url ?? ''}`);
    if (result.labelMissing) log.warning(`GitHub did not set the ${DRIFT_LABEL} label on ${result.url ?? 'the drift issue'}, so later runs cannot find it: the token needs \`permissions: issues: write\``);
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    log.warning(githubWarning('could not keep the drift issue', error, 'issues: write'));
  }
}

export async function runDriftMode(settings: ActionSettings): Promise<void> {
  const configPath = settings.config.shownAs;
  const runUrl = settings.github.runUrl;
  const { read } = await readActionPlan(settings, { validate: false });
  const plan = read.plan;
  log.block(renderPlanText(plan, { color: true, configPath }));
  await setPlanOutputs(settings, plan, planSummaryLine(plan, configPath));
  writeJobSummary(fitSummary((maxLength) => renderPlanMarkdown(plan, { configPath, runUrl, heading: HEADING, maxLength })));
  await keepIssue(settings, plan);
  if (plan.changes.length === 0) return;
  const message = `Drift: ${tailnetName(plan.tailnet)} differs from ${configPath}; applying the file would mean ${describeCounts(countChanges(plan.changes))}.`;
  if (settings.failOnDrift) runner.setFailed(redact(message));
  else log.warning(`${message} fail-on-drift is false, so the job succeeds.`);
}
