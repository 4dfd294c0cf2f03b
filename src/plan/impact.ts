// What the groups a plan changes grant: for every group the plan creates, updates
// or deletes, the rules of the policy that name it, so a reviewer of "bob joins group:eng" sees that
// group:eng reaches tag:server:22 and owns tag:server without opening the policy. Pure: the policy
// text in (the live one; under settings.policyFile the desired one from git), the references out.
import { PolicyTextError } from '../policy/hujson.js';
import { findGroupReferences } from '../policy/impact.js';
import { isGroupChange, type Plan, type PlanImpact } from '../domain/plan.js';

/** The policy text the impact is found in, and its name in the output. */
export interface ImpactSource {
  text: string;
  name: string;
}

/** The groups the plan creates, updates or deletes, in the plan's order, each once. */
export function changedGroups(plan: Pick<Plan, 'changes'>): string[] {
  return [...new Set(plan.changes.filter(isGroupChange).map((c) => c.group))];
}

/** The impact of the plan's group changes on `source`; undefined when the plan changes no group. */
export function planImpact(plan: Pick<Plan, 'changes'>, source: ImpactSource): PlanImpact | undefined {
  const groups = changedGroups(plan);
  if (groups.length === 0) return undefined;
  const { references, unused } = findGroupReferences(source.text, groups);
  return { policy: source.name, references, unused };
}

/**
 * Sets `plan.impact` from `source` (or leaves it out when no group changes). A policy text that cannot
 * be read (a live policy nested too deeply, say) leaves the impact out with a warning saying where:
 * the impact informs a review, and the step that writes the policy reports the text's fault itself.
 */
export function withImpact(plan: Plan, source: ImpactSource): Plan {
  delete plan.impact;
  let impact: PlanImpact | undefined;
  try {
    impact = planImpact(plan, source);
  } catch (error) {
    if (!(error instanceof PolicyTextError)) throw error;
    plan.warnings.push({
      code: 'policy.impact-unread',
      message:
        `${source.name} could not be read to find where the changed groups are used (${error.message}), so the plan ` +
        `does not say what they grant`,
    });
    return plan;
  }
  if (impact !== undefined) plan.impact = impact;
  return plan;
}

/** The name the live policy goes by in the output. */
export const LIVE_POLICY = 'the live policy';

/**
 * What the impact is found in: under settings.policyFile the desired policy (the file in git, its
 * groups rendered), whose lines a reviewer can open in the pull request; otherwise the live policy,
 * whose rules outside `groups` an apply leaves as they are.
 */
export function impactSource(livePolicy: string, policyFile?: { file: string; desired: string }): ImpactSource {
  return policyFile ? { text: policyFile.desired, name: policyFile.file } : { text: livePolicy, name: LIVE_POLICY };
}
