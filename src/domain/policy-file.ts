// The policy-file part of a plan under settings.policyFile (made by src/policy-file/plan.ts), with the
// diff, edit and store record it carries.
import type { Diagnostic } from './diagnostic.js';

export interface PolicyFilePlan {
  /** The policy file as messages name it. */
  file: string;
  /** The desired policy: the file with its groups rendered from the YAML. */
  desired: string;
  liveEtag: string;
  /** The live policy is not the desired one: apply writes the file. */
  changed: boolean;
  /** Live -> desired; empty when unchanged. */
  diff: UnifiedDiff;
  /** Set when the file in git is not what render makes of it. */
  notRendered?: Diagnostic;
  /** Tailscale's refusals of the desired policy, placed in the file; empty when it is valid. */
  invalid: Diagnostic[];
  manualEdit?: ManualEdit;
  /** What the store remembers of the last apply; undefined without a store or a record. */
  lastApplied?: AppliedPolicy;
  /** The live policy is an earlier run's write that it did not get to record (unrecordedWrite). */
  unrecorded?: true;
  /** The store's description; undefined when there is none. */
  store?: string;
  pullCommand: string;
}

export interface UnifiedDiff {
  /** `--- …`, `+++ …`, then `@@ … @@` hunks; empty when the texts are equal. */
  text: string;
  added: number;
  removed: number;
}

export interface ManualEdit {
  /** The ETag this tool last applied. */
  appliedEtag: string;
  liveEtag: string;
  /** Last applied -> live, when the store kept the text. */
  diff?: UnifiedDiff;
  /** The desired policy already holds the edit, so writing it loses nothing. */
  kept: boolean;
}

export interface AppliedPolicy {
  /** The ETag the policy had right after this tool wrote (or last confirmed) it, quotes included. */
  etag: string;
  /** sha256 hex of the text. */
  sha256: string;
  /** The text itself; optional, since a store with little room may keep the ETag and hash alone. */
  text?: string;
  /**
   * sha256 hex of a text a later run was about to write (EtagStore.noteIntent) and did not get to
   * record: a live policy with that hash is that run's write, not an edit made outside git.
   */
  intended?: string;
}
