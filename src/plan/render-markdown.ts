// The plan as GitHub markdown, for the sticky PR comment and the job summary. Everything that comes
// from other people goes through escape.ts; the body stays under `maxLength` by degrading in stages:
// long sections collapse into <details>; a plan too long even then becomes a summary (counts, a
// pointer to the full plan, and as many whole changes as fit). Blocks are only ever dropped whole,
// so no fence or tag is cut open.
import type { Plan, PlanWarning } from './types.js';
import { codeBlock, escapeControls, escapeMarkdownInline, fenceFor, inlineCode } from './escape.js';
import { countChanges, describeCounts, planSections, tailnetLabel } from './format.js';
import type { ChangeCounts } from './format.js';
import { commentHead, details, diffLines, joinBlocks as join, RenderOptionsError, runLink } from './markdown-blocks.js';

export { RenderOptionsError };

/** What the plan and the error state of a comment have in common. */
export interface CommentOptions {
  /** Plain text (escaped). Default `tailnet-access plan`. */
  heading?: string;
  /** The workflow run, linked at the bottom. Must be http(s). */
  runUrl?: string;
  /** Default 65,000: below GitHub's 65,536-character limit for comments, with room to spare. */
  maxLength?: number;
  /** An HTML comment put first, by which the sticky comment is found again. */
  marker?: string;
}

export interface MarkdownRenderOptions extends CommentOptions {
  /** The config file, named in the no-changes line. */
  configPath: string;
  /** Plain text (escaped), said when the plan had to be summarised. */
  fullPlanHint?: string;
}

const DEFAULT_HEADING = 'tailnet-access plan';
const DEFAULT_HINT = 'The full plan is in the job summary of the workflow run.';
// Above this many lines a section collapses, so a PR conversation is not buried under one comment.
const COLLAPSE_ABOVE_LINES = 30;
const COLLAPSE_ABOVE_WARNINGS = 10;

function statusLine(plan: Plan, counts: ChangeCounts, configPath: string): string {
  if (plan.changes.length === 0) return `**No changes.** The tailnet matches ${inlineCode(configPath)}.`;
  return `**Plan:** ${describeCounts(counts)}.`;
}

function footer(plan: Plan, runUrl: string | undefined): string {
  const etag = inlineCode(plan.policyEtag);
  const computed = `Computed against the policy with ETag ${etag} of tailnet ${inlineCode(tailnetLabel(plan))}.`;
  return runUrl === undefined ? computed : `${computed} ${runLink(runUrl)}`;
}

function warningItem(warning: PlanWarning): string {
  const where = warning.path === undefined ? '' : `${inlineCode(warning.path)} `;
  return `- ${where}${escapeMarkdownInline(warning.message)}`;
}

function warningsBlock(warnings: readonly PlanWarning[]): string | undefined {
  if (warnings.length === 0) return undefined;
  const list = warnings.map(warningItem).join('\n');
  if (warnings.length <= COLLAPSE_ABOVE_WARNINGS) return `**Warnings**\n\n${list}`;
  return details(`${warnings.length} warnings`, list);
}

function warningCounts(warnings: readonly PlanWarning[]): string | undefined {
  if (warnings.length === 0) return undefined;
  const byCode = new Map<string, number>();
  for (const w of warnings) byCode.set(w.code, (byCode.get(w.code) ?? 0) + 1);
  const items = [...byCode].map(([code, n]) => `- ${inlineCode(code)}: ${n}`);
  return `**Warnings** (${warnings.length}, too many to list here)\n\n${items.join('\n')}`;
}

function countsTable(counts: ChangeCounts): string {
  const rows: [string, number][] = [
    ['Role changes', counts.roles],
    ['Groups to create', counts.create],
    ['Groups to update', counts.update],
    ['Groups to delete', counts.delete],
  ];
  const body = rows.filter(([, n]) => n > 0).map(([what, n]) => `| ${what} | ${n} |`);
  return ['| Change | Count |', '| --- | ---: |', ...body].join('\n');
}

export function renderPlanMarkdown(plan: Plan, options: MarkdownRenderOptions): string {
  const counts = countChanges(plan.changes);
  const { maxLength, head } = commentHead(options, DEFAULT_HEADING, statusLine(plan, counts, options.configPath));
  const foot = footer(plan, options.runUrl);
  const sections = planSections(plan);
  const listedWarnings = warningsBlock(plan.warnings);

  // Stage 1: everything, long sections collapsed. The listing stops once past maxLength, so a huge
  // plan is never assembled whole only to be thrown away.
  const all = diffLines(sections, maxLength);
  if (all.changes === plan.changes.length) {
    let diff: string | undefined;
    if (all.lines.length > 0) {
      const block = codeBlock(all.lines, 'diff');
      const long = all.lines.length > COLLAPSE_ABOVE_LINES;
      diff = long ? details(`All ${all.changes} changes (${all.lines.length} lines)`, block) : block;
    }
    const full = join([...head, diff, listedWarnings, foot]);
    if (full.length <= maxLength) return full;
  }

  // Stage 2: a summary, then as many whole changes as the room left allows.
  const hint = escapeMarkdownInline(options.fullPlanHint ?? DEFAULT_HINT);
  const fixed = [...head, plan.changes.length > 0 ? countsTable(counts) : undefined, hint];
  // Warnings stay listed while they take at most half the room; the rest is for the changes.
  const warningsFit = listedWarnings !== undefined && join([...fixed, listedWarnings, foot]).length <= maxLength / 2;
  const warnings = warningsFit ? listedWarnings : warningCounts(plan.warnings);
  const summary = join([...fixed, warnings, foot]);
  if (summary.length > maxLength) {
    throw new RenderOptionsError(`maxLength ${maxLength} is too small for even a summary of the plan (${summary.length} characters)`);
  }
  // What a partial listing costs besides its lines: the <details> wrapper, the fence and a separator.
  const fence = fenceFor(all.lines.join('\n'));
  const total = plan.changes.length;
  const wrapper = details(`The first ${total} of ${total} changes`, `${fence}diff\n\n${fence}`).length + 2;
  const partial = diffLines(sections, maxLength - summary.length - wrapper);
  if (partial.changes === 0) return summary;
  const listing = details(`The first ${partial.changes} of ${total} changes`, codeBlock(partial.lines, 'diff'));
  return join([...fixed, listing, warnings, foot]);
}

/** The error state of the sticky comment: what failed, and its messages in a code block. */
export function renderErrorMarkdown(title: string, lines: readonly string[], options: CommentOptions = {}): string {
  const { maxLength, head } = commentHead(options, DEFAULT_HEADING, `**Error:** ${escapeMarkdownInline(title)}`);
  const foot = options.runUrl === undefined ? undefined : runLink(options.runUrl);
  const whole = join([...head, lines.length > 0 ? codeBlock(lines) : undefined, foot]);
  if (whole.length <= maxLength) return whole;

  // Keep the first lines (the first error is the one to fix first) and say how many were left out.
  const more = (n: number): string => `… and ${n} more lines`;
  const bare = join([...head, codeBlock([more(lines.length)]), foot]).length + fenceFor(lines.join('\n')).length * 2;
  if (bare > maxLength) {
    throw new RenderOptionsError(`maxLength ${maxLength} is too small for the error "${title}" (${bare} characters)`);
  }
  const shown: string[] = [];
  let used = bare;
  for (const line of lines) {
    const cost = escapeControls(line).length + 1;
    if (used + cost > maxLength) break;
    shown.push(line);
    used += cost;
  }
  return join([...head, codeBlock([...shown, more(lines.length - shown.length)]), foot]);
}
