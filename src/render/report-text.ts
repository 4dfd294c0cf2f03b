// The apply report for a terminal, in the plan's manner: what was applied (+/~/- as in the plan), what
// failed and why, what was skipped, the policy file's fate and its ETag, the warnings, under
// settings.policyFile the policy file's section, one summary line.
import type { ApplyReport } from '../domain/apply-report.js';
import { escapeControls } from '../escape.js';
import type { PlanSection, Sign } from './format.js';
import { changeLabel, tailnetLabel } from './format.js';
import { shortEtag } from '../domain/policy.js';
import { policyFileReportSummary, renderPolicyFileReportText } from './report-policy-file.js';
import {
  describeApplied,
  describeOutcome,
  etagAfter,
  failuresOf,
  policySummary,
  reportState,
  sectionsOf,
} from './report-format.js';

export interface ReportTextOptions {
  /** ANSI colours; the CLI passes `process.stdout.isTTY && !NO_COLOR`. */
  color: boolean;
  /** Named in the summary line. Default `tailnet-access.yaml`. */
  configPath?: string;
}

const ANSI = { green: '\x1b[32m', yellow: '\x1b[33m', red: '\x1b[31m', bold: '\x1b[1m', reset: '\x1b[0m' };
const SIGN_COLOR: Record<Sign, string> = { '+': ANSI.green, '~': ANSI.yellow, '-': ANSI.red };

export function renderApplyReportText(report: ApplyReport, options: ReportTextOptions): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${ANSI.reset}` : text);
  const config = escapeControls(options.configPath ?? 'tailnet-access.yaml');
  const before = shortEtag(report.plan.policyEtag);
  const after = shortEtag(etagAfter(report));
  const etag =
    report.policy?.status === 'written' || report.policy?.status === 'matched'
      ? `${shortEtag(report.policy.etagBefore)} -> ${after}`
      : before;
  const out: string[] = [`Tailnet: ${escapeControls(tailnetLabel(report))}, policy ETag: ${escapeControls(etag)}`, ''];

  const listing = (sections: PlanSection[], indent: string): void => {
    for (const section of sections) {
      out.push(`${indent}${section.title}:`);
      for (const entry of section.entries) {
        for (const line of entry)
          out.push(
            `${indent}${line.depth === 0 ? '  ' : '      '}${paint(SIGN_COLOR[line.sign], line.sign)} ${line.text}`,
          );
      }
    }
  };

  if (report.applied.length > 0) {
    out.push(`${paint(ANSI.green, 'Applied')}:`);
    listing(sectionsOf(report, report.applied), '  ');
    out.push('');
  }

  const failures = failuresOf(report);
  if (report.failed.length > 0) {
    out.push(`${paint(ANSI.red, 'Failed')}:`);
    for (const { change, error } of failures.roles) {
      out.push(`  ${paint(ANSI.red, 'x')} ${escapeControls(changeLabel(change))}`);
      out.push(`      ${escapeControls(error)}`);
    }
    for (const group of failures.groups) {
      out.push(
        `  ${paint(ANSI.red, 'x')} ` +
          `${group.changes.length === 1 ? '1 group change' : `${group.changes.length} group changes`} (the policy ` +
          `file was not written):`,
      );
      listing(sectionsOf(report, group.changes), '    ');
      out.push(`      ${escapeControls(group.error)}`);
      for (const line of group.details) out.push(`        ${escapeControls(line)}`);
    }
    out.push('');
  }

  if (report.skipped.length > 0) {
    out.push(`${paint(ANSI.yellow, 'Skipped')}:`);
    for (const { change, reason } of report.skipped) {
      out.push(`  ${paint(ANSI.yellow, '-')} ${escapeControls(changeLabel(change))}`);
      out.push(`      ${escapeControls(reason)}`);
    }
    out.push('');
  }

  const policy = policySummary(report.policy);
  if (policy !== undefined) {
    const etags = policy.etags ? `; ETag ${shortEtag(policy.etags.before)} -> ${shortEtag(policy.etags.after)}` : '';
    out.push(`Policy file: ${policy.text}${escapeControls(etags)}`, '');
  }

  if (report.warnings.length > 0) {
    out.push('Warnings:');
    for (const warning of report.warnings) {
      const where = warning.path === undefined ? '' : `${escapeControls(warning.path)}: `;
      out.push(`  ${paint(ANSI.yellow, '!')} ${where}${escapeControls(warning.message)}`);
    }
    out.push('');
  }

  if (report.policyFile) out.push(renderPolicyFileReportText(report, options).replace(/\n$/, ''), '');

  switch (reportState(report)) {
    case 'no-changes':
      out.push(
        policyFileReportSummary(report, {
          color: options.color,
          configPath: options.configPath ?? 'tailnet-access.yaml',
        }) ?? `${paint(ANSI.bold + ANSI.green, 'No changes.')} The tailnet matches ${config}.`,
      );
      break;
    case 'complete':
      out.push(
        `${paint(ANSI.bold + ANSI.green, 'Apply complete:')} ${describeApplied(report)}. The tailnet matches ` +
          `${config}.`,
      );
      break;
    case 'incomplete':
      out.push(
        `${paint(ANSI.bold + ANSI.red, 'Apply incomplete:')} ${describeOutcome(report)}. The tailnet does not ` +
          `match ${config} yet: fix what failed, then run apply again.`,
      );
  }
  return `${out.join('\n')}\n`;
}
