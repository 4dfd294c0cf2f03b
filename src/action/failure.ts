// Every failure ends here once: annotations at the positions it knows, the error (and the plan it
// concerns) in the job summary, and a failed step whose message says what to do. The sticky PR
// comment shows the same title and lines.
import * as core from '@actions/core';
import { ApplyRefusedError } from '../apply/errors.js';
import { ConfigFileError } from '../config/load.js';
import { DiagnosticsError, formatDiagnostic } from '../diagnostics.js';
import { RefusedError, UsageError } from '../errors.js';
import { annotate, diagnosticFindings, parseSourceRef, pathFindings, type Finding } from '../github/annotations.js';
import { fitSummary, writeJobSummary } from '../github/job-summary.js';
import { ActionsSecretError, GitHubApiError } from '../github/errors.js';
import { POLICY_REJECTED } from '../plan/candidate.js';
import { renderErrorMarkdown, renderPlanMarkdown } from '../render/plan-markdown.js';
import type { Plan } from '../domain/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { escapeControlsByLine } from '../escape.js';
import { redact } from '../secrets.js';
import { PolicyRejectedError, TailscaleError } from '../tailscale/client.js';
import { LivePolicyError } from '../tailscale/live.js';
import { PlanProblemsError, policyDataLines } from './errors.js';
import { setFailureOutputs } from './outputs.js';
import type { ActionSettings } from './settings.js';

export interface FailureReport {
  /** One line: what failed. */
  title: string;
  /** The details, shown in a code block. */
  lines: string[];
  /** Positions to annotate (their messages are in `lines` too). */
  findings: Finding[];
  /** The plan the failure concerns, shown beside it in the job summary. */
  plan?: Plan;
  /** Under settings.policyFile: the policy file's part of that plan (its diff, an edit made outside git). */
  policyFile?: PolicyFilePlan;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const linesOf = (error: Error): string[] => error.message.split('\n');

/** The files named, each once, in order (`tailnet-access.yaml and policy.hujson`); `fallback` when none is. */
function filesOf(files: readonly (string | undefined)[], fallback: string): string {
  const named = [...new Set(files.filter((f) => f !== undefined))];
  return named.length === 0 ? fallback : named.join(' and ');
}

export function describeFailure(error: unknown, configShown: string): FailureReport {
  if (error instanceof DiagnosticsError) {
    const n = error.diagnostics.length;
    return {
      title: `${plural(n, 'problem', 'problems')} in ${filesOf(error.diagnostics.map((d) => d.file), configShown)}; nothing was read from or written to the tailnet`,
      lines: error.diagnostics.map(formatDiagnostic),
      findings: diagnosticFindings(error.diagnostics),
    };
  }
  if (error instanceof PlanProblemsError) {
    const rejected = error.problems.every((p) => p.code === POLICY_REJECTED);
    const report: FailureReport = {
      title: rejected
        ? "Tailscale's validator rejects the policy file this plan would write"
        : `The plan cannot be carried out: fix the ${plural(error.problems.length, 'problem', 'problems')} in ${filesOf(error.problems.map((p) => parseSourceRef(p.path)?.file), configShown)}`,
      lines: error.problems.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`),
      findings: pathFindings('error', error.problems),
      plan: error.plan,
    };
    if (error.policyFile) report.policyFile = error.policyFile;
    return report;
  }
  if (error instanceof PolicyRejectedError) {
    return { title: 'Tailscale rejected the policy file', lines: [...linesOf(error), ...policyDataLines(error.data ?? [])], findings: [] };
  }
  if (error instanceof RefusedError) {
    // The rails speak the CLI's flags; in a workflow they are inputs of the same names.
    const flags = /--(force|max-changes)\b/.test(error.message) ? ['(In the action, --max-changes N is the max-changes input and --force is force: true.)'] : [];
    const report: FailureReport = { title: `Refused by the ${error.rail} safety rail`, lines: [...linesOf(error), ...flags], findings: [] };
    if (error instanceof ApplyRefusedError) {
      report.plan = error.plan;
      if (error.policyFile) report.policyFile = error.policyFile;
    }
    return report;
  }
  // The config file, or the policy file it names: the title says which.
  if (error instanceof ConfigFileError) return { title: `Cannot read ${error.path}`, lines: linesOf(error), findings: [] };
  const titles: [new (...args: never[]) => Error, string][] = [
    [UsageError, 'The action is not set up correctly'],
    [LivePolicyError, "The tailnet's policy file cannot be read"],
    [TailscaleError, 'A Tailscale API call failed'],
    [GitHubApiError, 'A GitHub API call failed'],
    [ActionsSecretError, 'Storing the secret in GitHub failed'],
  ];
  for (const [type, title] of titles) {
    if (error instanceof type) return { title, lines: linesOf(error), findings: [] };
  }
  if (error instanceof Error) {
    const stack = core.isDebug() && error.stack ? error.stack.split('\n').slice(1) : [];
    return { title: 'Unexpected error', lines: [...linesOf(error), ...stack], findings: [] };
  }
  return { title: 'Unexpected error', lines: [String(error)], findings: [] };
}

export interface FailureMarkdownOptions {
  /** Plain text, e.g. `tailnet-access plan`. */
  heading: string;
  configPath: string;
  runUrl?: string | undefined;
  marker?: string;
  maxLength: number;
}

/** The error, then (with half the room) the plan it concerns. */
export function failureMarkdown(report: FailureReport, options: FailureMarkdownOptions): string {
  const { heading, configPath, runUrl, marker, maxLength } = options;
  // The run is linked once, at the very end.
  const link = runUrl ? { runUrl } : {};
  if (!report.plan) return renderErrorMarkdown(report.title, report.lines, { ...link, ...(marker ? { marker } : {}), heading, maxLength });
  const error = renderErrorMarkdown(report.title, report.lines, { ...(marker ? { marker } : {}), heading, maxLength: Math.floor(maxLength / 2) });
  const planOptions = { ...link, configPath, heading: 'The plan it concerns', maxLength: maxLength - error.length - 1 };
  const plan = renderPlanMarkdown(report.plan, { ...planOptions, policyFile: report.policyFile });
  return `${error}\n${plan}`;
}

export async function reportFailure(error: unknown, settings: ActionSettings | undefined): Promise<void> {
  const configPath = settings?.config.shownAs ?? 'tailnet-access.yaml';
  const report = describeFailure(error, configPath);
  // Messages can quote a server or a file; the log viewer is shown their controls, never sent them.
  annotate(report.findings.map((finding) => ({ ...finding, message: escapeControlsByLine(finding.message) })));
  const warn = (what: string, failure: unknown): void =>
    core.warning(escapeControlsByLine(redact(`could not ${what}: ${failure instanceof Error ? failure.message : String(failure)}`)));
  try {
    const heading = `tailnet-access ${settings?.mode ?? ''}`.trim();
    await writeJobSummary(fitSummary((maxLength) => failureMarkdown(report, { heading, configPath, runUrl: settings?.github.runUrl, maxLength })));
  } catch (summaryError) {
    warn('write the job summary', summaryError);
  }
  if (settings) await setFailureOutputs(settings, report).catch((outputError: unknown) => warn('set the outputs', outputError));
  // With annotations at their lines, the failure itself need only say what they add up to.
  const message = report.findings.length > 0 ? report.title : `${report.title}: ${report.lines.join('\n')}`;
  core.setFailed(escapeControlsByLine(redact(message)));
}
