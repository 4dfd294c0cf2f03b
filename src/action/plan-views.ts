// The plan as the log and as markdown (job summary, PR comment, drift issue); under settings.policyFile
// with the policy file's section (its whole diff, Tailscale's verdict, an edit made outside git) and a
// status line that counts the policy file.
import { renderPlanMarkdown, type MarkdownRenderOptions } from '../render/plan-markdown.js';
import { renderPlanText } from '../render/plan-text.js';
import type { Plan } from '../domain/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';

// The log gets no colour codes: colour is for a terminal (README), and a job's log is read as text,
// downloaded, grepped and pasted, where the codes are noise.
export function planText(plan: Plan, policyFile: PolicyFilePlan | undefined, configPath: string): string {
  return renderPlanText(plan, { color: false, configPath, policyFile });
}

export function planMarkdown(
  plan: Plan,
  policyFile: PolicyFilePlan | undefined,
  options: MarkdownRenderOptions,
): string {
  return renderPlanMarkdown(plan, { ...options, policyFile });
}
