// Every failure ends here once: annotations at the positions it knows, the error (and the plan it
// concerns) in the job summary, and a failed step whose message says what to do. The sticky PR
// comment shows the same title and lines.
import * as core from '@actions/core';
import { classifyFailure, type Failure } from '../engine/failure.js';
import { annotate, diagnosticFindings, pathFindings, type Finding } from '../github/annotations.js';
import { fitSummary, writeJobSummary } from '../github/job-summary.js';
import { renderErrorMarkdown, renderPlanMarkdown } from '../render/plan-markdown.js';
import { escapeControlsByLine } from '../escape.js';
import { redact } from '../secrets.js';
import { setFailureOutputs } from './outputs.js';
import type { ActionSettings } from './settings.js';

export interface FailureReport extends Failure {
  /** Positions to annotate (their messages are in `lines` too). */
  findings: Finding[];
}

/** The engine's classification, with the positions to annotate and the action's own words for its inputs. */
export function describeFailure(error: unknown, configShown: string): FailureReport {
  const failure = classifyFailure(error, configShown, core.isDebug());
  const findings = failure.diagnostics
    ? diagnosticFindings(failure.diagnostics)
    : failure.problems
      ? pathFindings('error', failure.problems)
      : [];
  const report: FailureReport = { ...failure, findings };
  if (failure.kind === 'usage') report.title = 'The action is not set up correctly';
  // The rails speak the CLI's flags; in a workflow they are inputs of the same names.
  if (failure.kind === 'refused' && failure.lines.some((line) => /--(force|max-changes)\b/.test(line))) {
    report.lines = [
      ...failure.lines,
      '(In the action, --max-changes N is the max-changes input and --force is force: true.)',
    ];
  }
  return report;
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
export function failureMarkdown(
  report: Pick<Failure, 'title' | 'lines' | 'plan' | 'policyFile'>,
  options: FailureMarkdownOptions,
): string {
  const { heading, configPath, runUrl, marker, maxLength } = options;
  // The run is linked once, at the very end.
  const link = runUrl ? { runUrl } : {};
  if (!report.plan)
    return renderErrorMarkdown(report.title, report.lines, {
      ...link,
      ...(marker ? { marker } : {}),
      heading,
      maxLength,
    });
  const error = renderErrorMarkdown(report.title, report.lines, {
    ...(marker ? { marker } : {}),
    heading,
    maxLength: Math.floor(maxLength / 2),
  });
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
    core.warning(
      escapeControlsByLine(
        redact(`could not ${what}: ${failure instanceof Error ? failure.message : String(failure)}`),
      ),
    );
  try {
    const heading = `tailnet-access ${settings?.mode ?? ''}`.trim();
    await writeJobSummary(
      fitSummary((maxLength) =>
        failureMarkdown(report, { heading, configPath, runUrl: settings?.github.runUrl, maxLength }),
      ),
    );
  } catch (summaryError) {
    warn('write the job summary', summaryError);
  }
  if (settings)
    await setFailureOutputs(settings, report).catch((outputError: unknown) => warn('set the outputs', outputError));
  // With annotations at their lines, the failure itself need only say what they add up to.
  const message = report.findings.length > 0 ? report.title : `${report.title}: ${report.lines.join('\n')}`;
  core.setFailed(escapeControlsByLine(redact(message)));
}
