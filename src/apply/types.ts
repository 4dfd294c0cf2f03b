// What apply takes: its options (the report it returns is in src/domain/apply-report.ts).
import type { ApplyEvent } from '../domain/apply-report.js';
import type { KeyOwner } from '../plan/rails.js';
import type { PolicyFileOptions } from '../policy-file/plan.js';
import type { SavedPlanGuard } from '../plan/saved-plan.js';
import type { StartedRead } from '../tailscale/live.js';

export interface ApplyOptions {
  /** `--max-changes N`: overrides `settings.maxChanges` of the file. */
  maxChanges?: number;
  /** `--force`: go ahead with a plan that demotes or removes more than half of the managed users. */
  force?: boolean;
  /**
   * At most this many role changes in flight at once. By default as many as the client's rate gate
   * lets through (4 at first, then learnt from the API's answers).
   */
  concurrency?: number;
  /** Policy writes to try when someone else keeps editing the policy (412); default 5. */
  maxPolicyAttempts?: number;
  /** In [0, 1); jitter between policy attempts. Default Math.random. */
  random?: () => number;
  /** Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Base of the jittered wait before a policy attempt after a 412; default 250 ms, doubling. */
  conflictDelayMs?: number;
  /** Told what happens as it happens; must not throw. */
  onProgress?: (event: ApplyEvent) => void;
  /** The first read of users and policy, already requested (before the file was parsed); a re-read asks again. */
  started?: StartedRead;
  /** The API key's owner, already requested with them; used only when the plan changes a role. */
  keyOwner?: Promise<KeyOwner>;
  /**
   * Required when the file sets `settings.policyFile`: the policy file as read from the repository,
   * and the store of the last applied policy. The file is then written whole.
   */
  policyFile?: PolicyFileOptions;
  /**
   * `apply --plan FILE`: the saved plan the fresh one must equal. Checked after the first read and
   * before any write (refused by the saved-plan safety rail), and again on every re-read after a 412 (the
   * policy is then not written when its group changes moved).
   */
  savedPlan?: SavedPlanGuard;
}
