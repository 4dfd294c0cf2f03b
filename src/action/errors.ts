// Failures the action reports with more than a message: the plan they concern goes into the job
// summary beside them, and their positions become annotations.
import type { Plan, PlanProblem } from '../domain/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import type { PolicyErrorData } from '../domain/policy.js';

/**
 * The file asks for something that cannot be done (e.g. `owner` for someone who is not the owner), or,
 * under settings.policyFile, the policy file is not rendered or Tailscale refuses it.
 */
export class PlanProblemsError extends Error {
  readonly problems: readonly PlanProblem[];
  readonly plan: Plan;
  /** Under settings.policyFile: the policy file's part of the plan, shown beside the problems. */
  readonly policyFile: PolicyFilePlan | undefined;
  constructor(problems: readonly PlanProblem[], plan: Plan, policyFile?: PolicyFilePlan) {
    const n = problems.length;
    super(`the plan cannot be carried out: fix the ${n === 1 ? 'problem' : `${n} problems`} in the file`);
    this.name = 'PlanProblemsError';
    this.problems = problems;
    this.plan = plan;
    this.policyFile = policyFile;
  }
}

/** The validator's per-user `data` as lines: `alice@example.com: error: …`. */
export function policyDataLines(data: readonly PolicyErrorData[]): string[] {
  return data.flatMap((entry) => {
    const who = entry.user ? `${entry.user}: ` : '';
    return [...(entry.errors ?? []).map((e) => `${who}error: ${e}`), ...(entry.warnings ?? []).map((w) => `${who}warning: ${w}`)];
  });
}
