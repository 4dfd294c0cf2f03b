// The plan for a terminal, in the manner of `terraform plan`: a header, the changes by section with
// +/~/- marks, the warnings, under settings.policyFile the policy file's section, and one summary line
// (which then counts the policy file too).
import type { Plan } from '../domain/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { escapeControls } from '../escape.js';
import {
  countChanges,
  describeCounts,
  IMPACT_TITLE,
  impactLines,
  impactOf,
  planSections,
  tailnetLabel,
} from './format.js';
import { shortEtag } from '../domain/policy.js';
import type { Sign } from './format.js';
import { policyPlanSummary, renderPolicyFileText } from './plan-policy-file.js';

export interface TextRenderOptions {
  /** ANSI colours; the CLI passes `process.stdout.isTTY && !NO_COLOR`. */
  color: boolean;
  /** Named in the no-changes line. Default `tailnet-access.yaml`. */
  configPath?: string;
  /** Under settings.policyFile: the policy file's section, shown before the summary line. */
  policyFile?: PolicyFilePlan | undefined;
}

const ANSI = { green: '\x1b[32m', yellow: '\x1b[33m', red: '\x1b[31m', bold: '\x1b[1m', reset: '\x1b[0m' };
const SIGN_COLOR: Record<Sign, string> = { '+': ANSI.green, '~': ANSI.yellow, '-': ANSI.red };

export function renderPlanText(plan: Plan, options: TextRenderOptions): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${ANSI.reset}` : text);
  const out: string[] = [
    `Tailnet: ${escapeControls(tailnetLabel(plan))}, policy ETag: ${escapeControls(shortEtag(plan.policyEtag))}`,
    '',
  ];

  for (const section of planSections(plan)) {
    out.push(`${section.title}:`);
    for (const entry of section.entries) {
      for (const line of entry) {
        const indent = line.depth === 0 ? '  ' : '      ';
        out.push(`${indent}${paint(SIGN_COLOR[line.sign], line.sign)} ${line.text}`);
      }
    }
    out.push('');
  }

  // What the changed groups grant, one line per rule: all of them (the terminal has no length limit).
  const impact = impactLines(plan.impact);
  if (plan.impact && impact.length > 0) {
    out.push(`${IMPACT_TITLE} (${impactOf(plan.impact)}):`, ...impact.map((line) => `  ${line}`), '');
  }

  if (plan.warnings.length > 0) {
    out.push('Warnings:');
    for (const warning of plan.warnings) {
      // `path: message`, the shape editors and CI annotations jump to.
      const where = warning.path === undefined ? '' : `${escapeControls(warning.path)}: `;
      out.push(`  ${paint(ANSI.yellow, '!')} ${where}${escapeControls(warning.message)}`);
    }
    out.push('');
  }

  const section = options.policyFile;
  if (section) {
    out.push(renderPolicyFileText(section, options).replace(/\n$/, ''), '');
    const { lead, rest } = policyPlanSummary(plan, section, options.configPath ?? 'tailnet-access.yaml');
    out.push(`${paint(lead === 'No changes.' ? ANSI.bold + ANSI.green : ANSI.bold, lead)} ${escapeControls(rest)}`);
  } else if (plan.changes.length === 0) {
    const config = escapeControls(options.configPath ?? 'tailnet-access.yaml');
    out.push(`${paint(ANSI.bold + ANSI.green, 'No changes.')} The tailnet matches ${config}.`);
  } else {
    out.push(`${paint(ANSI.bold, 'Plan:')} ${describeCounts(countChanges(plan.changes))}.`);
  }
  return `${out.join('\n')}\n`;
}
