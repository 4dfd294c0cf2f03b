// The policy text a plan writes when it changes groups (the live policy with only its groups
// rewritten), checked against the plan before anyone may send it, and Tailscale's verdict on it as
// plan problems. Pure: `plan` and `apply` (before its first write) make the same candidate from the
// same read, so the same input gets the same verdict everywhere. Under settings.policyFile the text
// written is the file in git instead (src/policy-file/).
import { isScimGroup, PolicyShapeError, readPolicyGroups } from '../policy/groups.js';
import { HujsonSyntaxError } from '../policy/hujson.js';
import { keysChangedOutsideGroups } from '../policy/outside-groups.js';
import { PolicyRewriteError, rewritePolicyGroups } from '../policy/rewrite.js';
import type { PolicyGroup } from '../policy/types.js';
import type { PolicyErrorData, ValidateResult } from '../domain/policy.js';
import { isGroupChange, type GroupChange, type PlanProblem, type PlanResult } from '../domain/plan.js';
import { groupChangesOfWrite, unplannedGroupChanges } from './written-groups.js';

/** Tailscale's validator refuses the policy the plan would write. */
export const POLICY_REJECTED = 'policy.rejected';
/** The policy the plan needs cannot be made, or would not do what the plan says (a bug of ours). */
export const POLICY_NOT_AS_PLANNED = 'policy.not-as-planned';

export type Candidate = { ok: true; text: string } | { ok: false; problem: PlanProblem };

export interface LivePolicyText {
  text: string;
  groups: readonly PolicyGroup[];
}

/**
 * How the text about to be written strays from the plan, read back from the text itself: its groups
 * against the live ones must make exactly the plan's group changes, and (`scope: 'groups'`) nothing
 * outside `groups` may change. Under `scope: 'whole'` the plan lists no SCIM groups (the policy diff
 * shows their lines), so they are left out of the comparison. Empty when the write is as planned.
 */
export function strayFromPlan(
  live: LivePolicyText,
  text: string,
  planned: readonly GroupChange[],
  scope: 'groups' | 'whole',
): string[] {
  let written: PolicyGroup[];
  try {
    written = readPolicyGroups(text).groups;
  } catch (error) {
    if (error instanceof HujsonSyntaxError || error instanceof PolicyShapeError)
      return [`the text about to be written cannot be read back: ${error.message}`];
    throw error;
  }
  const actual = groupChangesOfWrite(live.groups, written).filter(
    (change) => scope === 'groups' || !isScimGroup(change.group),
  );
  const lines = unplannedGroupChanges(planned, actual);
  if (scope === 'groups')
    for (const key of keysChangedOutsideGroups(live.text, text))
      lines.push(`"${key}" would change, and a groups-only write changes nothing outside "groups"`);
  return lines;
}

const REPORT = 'This is a bug in tailnet-access, not in your files: please report it, with the policy file.';

/**
 * The live policy with its groups rewritten to the plan's target groups, when the plan changes any
 * group, and checked against the plan. A problem when the groups cannot be written (a name the
 * policy cannot hold, a SCIM group), or when the text would not do what the plan says.
 */
export function groupsCandidate(live: LivePolicyText, result: PlanResult): Candidate | undefined {
  const planned = result.plan.changes.filter(isGroupChange);
  if (planned.length === 0) return undefined;
  let text: string;
  try {
    text = rewritePolicyGroups(live.text, result.targetGroups ?? []);
  } catch (error) {
    if (
      error instanceof PolicyRewriteError ||
      error instanceof HujsonSyntaxError ||
      error instanceof PolicyShapeError
    ) {
      return {
        ok: false,
        problem: {
          code: POLICY_NOT_AS_PLANNED,
          message: `the groups could not be written into the policy file: ${error.message}`,
        },
      };
    }
    throw error;
  }
  const strays = strayFromPlan(live, text, planned, 'groups');
  return strays.length === 0 ? { ok: true, text } : { ok: false, problem: notAsPlanned(strays) };
}

/** The problem of a text that strays from the plan (strayFromPlan's lines). */
export function notAsPlanned(strays: readonly string[]): PlanProblem {
  const message =
    `the policy file about to be written does not do what the plan says, so it must not be written. ` +
    `${REPORT}${strays.map((line) => `\n    ${line}`).join('')}`;
  return { code: POLICY_NOT_AS_PLANNED, message };
}

/** The per-user `data` of Tailscale's verdict as lines: `alice@example.com: …`, warnings marked. */
export function verdictLines(data: readonly PolicyErrorData[]): string[] {
  return data.flatMap((entry) => {
    const who = entry.user ? `${entry.user}: ` : '';
    return [
      ...(entry.errors ?? []).map((e) => `${who}${e}`),
      ...(entry.warnings ?? []).map((w) => `${who}warning: ${w}`),
    ];
  });
}

/**
 * Tailscale's verdict on the candidate as plan problems: none when it passes, else one naming what
 * the validator said (its message, then each line of its `data`).
 */
export function rejectionProblems(verdict: ValidateResult): PlanProblem[] {
  if (verdict.ok) return [];
  const said = [verdict.message ?? '', ...verdictLines(verdict.data ?? [])].filter((line) => line !== '');
  const reason = said.length > 0 ? said.join('; ') : 'it gave no reason';
  return [
    {
      code: POLICY_REJECTED,
      message:
        `Tailscale's validator refuses the policy file this plan would write (the live policy with its groups ` +
        `changed as planned): ${reason}`,
    },
  ];
}
