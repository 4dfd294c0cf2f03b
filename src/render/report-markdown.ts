// The apply report as GitHub markdown, for the job summary and the PR comment of the action. Built like
// the plan's (plan-markdown.ts): everything from other people goes through escape.ts, and the body
// stays under `maxLength` by degrading in stages. Failures come first, because they are what someone
// has to act on; long listings collapse into <details>; a report too long even then keeps its counts,
// as many failures as fit in half the room and as many applied changes as fit in the rest. Blocks are
// only ever dropped whole, so no fence or tag is cut open.
import type { ApplyReport } from '../domain/apply-report.js';
import { codeBlock, escapeMarkdownInline, fenceFor, inlineCode } from '../escape.js';
import { countChanges, tailnetLabel } from './format.js';
import { shortEtag } from '../domain/policy.js';
import { commentHead, details, diffLines, joinBlocks as join, RenderOptionsError, runLink } from './markdown-blocks.js';
import { renderPolicyFileReportMarkdown } from './report-policy-file.js';
import {
  describeApplied,
  describeOutcome,
  etagAfter,
  failuresOf,
  policySummary,
  reportState,
  sectionsOf,
} from './report-format.js';
import type { Change, PlanWarning } from '../domain/plan.js';

export interface ReportMarkdownOptions {
  /** The config file, named in the status line. */
  configPath: string;
  /** Plain text (escaped). Default `tailnet-access apply`. */
  heading?: string;
  /** The workflow run, linked at the bottom. Must be http(s). */
  runUrl?: string;
  /** An HTML comment put first, by which a sticky comment is found again. */
  marker?: string;
  /** Default 65,000: below GitHub's 65,536-character limit, with room to spare. */
  maxLength?: number;
  /** Plain text (escaped), said when the report had to be summarised. */
  fullReportHint?: string;
}

const DEFAULT_HINT = 'The full report is in the job summary of the workflow run.';
const COLLAPSE_ABOVE_LINES = 30;
const COLLAPSE_ABOVE_ITEMS = 10;

function checkedHead(
  report: ApplyReport,
  options: ReportMarkdownOptions,
): { maxLength: number; head: (string | undefined)[] } {
  return commentHead(options, 'tailnet-access apply', statusLine(report, options.configPath));
}

function statusLine(report: ApplyReport, configPath: string): string {
  const file = inlineCode(configPath);
  switch (reportState(report)) {
    case 'no-changes':
      return `**No changes.** The tailnet matches ${file}.`;
    case 'complete':
      return `**Applied:** ${escapeMarkdownInline(describeApplied(report))}. The tailnet matches ${file}.`;
    case 'incomplete':
      return (
        `**Apply incomplete:** ${escapeMarkdownInline(describeOutcome(report))}. The tailnet does not match ${file} ` +
        `yet: fix what failed, then run apply again.`
      );
  }
}

/** A change named in a list item: the login and what happens to it, or the group. */
function changeItem(change: Change): string {
  switch (change.type) {
    case 'user.role':
      return `${inlineCode(change.login)} ${escapeMarkdownInline(`${change.from} → ${change.to}`)}`;
    case 'user.invite':
      return `${inlineCode(change.login)} ${escapeMarkdownInline(`invite as ${change.role}`)}`;
    case 'user.suspend':
    case 'user.restore':
    case 'user.approve':
      return `${inlineCode(change.login)} ${escapeMarkdownInline(change.type.slice('user.'.length))}`;
    default:
      return inlineCode(change.group);
  }
}

/** One list item per role failure, one per failed policy write (its group changes named). */
function failureItems(report: ApplyReport): { items: string[]; details: string[] } {
  const { roles, groups } = failuresOf(report);
  const items = roles.map(({ change, error }) => `- ${changeItem(change)}: ${escapeMarkdownInline(error)}`);
  const detailLines: string[] = [];
  for (const group of groups) {
    const names = group.changes.map((c) => inlineCode(c.group)).join(', ');
    items.push(
      `- The policy file was not written, so no group change was made (${names}): ${escapeMarkdownInline(group.error)}`,
    );
    detailLines.push(...group.details);
  }
  return { items, details: detailLines };
}

function failuresBlock(report: ApplyReport, budget = Infinity): string | undefined {
  if (report.failed.length === 0) return undefined;
  const { items, details: lines } = failureItems(report);
  const more = (n: number): string => `- … and ${n} more (see the full report)`;
  const shown: string[] = [];
  let used = 0;
  for (const [i, item] of items.entries()) {
    const rest = items.length - i - 1;
    if (used + item.length + 1 + (rest > 0 ? more(rest).length + 1 : 0) > budget) {
      // Not even one fits: the caller says how many failed instead of "… and N more" of nothing.
      if (i === 0) return undefined;
      shown.push(more(items.length - i));
      break;
    }
    shown.push(item);
    used += item.length + 1;
  }
  const explanation = lines.length > 0 && used + codeBlock(lines).length <= budget ? codeBlock(lines) : undefined;
  return join([`**Failed**`, shown.join('\n'), explanation]).trimEnd();
}

function appliedBlock(report: ApplyReport): string | undefined {
  if (report.applied.length === 0) return undefined;
  const { lines, changes } = diffLines(sectionsOf(report, report.applied));
  const block = codeBlock(lines, 'diff');
  return lines.length > COLLAPSE_ABOVE_LINES
    ? `**Applied**\n\n${details(`All ${changes} applied changes (${lines.length} lines)`, block)}`
    : `**Applied**\n\n${block}`;
}

function skippedBlock(report: ApplyReport): string | undefined {
  if (report.skipped.length === 0) return undefined;
  const items = report.skipped.map(({ change, reason }) => {
    return `- ${changeItem(change)}: ${escapeMarkdownInline(reason)}`;
  });
  const list = items.join('\n');
  return items.length > COLLAPSE_ABOVE_ITEMS
    ? `**Skipped**\n\n${details(`${items.length} skipped changes`, list)}`
    : `**Skipped**\n\n${list}`;
}

function policyBlock(report: ApplyReport): string | undefined {
  const policy = policySummary(report.policy);
  if (policy === undefined) return undefined;
  const etags = policy.etags
    ? `; ETag ${inlineCode(shortEtag(policy.etags.before))} → ${inlineCode(shortEtag(policy.etags.after))}`
    : '';
  return `**Policy file:** ${escapeMarkdownInline(policy.text)}${etags}`;
}

function warningsBlock(warnings: readonly PlanWarning[]): string | undefined {
  if (warnings.length === 0) return undefined;
  const list = warnings
    .map((w) => `- ${w.path === undefined ? '' : `${inlineCode(w.path)} `}${escapeMarkdownInline(w.message)}`)
    .join('\n');
  return warnings.length <= COLLAPSE_ABOVE_ITEMS
    ? `**Warnings**\n\n${list}`
    : details(`${warnings.length} warnings`, list);
}

function warningCounts(warnings: readonly PlanWarning[]): string | undefined {
  if (warnings.length === 0) return undefined;
  const byCode = new Map<string, number>();
  for (const w of warnings) byCode.set(w.code, (byCode.get(w.code) ?? 0) + 1);
  return (
    `**Warnings** (${warnings.length}, too many to list ` +
    `here)\n\n${[...byCode].map(([code, n]) => `- ${inlineCode(code)}: ${n}`).join('\n')}`
  );
}

function countsTable(report: ApplyReport): string {
  const applied = countChanges(report.applied);
  const rows: [string, number][] = [
    ['Role changes applied', applied.roles],
    ['Groups created', applied.create],
    ['Groups updated', applied.update],
    ['Groups deleted', applied.delete],
    ['Changes failed', report.failed.length],
    ['Changes skipped', report.skipped.length],
  ];
  return [
    '| Change | Count |',
    '| --- | ---: |',
    ...rows.filter(([, n]) => n > 0).map(([what, n]) => `| ${what} | ${n} |`),
  ].join('\n');
}

function footer(report: ApplyReport, runUrl: string | undefined): string {
  const before = report.policy?.etagBefore ?? report.plan.policyEtag;
  const after = etagAfter(report);
  const etags =
    before === after ? `policy ETag ${inlineCode(after)}` : `policy ETag ${inlineCode(before)} → ${inlineCode(after)}`;
  const text = `Tailnet ${inlineCode(tailnetLabel(report))}, ${etags}.`;
  return runUrl === undefined ? text : `${text} ${runLink(runUrl)}`;
}

/**
 * The report as markdown within `maxLength`; under settings.policyFile the policy file's part comes
 * after it (its diffs in at most half the room).
 */
export function renderApplyReportMarkdown(report: ApplyReport, options: ReportMarkdownOptions): string {
  const file = report.policyFile;
  if (!file) return reportMarkdown(report, options);
  const max = options.maxLength ?? 65_000;
  const part = renderPolicyFileReportMarkdown(report, file, max);
  return `${reportMarkdown(report, { ...options, maxLength: max - part.length - 1 })}\n${part}`;
}

function reportMarkdown(report: ApplyReport, options: ReportMarkdownOptions): string {
  const { maxLength, head } = checkedHead(report, options);
  const foot = footer(report, options.runUrl);
  const warnings = warningsBlock(report.warnings);
  const policy = policyBlock(report);

  // Stage 1: everything, long listings collapsed.
  const full = join([
    ...head,
    failuresBlock(report),
    appliedBlock(report),
    skippedBlock(report),
    policy,
    warnings,
    foot,
  ]);
  if (full.length <= maxLength) return full;

  // Stage 2: the counts, as many failures as fit in half the room, then as many applied changes as fit.
  const hint = escapeMarkdownInline(options.fullReportHint ?? DEFAULT_HINT);
  const fixed = [...head, countsTable(report), hint, policy];
  const warningsFit = warnings !== undefined && join([...fixed, warnings, foot]).length <= maxLength / 2;
  const shownWarnings = warningsFit ? warnings : warningCounts(report.warnings);
  const counted =
    report.failed.length > 0 ? `**Failed:** ${report.failed.length} (listed in the full report)` : undefined;
  const base = join([...fixed, counted, shownWarnings, foot]).length;
  if (base > maxLength)
    throw new RenderOptionsError(
      `maxLength ${maxLength} is too small for even a summary of the report (${base} characters)`,
    );
  const listed = failuresBlock(report, (maxLength - base) / 2);
  const failures =
    listed !== undefined && join([...fixed, listed, shownWarnings, foot]).length <= maxLength ? listed : counted;
  const withFailures = join([...fixed, failures, shownWarnings, foot]);
  const sections = sectionsOf(report, report.applied);
  const total = report.applied.length;
  const fence = fenceFor(diffLines(sections).lines.join('\n'));
  const wrapper = details(`The first ${total} of ${total} applied changes`, `${fence}diff\n\n${fence}`).length + 2;
  const partial = diffLines(sections, maxLength - withFailures.length - wrapper);
  if (partial.changes === 0) return withFailures;
  const listing = details(`The first ${partial.changes} of ${total} applied changes`, codeBlock(partial.lines, 'diff'));
  return join([...fixed, failures, listing, shownWarnings, foot]);
}
