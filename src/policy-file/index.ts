// The whole-policy mode (settings.policyFile): the policy file kept in git, its groups rendered from
// tailnet-access.yaml, planned and validated as a whole, written whole by apply, and edits made outside
// git noticed through a store of the last applied ETag. The CLI and the GitHub Action both use this.
export {
  appliedPolicy,
  FileEtagStore,
  sha256Of,
  StateFileError,
  stateFilePath,
  DEFAULT_STATE_DIR,
  STATE_ENV,
  type EtagStore,
} from './etag-store.js';
export {
  importFromPolicyFile,
  PolicyImportMismatchError,
  policyFileGroups,
  type PolicyImportSource,
} from './import-config.js';
export {
  holdsChanges,
  lineChanges,
  oldLineOf,
  splitLines,
  unifiedDiff,
  type LineChange,
  type UnifiedDiffOptions,
} from './line-diff.js';
export { detectManualEdit, liveMatches } from './manual-edits.js';
export { groupsDiffering, notRenderedDiagnostic, renderCommandFor, shellWord } from './not-rendered.js';
export {
  hasPendingChanges,
  manualEditMessage,
  planPolicyFile,
  policyFilePlanOf,
  withPolicyFile,
  type PolicyFileKnown,
  type PolicyFileOptions,
  type PolicyFileReads,
  type Purpose,
} from './plan.js';
export {
  MAX_POLICY_BYTES,
  policyFileLocation,
  readPolicyFileAt,
  renderPolicyFile,
  type PolicyFile,
  type PolicyFileLocation,
} from './source.js';
export { validationDiagnostics } from './validation.js';
