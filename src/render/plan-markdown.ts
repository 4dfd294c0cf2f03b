// The plan as GitHub markdown, for the sticky PR comment and the job summary. Everything that comes
// from other people goes through escape.ts; the body stays under `maxLength` by degrading in stages:
// long sections collapse into <details>; a plan too long even then becomes a summary (counts, a
// pointer to the full plan, and as many whole changes as fit). Blocks are only ever dropped whole,
// so no fence or tag is cut open.
import { referencePlace } from '../policy/impact.js';
import type { Plan, PlanImpact, PlanWarning } from '../domain/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { codeBlock, escapeControls, escapeMarkdownInline, fenceFor, inlineCode } from '../escape.js';
import { countChanges, describeCounts, IMPACT_TITLE, planSections, tailnetLabel } from './format.js';
import { LIVE_POLICY } from '../plan/impact.js';
import type { ChangeCounts } from './format.js';
import { lineCounts, policyPlanSummary, renderPolicyFileMarkdown } from './plan-policy-file.js';
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
  /**
   * Under settings.policyFile: the policy file's section, after the plan (in at most half of
   * `maxLength`); the status line at the top then counts the policy file too.
   */
  policyFile?: PolicyFilePlan | undefined;
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

// A PR comment lists at most this many rules; the plan JSON and the text plan list them all.
const IMPACT_MAX_ITEMS = 200;

function impactItems(impact: PlanImpact): string[] {
  return [
    ...impact.unused.map((group) => `- ${inlineCode(group)} is used nowhere in the policy`),
    ...impact.references.map(
      (r) => `- ${inlineCode(r.group)} → ${inlineCode(referencePlace(r))} line ${r.line}: ${inlineCode(r.rule)}`,
    ),
  ];
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `3 rules, 1 group used nowhere`: what the impact section holds. */
function impactCounts(impact: PlanImpact): string {
  const parts = [];
  if (impact.references.length > 0) parts.push(plural(impact.references.length, 'rule', 'rules'));
  if (impact.unused.length > 0) parts.push(`${plural(impact.unused.length, 'group', 'groups')} used nowhere`);
  return parts.join(', ');
}

function impactTitle(impact: PlanImpact): string {
  const of = impact.policy === LIVE_POLICY ? 'the live policy' : inlineCode(impact.policy);
  return `**${IMPACT_TITLE}** (lines of ${of})`;
}

/**
 * What the changed groups grant, one item per rule (the groups used nowhere first), in at most
 * `budget` characters: as many items as fit, up to IMPACT_MAX_ITEMS, and a last item saying how many
 * were left out. Long lists collapse. Undefined when the plan changes no group, or when not even the
 * title and the count of those left out fit.
 */
function impactBlock(impact: PlanImpact | undefined, budget: number): string | undefined {
  if (impact === undefined) return undefined;
  const items = impactItems(impact);
  if (items.length === 0) return undefined;
  const title = impactTitle(impact);
  const render = (shown: number, collapse: boolean): string => {
    const left = items.length - shown;
    const more =
      left > 0 ? [`- … and ${left} more, left out here to keep this short (the plan JSON lists every one)`] : [];
    const list = [...items.slice(0, shown), ...more].join('\n');
    return collapse ? `${title}\n\n${details(impactCounts(impact), list)}` : `${title}\n\n${list}`;
  };
  // What the section costs without its items: its title, the wrapper, and the count of those left out.
  let used = render(0, true).length;
  if (used > budget) return undefined;
  let shown = 0;
  while (shown < items.length && shown < IMPACT_MAX_ITEMS) {
    const cost = (items[shown] as string).length + 1;
    if (used + cost > budget) break;
    used += cost;
    shown++;
  }
  const lines = shown < items.length ? shown + 1 : shown;
  return render(shown, lines > COLLAPSE_ABOVE_LINES);
}

/** The impact said in one line, for a plan summarised because it is too long to list. */
function impactSummary(impact: PlanImpact | undefined): string | undefined {
  if (impact === undefined || impact.references.length + impact.unused.length === 0) return undefined;
  return `${impactTitle(impact)}: ${impactCounts(impact)}, too many to list here.`;
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
  const section = options.policyFile;
  return section ? withPolicyFileSection(plan, section, options) : planMarkdown(plan, options);
}

/** The plan, then the policy file's section; the status line at the top counts the policy file. */
function withPolicyFileSection(plan: Plan, section: PolicyFilePlan, options: MarkdownRenderOptions): string {
  const max = options.maxLength ?? 65_000;
  const policy = renderPolicyFileMarkdown(section, { maxLength: Math.floor(max / 2) });
  const rendered = planMarkdown(plan, { ...options, maxLength: max - policy.length - 1 });
  const counts = describeCounts(countChanges(plan.changes));
  const before =
    counts === '' ? `**No changes.** The tailnet matches ${inlineCode(options.configPath)}.` : `**Plan:** ${counts}.`;
  const { lead } = policyPlanSummary(plan, section, options.configPath);
  const after =
    lead === 'No changes.'
      ? `**No changes.** The tailnet matches ${inlineCode(options.configPath)} and ${inlineCode(section.file)}.`
      : `**Plan:** ${counts === '' ? '' : `${counts}; `}${inlineCode(section.file)} ` +
        `${section.changed ? `to write (${lineCounts(section.diff.added, section.diff.removed)})` : 'matches the live policy'}.`;
  return `${rendered.replace(before, after)}\n${policy}`;
}

function planMarkdown(plan: Plan, options: MarkdownRenderOptions): string {
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
    // What the groups grant takes the room the rest leaves, cut to it with a count of what was left out.
    const rest = join([...head, diff, listedWarnings, foot]).length;
    const impact = impactBlock(plan.impact, maxLength - rest - 2);
    const impactLeftOut = impact === undefined && impactSummary(plan.impact) !== undefined;
    const full = join([...head, diff, impact, listedWarnings, foot]);
    if (full.length <= maxLength && !impactLeftOut) return full;
  }

  // Stage 2: a summary, then as many whole changes as the room left allows.
  const hint = escapeMarkdownInline(options.fullPlanHint ?? DEFAULT_HINT);
  const fixed = [...head, plan.changes.length > 0 ? countsTable(counts) : undefined, impactSummary(plan.impact), hint];
  // Warnings stay listed while they take at most half the room; the rest is for the changes.
  const warningsFit = listedWarnings !== undefined && join([...fixed, listedWarnings, foot]).length <= maxLength / 2;
  const warnings = warningsFit ? listedWarnings : warningCounts(plan.warnings);
  const summary = join([...fixed, warnings, foot]);
  if (summary.length > maxLength) {
    throw new RenderOptionsError(
      `maxLength ${maxLength} is too small for even a summary of the plan (${summary.length} characters)`,
    );
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
