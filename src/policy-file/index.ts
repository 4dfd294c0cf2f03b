// The whole-policy mode (settings.policyFile): the policy file kept in git, its groups rendered from
// tailnet-access.yaml, planned and validated as a whole, written whole by apply, and edits made outside
// git noticed through a store of the last applied ETag. The CLI and the GitHub Action both use this.
export { appliedPolicy, FileEtagStore, sha256Of, StateFileError, stateFilePath, DEFAULT_STATE_DIR, STATE_ENV, type EtagStore } from './etag-store.js';
export type { AppliedPolicy, UnifiedDiff, ManualEdit, PolicyFilePlan } from '../domain/policy-file.js';
export { importFromPolicyFile, PolicyImportMismatchError, policyFileGroups, type PolicyImportSource } from './import-config.js';
export { holdsChanges, lineChanges, oldLineOf, splitLines, unifiedDiff, type LineChange, type UnifiedDiffOptions } from './line-diff.js';
export { detectManualEdit, etagLabel, liveMatches } from './manual-edits.js';
export { groupsDiffering, notRenderedDiagnostic, renderCommandFor, shellWord } from './not-rendered.js';
export { hasPendingChanges, manualEditMessage, planPolicyFile, policyFilePlanOf, withPolicyFile, type PolicyFileKnown, type PolicyFileOptions, type PolicyFileReads, type Purpose } from './plan.js';
export { composePlanText, policyPlanSummary, renderPlanJsonWithPolicyFile, renderPlanMarkdownWithPolicyFile } from './render-plan.js';
export { composeReportText, renderApplyReportJsonWithPolicyFile, renderApplyReportMarkdownWithPolicyFile, renderPolicyFileReportText } from './render-report.js';
export { lineCounts, policyFileJson, policyFileStatus, renderPolicyFileMarkdown, renderPolicyFileText, type PolicyFileJson } from './render-section.js';
export { MAX_POLICY_BYTES, policyFileLocation, readPolicyFileAt, renderPolicyFile, type PolicyFile, type PolicyFileLocation } from './source.js';
export { validationDiagnostics } from './validation.js';
