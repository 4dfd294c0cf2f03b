// The groups-only policy write a plan makes, prepared before anything is written: the candidate text
// (the live policy with its groups rewritten, checked against the plan: src/plan/candidate.ts) and
// Tailscale's verdict on it. `plan` reports what stops it; `apply` refuses before its first write of
// any kind, a role change included, so a policy Tailscale will not take never leaves apply half done.
import { groupsCandidate, rejectionProblems } from '../plan/candidate.js';
import type { LiveTailnet } from '../plan/diff.js';
import type { PlanProblem, PlanResult } from '../domain/plan.js';
import type { TailscaleClient } from '../tailscale/client.js';

export interface PlannedWrite {
  /** The text apply sends; undefined when it could not be made as planned. */
  text?: string;
  /** What stops the write: a text that is not as planned, or Tailscale's refusal. Empty when it may go out. */
  problems: PlanProblem[];
}

/** Undefined when the plan changes no group, so nothing is written to the policy. */
export async function checkPlannedWrite(
  client: TailscaleClient,
  live: LiveTailnet,
  result: PlanResult,
): Promise<PlannedWrite | undefined> {
  const candidate = groupsCandidate({ text: live.policy.text, groups: live.groups.groups }, result);
  if (!candidate) return undefined;
  if (!candidate.ok) return { problems: [candidate.problem] };
  return { text: candidate.text, problems: rejectionProblems(await client.validatePolicy(candidate.text)) };
}
