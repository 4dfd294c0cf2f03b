// What apply reports: plain data (JSON-serialisable, no Error objects, no Maps) because the CLI prints
// it, the action posts it and both may save it as JSON (schema/apply-report.schema.json). Also the
// events apply tells as it goes.
import type { Change, Plan, PlanWarning, UserInviteChange, UserRoleChange, UserStatusChange } from './plan.js';

export type ApplyEvent =
  /**
   * A plan passed the rails and is about to be acted on: attempt 1 from the first read, before any
   * write; later attempts after a 412, for the policy (their role changes are the first plan's).
   */
  | { type: 'planned'; attempt: number; plan: Plan }
  | { type: 'role-changed'; change: UserRoleChange }
  | { type: 'role-failed'; change: UserRoleChange; error: string }
  | { type: 'status-changed'; change: UserStatusChange }
  | { type: 'status-failed'; change: UserStatusChange; error: string }
  | { type: 'invites-sent'; changes: UserInviteChange[] }
  | { type: 'invites-failed'; count: number; error: string }
  /** The policy changed between our read and our write; reading it again. */
  | { type: 'policy-conflict'; attempt: number; delayMs: number }
  | { type: 'policy-written'; etag: string };

export interface FailedChange {
  change: Change;
  /** What the API (or apply) said, as a user can act on it. */
  error: string;
}

export interface SkippedChange {
  change: Change;
  reason: string;
}

/** What happened to the policy file, when the plan changed groups. */
export type PolicyOutcome =
  | {
      /** Written by this run (its answer may have been lost and the write seen on a re-read). */
      status: 'written';
      etagBefore: string;
      etagAfter: string;
      attempts: number;
    }
  | {
      /** On a re-read the groups already matched the file: someone else made the same edit. */
      status: 'matched';
      etagBefore: string;
      etagAfter: string;
      attempts: number;
    }
  | {
      /** Nothing written: the policy is as it was (or as someone else left it). */
      status: 'failed';
      etagBefore: string;
      attempts: number;
      error: string;
      /** Lines of the server's explanation (validation data), when it gave one. */
      details?: string[];
    };

/** An edit made to the live policy outside git, found by this run. */
export interface ManualEditReport {
  /** `before`: since the last apply (the store's ETag); `during`: while this run was writing (a 412). */
  found: 'before' | 'during';
  appliedEtag: string;
  liveEtag: string;
  /** The file in git already held the edit. */
  kept: boolean;
  /** This run's write replaced the edit (settings.onManualEdits: warn). */
  overwritten: boolean;
  /** What was edited, as a unified diff (old -> live), when the text to compare with was known. */
  diff?: string;
}

/** Under settings.policyFile: what became of the policy file. */
export interface PolicyFileReport {
  /** The policy file as messages name it. */
  file: string;
  /** Live -> desired on the read the last attempt was based on; empty when the live policy matched. */
  diff: string;
  added: number;
  removed: number;
  manualEdits: ManualEditReport[];
  /** The store now remembers the policy as this run left it. */
  recorded: boolean;
}

export interface ApplyReport {
  version: 1;
  /** As asked (`-` for the credential's own); `tailnetId` is what the reads learnt it to be. */
  tailnet: string;
  tailnetId?: string;
  /**
   * The plan acted on last: the role changes of the first read and the group changes of the read
   * the policy write was based on (the same read unless someone edited the policy meanwhile).
   */
  plan: Plan;
  /** What was actually done, in the order of the plan. */
  applied: Change[];
  /** What was tried and failed. Group changes fail together: the policy write is all or nothing. */
  failed: FailedChange[];
  /** What was deliberately not tried (a demotion that would have left no admin after a failure). */
  skipped: SkippedChange[];
  policy?: PolicyOutcome;
  /** Under settings.policyFile. */
  policyFile?: PolicyFileReport;
  /** The plan's warnings and apply's own (rails that could not be checked, edits made in the console). */
  warnings: PlanWarning[];
  /** True when the tailnet matches the file: nothing failed, nothing skipped, nothing left over. */
  converged: boolean;
}
