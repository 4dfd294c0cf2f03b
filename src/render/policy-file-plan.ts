// A plan under settings.policyFile, whole: the roles and groups as the plan renderers show them, the
// policy file's section after them, and one summary line that counts the policy file too (the plan
// renderers' own line knows only roles and groups, so it is replaced, never contradicted).
import { countChanges, describeCounts } from './format.js';
import { renderPlanJson } from './plan-json.js';
import { renderPlanMarkdown, type MarkdownRenderOptions } from './plan-markdown.js';
import { escapeControls, inlineCode } from '../escape.js';
import type { Plan } from '../domain/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { lineCounts, policyFileJson, renderPolicyFileMarkdown, renderPolicyFileText } from './policy-file-section.js';

const ANSI = { green: '\x1b[32m', bold: '\x1b[1m', reset: '\x1b[0m' };
const ANSI_CODES = /\x1b\[[0-9;]*m/g;

function policyPart(section: PolicyFilePlan): string {
  return section.changed ? `${section.file} to write (${lineCounts(section.diff.added, section.diff.removed)})` : `${section.file} matches the live policy`;
}

/** The plan's summary, policy file included: `No changes. …` or `Plan: …`, as words without markup. */
export function policyPlanSummary(plan: Plan, section: PolicyFilePlan, configPath: string): { lead: 'No changes.' | 'Plan:'; rest: string } {
  const counts = describeCounts(countChanges(plan.changes));
  if (counts === '' && !section.changed) return { lead: 'No changes.', rest: `The tailnet matches ${configPath} and ${section.file}.` };
  return { lead: 'Plan:', rest: counts === '' ? `${policyPart(section)}.` : `${counts}; ${policyPart(section)}.` };
}

/**
 * `planText` is renderPlanText's output for `plan`; its last line (the summary) gives way to the
 * policy file's section and the summary that counts it.
 */
export function composePlanText(planText: string, plan: Plan, section: PolicyFilePlan, options: { color: boolean; configPath: string }): string {
  const lines = planText.replace(/\n$/, '').split('\n');
  const last = (lines[lines.length - 1] ?? '').replace(ANSI_CODES, '');
  if (last.startsWith('No changes.') || last.startsWith('Plan:')) lines.pop();
  const { lead, rest } = policyPlanSummary(plan, section, options.configPath);
  const painted = options.color ? `${ANSI.bold}${lead === 'No changes.' ? ANSI.green : ''}${lead}${ANSI.reset}` : lead;
  return `${lines.join('\n')}\n${renderPolicyFileText(section, options)}\n${painted} ${escapeControls(rest)}\n`;
}

/**
 * The plan as markdown with the policy file's section after it, within `maxLength` (the section takes
 * at most half). The status line at the top counts the policy file.
 */
export function renderPlanMarkdownWithPolicyFile(plan: Plan, section: PolicyFilePlan, options: MarkdownRenderOptions): string {
  const max = options.maxLength ?? 65_000;
  const policy = renderPolicyFileMarkdown(section, { maxLength: Math.floor(max / 2) });
  const rendered = renderPlanMarkdown(plan, { ...options, maxLength: max - policy.length - 1 });
  const counts = describeCounts(countChanges(plan.changes));
  const before = counts === '' ? `**No changes.** The tailnet matches ${inlineCode(options.configPath)}.` : `**Plan:** ${counts}.`;
  const { lead } = policyPlanSummary(plan, section, options.configPath);
  const after = lead === 'No changes.'
    ? `**No changes.** The tailnet matches ${inlineCode(options.configPath)} and ${inlineCode(section.file)}.`
    : `**Plan:** ${counts === '' ? '' : `${counts}; `}${inlineCode(section.file)} ${section.changed ? `to write (${lineCounts(section.diff.added, section.diff.removed)})` : 'matches the live policy'}.`;
  return `${rendered.replace(before, after)}\n${policy}`;
}

/** The plan JSON with its optional `policyFile` member (schema/plan.schema.json). */
export function renderPlanJsonWithPolicyFile(plan: Plan, section: PolicyFilePlan): string {
  const json = JSON.parse(renderPlanJson(plan)) as Record<string, unknown>;
  return `${JSON.stringify({ ...json, policyFile: policyFileJson(section) }, null, 2)}\n`;
}
