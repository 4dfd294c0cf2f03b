// The apply report as JSON (schema/apply-report.schema.json). Rebuilt field by field, like the plan's
// JSON, so the key order is fixed and nothing outside the schema leaks out; `plan` is exactly what
// `plan --format json` prints.
import type { ApplyReport, FailedChange, PolicyOutcome, SkippedChange } from '../domain/apply-report.js';
import { changeJson, type Plan, type PlanWarning } from '../domain/plan.js';
import { renderPlanJson } from './plan-json.js';
import { policyFileReportJson } from './report-policy-file.js';

function policyJson(policy: PolicyOutcome): PolicyOutcome {
  if (policy.status !== 'failed') {
    return {
      status: policy.status,
      etagBefore: policy.etagBefore,
      etagAfter: policy.etagAfter,
      attempts: policy.attempts,
    };
  }
  const out: PolicyOutcome = {
    status: policy.status,
    etagBefore: policy.etagBefore,
    attempts: policy.attempts,
    error: policy.error,
  };
  if (policy.details !== undefined) out.details = [...policy.details];
  return out;
}

function warningJson(warning: PlanWarning): PlanWarning {
  const out: PlanWarning = { code: warning.code, message: warning.message };
  if (warning.path !== undefined) out.path = warning.path;
  return out;
}

/** The report as 2-space-indented JSON with a final newline; `policyFile` last, when the report has one. */
export function renderApplyReportJson(report: ApplyReport): string {
  const plan = JSON.parse(renderPlanJson(report.plan)) as Plan;
  const json: ApplyReport = {
    version: report.version,
    tailnet: report.tailnet,
    ...(report.tailnetId === undefined ? {} : { tailnetId: report.tailnetId }),
    converged: report.converged,
    plan,
    applied: report.applied.map(changeJson),
    failed: report.failed.map((f): FailedChange => ({ change: changeJson(f.change), error: f.error })),
    skipped: report.skipped.map((s): SkippedChange => ({ change: changeJson(s.change), reason: s.reason })),
    ...(report.policy ? { policy: policyJson(report.policy) } : {}),
    warnings: report.warnings.map(warningJson),
    ...(report.policyFile ? { policyFile: policyFileReportJson(report.policyFile) } : {}),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
