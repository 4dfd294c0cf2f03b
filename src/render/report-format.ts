// What the three apply-report renderers share: the outcome in a sentence, the changes laid out as the
// plan renderers lay them out (format.ts), and failures grouped so that the group changes of one
// failed policy write show their common error once.
import type { ApplyReport, PolicyOutcome } from '../domain/apply-report.js';
import { countChanges, describeCounts, planSections } from './format.js';
import type { PlanSection } from './format.js';
import { isGroupChange, type Change, type GroupChange, type UserChange } from '../domain/plan.js';

export type ReportState = 'no-changes' | 'complete' | 'incomplete';

export function reportState(report: ApplyReport): ReportState {
  if (!report.converged) return 'incomplete';
  return report.applied.length === 0 ? 'no-changes' : 'complete';
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "3 changes applied, 1 failed, 1 skipped" (the parts that are not zero, applied always). */
export function describeOutcome(report: ApplyReport): string {
  const parts = [`${plural(report.applied.length, 'change', 'changes')} applied`];
  if (report.failed.length > 0) parts.push(`${report.failed.length} failed`);
  if (report.skipped.length > 0) parts.push(`${report.skipped.length} skipped`);
  return parts.join(', ');
}

/** What was applied, in the plan's words put in the past: "1 role change, 1 group created, 1 updated". */
export function describeApplied(report: ApplyReport): string {
  return describeCounts(countChanges(report.applied)).replace(
    / to (create|update|delete)/g,
    (_, verb: string) => ` ${verb}d`,
  );
}

/** The changes as the plan renderers lay them out, Users then Groups. */
export function sectionsOf(report: ApplyReport, changes: readonly Change[]): PlanSection[] {
  return planSections({ ...report.plan, changes: [...changes] }, { roleGrants: false });
}

/** A user change (role or invite) that failed on its own. */
export interface RoleFailure {
  change: UserChange;
  error: string;
}

/** Group changes that failed together (one policy write), with their one error. */
export interface GroupFailure {
  changes: GroupChange[];
  error: string;
  details: string[];
}

export function failuresOf(report: ApplyReport): { roles: RoleFailure[]; groups: GroupFailure[] } {
  const roles: RoleFailure[] = [];
  const byError = new Map<string, GroupChange[]>();
  for (const { change, error } of report.failed) {
    if (isGroupChange(change)) byError.set(error, [...(byError.get(error) ?? []), change]);
    else roles.push({ change, error });
  }
  const policy = report.policy?.status === 'failed' ? report.policy : undefined;
  const groups = [...byError].map(([error, changes]) => ({
    changes,
    error,
    details: policy?.error === error ? (policy.details ?? []) : [],
  }));
  return { roles, groups };
}

/** What happened to the policy file, in words, and the ETags it went between (for the caller to format). */
export interface PolicySummary {
  text: string;
  etags?: { before: string; after: string };
}

/** Undefined when the plan changed no group. */
export function policySummary(policy: PolicyOutcome | undefined): PolicySummary | undefined {
  if (!policy) return undefined;
  const tries =
    policy.attempts > 1 ? ` after ${policy.attempts} attempts (it was edited by someone else meanwhile)` : '';
  switch (policy.status) {
    case 'written':
      return { text: `written${tries}`, etags: { before: policy.etagBefore, after: policy.etagAfter } };
    case 'matched':
      return {
        text: 'already matched the file on a re-read',
        etags: { before: policy.etagBefore, after: policy.etagAfter },
      };
    case 'failed':
      return { text: `not written (all or nothing: no group change was made)${tries}` };
  }
}

/** The ETag the tailnet's policy has after the run, as far as this run knows. */
export function etagAfter(report: ApplyReport): string {
  const policy = report.policy;
  return policy && policy.status !== 'failed' ? policy.etagAfter : report.plan.policyEtag;
}
