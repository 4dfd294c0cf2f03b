// The plan as JSON (contract.md §3, schema/plan.schema.json). Objects are rebuilt field by field so
// the key order is the contract's whatever order the plan was assembled in, and so nothing that is
// not part of the contract (a stray property on a change) leaks into the output.
import type { GroupReference } from '../domain/policy.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { policyFileJson, type PolicyFileJson } from './plan-policy-file.js';
import { changeJson, type Plan, type PlanWarning } from '../domain/plan.js';

function warningJson(warning: PlanWarning): PlanWarning {
  const out: PlanWarning = { code: warning.code, message: warning.message };
  if (warning.path !== undefined) out.path = warning.path;
  return out;
}

function referenceJson(ref: GroupReference): GroupReference {
  return {
    group: ref.group,
    section: ref.section,
    index: ref.index,
    line: ref.line,
    column: ref.column,
    rule: ref.rule,
    fields: [...ref.fields],
  };
}

/**
 * The plan JSON's own shape: the plan's impact is said as two lists, `impact` and `unusedGroups`;
 * under settings.policyFile the policy file's section is its last member.
 */
type PlanJson = Omit<Plan, 'impact'> & {
  impact: GroupReference[];
  unusedGroups: string[];
  policyFile?: PolicyFileJson;
};

/**
 * The plan as 2-space-indented JSON with a final newline. `impact` and `unusedGroups` are always
 * there, empty when the plan changes no group; `policyFile` when the policy file is given
 * (schema/plan.schema.json).
 */
export function renderPlanJson(plan: Plan, policyFile?: PolicyFilePlan): string {
  const json: PlanJson = {
    version: plan.version,
    tailnet: plan.tailnet,
    ...(plan.tailnetId === undefined ? {} : { tailnetId: plan.tailnetId }),
    policyEtag: plan.policyEtag,
    changes: plan.changes.map(changeJson),
    warnings: plan.warnings.map(warningJson),
    impact: (plan.impact?.references ?? []).map(referenceJson),
    unusedGroups: [...(plan.impact?.unused ?? [])],
    ...(policyFile ? { policyFile: policyFileJson(policyFile) } : {}),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
