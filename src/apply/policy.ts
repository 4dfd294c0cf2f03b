// The policy write: rewrite only the groups of the text just read, check the text against the plan,
// validate (the first read's text was validated before any write), write with If-Match.
// On 412 someone changed the policy since our read: read again, plan again, check the rails again,
// and write the groups into the fresh text, so their edit elsewhere in the file survives. The write
// is all or nothing: either the whole new policy is stored, or the policy is left as it was.
import type { LoadedConfig } from '../config/load.js';
import { checkRails } from '../plan/rails.js';
import type { GroupChange, PlanWarning, UserRoleChange } from '../domain/plan.js';
import { groupsCandidate, verdictLines } from '../plan/candidate.js';
import { PolicyRejectedError, PreconditionFailedError, TailscaleError } from '../tailscale/client.js';
import type { TailscaleClient } from '../tailscale/client.js';
import { LivePolicyError } from '../tailscale/live.js';
import type { PolicyErrorData, ValidateResult } from '../domain/policy.js';
import { editedGroups } from './console-edits.js';
import { groupChangesOf, readAndPlan, type ApplyRead } from './read-and-plan.js';
import type { ApplyEvent, FailedChange, PolicyOutcome } from '../domain/apply-report.js';
import type { SavedPlanGuard } from '../plan/saved-plan.js';

export interface PolicySettings {
  maxAttempts: number;
  conflictDelayMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  maxChanges: number | undefined;
  force: boolean;
  emit: (event: ApplyEvent) => void;
  /** `apply --plan FILE`: a re-read whose group changes are not the saved plan's is not written. */
  savedPlan?: SavedPlanGuard;
}

export interface PolicyResult {
  /** Undefined when no read planned a group change. */
  outcome?: PolicyOutcome;
  /** The read the last policy attempt was based on. */
  last: ApplyRead;
  applied: GroupChange[];
  failed: FailedChange[];
  warnings: PlanWarning[];
}

// A 412 storm means someone keeps editing; backing off a little gives their edits room to settle.
export const MAX_CONFLICT_DELAY_MS = 5_000;

/** What a write loop does after a 412, with the read it is based on. */
export interface ConflictSteps {
  readAgain: () => Promise<void>;
  /** Whether the re-read holds the text this run sent (its write stored, the answer lost). */
  storedOurs: () => boolean;
  /** The rails, and the saved plan, checked again on the re-read. */
  recheck: () => void;
}

/**
 * After a 412 (someone else changed the policy since it was read): wait a jittered, growing delay, read
 * again, and, unless the re-read shows this run's own write stored, say so and check the new read. The
 * caller's loop then goes round again. Throws once the attempts are used up: nothing was written.
 */
export async function afterConflict(settings: PolicySettings, attempts: number, steps: ConflictSteps): Promise<void> {
  const delayMs = Math.round(
    settings.random() * Math.min(MAX_CONFLICT_DELAY_MS, settings.conflictDelayMs * 2 ** (attempts - 1)),
  );
  await settings.sleep(delayMs);
  await steps.readAgain();
  // A 412 also answers the client's replay of a write that was stored with its answer lost: then
  // the policy holds our text, and the top of the loop reports the write, not a conflict.
  if (steps.storedOurs()) return;
  if (attempts >= settings.maxAttempts) {
    throw new PolicyFailure(
      `the policy file was changed by someone else ${attempts} times while apply was writing it (412 each ` +
        'time); nothing was written. Run apply again once the edits stop.',
    );
  }
  settings.emit({ type: 'policy-conflict', attempt: attempts, delayMs });
  steps.recheck();
}

export class PolicyFailure extends Error {
  constructor(
    message: string,
    readonly details?: string[],
  ) {
    super(message);
    this.name = 'PolicyFailure';
  }
}

export function detailLines(data: readonly PolicyErrorData[] | undefined): string[] | undefined {
  const lines = verdictLines(data ?? []);
  return lines.length > 0 ? lines : undefined;
}

/** Reading fails in ways a user can act on; anything else is a bug and is thrown. */
export function asFailure(error: unknown, what: string): PolicyFailure {
  if (error instanceof TailscaleError || error instanceof LivePolicyError)
    return new PolicyFailure(`${what}: ${error.message}`);
  throw error;
}

/**
 * After a read that followed a conflict: the rails again, on the role changes already planned and the
 * group changes of the new read (an edit in the console may have grown the plan past a rail).
 */
export function recheckRails(
  config: LoadedConfig,
  first: ApplyRead,
  read: ApplyRead,
  roleChanges: readonly UserRoleChange[],
  settings: PolicySettings,
  attempt: number,
): void {
  const plan = { ...read.result.plan, changes: [...roleChanges, ...groupChangesOf(read.result.plan)] };
  const rails = checkRails({
    plan,
    problems: read.result.problems,
    users: first.live.users,
    desired: config.desired,
    keyOwner: { kind: 'none' },
    maxChanges: settings.maxChanges,
    force: settings.force,
  });
  const refused = rails.refusals[0];
  if (refused)
    throw new PolicyFailure(
      `refused by the ${refused.rail} safety rail after reading the policy again: ${refused.message}`,
    );
  const moved = settings.savedPlan?.groupsDiffer(read.result.plan, read.section);
  if (moved !== undefined)
    throw new PolicyFailure(
      `refused by the ${settings.savedPlan?.rail ?? 'saved-plan'} safety rail after reading the policy again: ${moved}`,
    );
  settings.emit({ type: 'planned', attempt, plan });
}

export async function writePolicy(
  config: LoadedConfig,
  client: TailscaleClient,
  first: ApplyRead,
  roleChanges: readonly UserRoleChange[],
  settings: PolicySettings,
  validated?: string,
): Promise<PolicyResult> {
  const etagBefore = first.live.policy.etag;
  const managed = new Set([
    ...config.desired.groups.map((g) => g.name),
    ...groupChangesOf(first.result.plan).map((c) => c.group),
  ]);
  const warned = new Set<string>();
  const warnings: PlanWarning[] = [];
  let read = first;
  let attempts = 0;
  let sent: { text: string; changes: GroupChange[] } | undefined;

  // Another read after a conflict or a lost answer: report console edits.
  const readAgain = async (): Promise<void> => {
    const previousTarget = read.result.targetGroups;
    try {
      read = await readAndPlan(config, client);
    } catch (error) {
      throw asFailure(error, 'reading the policy again failed, so nothing more was written');
    }
    for (const name of editedGroups(first.live.groups, read.live.groups, previousTarget, managed)) {
      if (warned.has(name)) continue;
      warned.add(name);
      warnings.push({
        code: 'group.edited-in-console',
        message: `${name} was edited in the console since the plan; the file wins`,
      });
    }
  };
  const recheck = (): void => recheckRails(config, first, read, roleChanges, settings, attempts + 1);
  // The live policy is the text this run sent: its write landed, though its answer did not arrive.
  const storedOurs = (): boolean => sent !== undefined && read.live.policy.text === sent.text;

  for (;;) {
    const changes = groupChangesOf(read.result.plan);
    if (changes.length === 0) {
      if (attempts === 0) return { last: read, applied: [], failed: [], warnings };
      // A write whose answer was lost: the re-read shows whether our text is the one stored.
      const ours = storedOurs();
      if (!ours)
        warnings.push({
          code: 'policy.matched',
          message:
            'on a re-read the groups already matched the file; this run cannot tell whether its own write or ' +
            'someone else made them so',
        });
      if (ours) settings.emit({ type: 'policy-written', etag: read.live.policy.etag });
      const outcome: PolicyOutcome = {
        status: ours ? 'written' : 'matched',
        etagBefore,
        etagAfter: read.live.policy.etag,
        attempts,
      };
      return { outcome, last: read, applied: ours && sent ? sent.changes : [], failed: [], warnings };
    }
    attempts++;
    try {
      // Validated before the role changes; Tailscale checks again on the write, after them.
      const afterRoles = read === first && validated !== undefined && roleChanges.length > 0;
      const result = await attempt(client, read, read === first ? validated : undefined, afterRoles, (text) => {
        sent = { text, changes };
      });
      if (result.kind === 'written') {
        settings.emit({ type: 'policy-written', etag: result.etag });
        return {
          outcome: { status: 'written', etagBefore, etagAfter: result.etag, attempts },
          last: read,
          applied: changes,
          failed: [],
          warnings,
        };
      }
      if (result.kind === 'unknown') {
        // The write may have landed with its answer lost: if the re-read shows nothing left to do,
        // the top of the loop reports it; otherwise it did not land.
        try {
          await readAgain();
          recheck();
        } catch (error) {
          if (!(error instanceof PolicyFailure)) throw error;
          throw new PolicyFailure(
            `${result.error}; whether it was stored is unknown (${error.message}); run apply again to find out ` +
              `and finish`,
          );
        }
        if (groupChangesOf(read.result.plan).length > 0)
          throw new PolicyFailure(`${result.error}; a re-read shows it was not stored`);
        continue;
      }
      await afterConflict(settings, attempts, { readAgain, storedOurs, recheck });
    } catch (error) {
      if (!(error instanceof PolicyFailure)) throw error;
      return failure(read, error, etagBefore, attempts, warnings);
    }
  }
}

/** Every group change of the read the failure happened on fails with the same error. */
function failure(
  read: ApplyRead,
  error: PolicyFailure,
  etagBefore: string,
  attempts: number,
  warnings: PlanWarning[],
): PolicyResult {
  const changes = groupChangesOf(read.result.plan);
  const outcome: PolicyOutcome = { status: 'failed', etagBefore, attempts, error: error.message };
  if (error.details) outcome.details = error.details;
  return {
    outcome,
    last: read,
    applied: [],
    failed: changes.map((change) => ({ change, error: error.message })),
    warnings,
  };
}

type Attempt = { kind: 'written'; etag: string } | { kind: 'conflict' } | { kind: 'unknown'; error: string };

/**
 * The text this read writes: the live text with its groups rewritten, read back and checked against
 * the read's plan. Throws PolicyFailure when it cannot be made as planned.
 */
function candidateOf(read: ApplyRead): string {
  const candidate = groupsCandidate({ text: read.live.policy.text, groups: read.live.groups.groups }, read.result);
  if (candidate === undefined) throw new TypeError('a policy write was attempted for a plan that changes no group');
  if (!candidate.ok) throw new PolicyFailure(candidate.problem.message);
  return candidate.text;
}

/**
 * One write of the groups into the text just read. `validated` is the text apply made and validated
 * before its first write, when this is that read. Throws PolicyFailure when the policy cannot be
 * written: it is not as planned, it does not validate, or Tailscale refuses it.
 */
async function attempt(
  client: TailscaleClient,
  read: ApplyRead,
  validated: string | undefined,
  afterRoles: boolean,
  sending: (text: string) => void,
): Promise<Attempt> {
  const candidate = validated ?? candidateOf(read);
  if (validated === undefined) {
    let verdict: ValidateResult;
    try {
      verdict = await client.validatePolicy(candidate);
    } catch (error) {
      throw asFailure(error, 'validating the new policy file failed, so it was not written');
    }
    if (!verdict.ok) {
      const said = verdict.message ?? 'it gave no reason';
      throw new PolicyFailure(
        `Tailscale's validation refused the new policy file, so it was not written: ${said}`,
        detailLines(verdict.data),
      );
    }
  }
  sending(candidate);
  try {
    return { kind: 'written', etag: (await client.setPolicy(candidate, read.live.policy.etag)).etag };
  } catch (error) {
    if (error instanceof PreconditionFailedError) return { kind: 'conflict' };
    if (error instanceof PolicyRejectedError) {
      const why = afterRoles
        ? ". It passed Tailscale's validation before this run changed roles, so a test in the policy most likely " +
          "depends on a role this run changed: make the policy's tests agree with the roles in the file"
        : '';
      throw new PolicyFailure(
        `Tailscale refused the new policy file, so it was not written: ${error.message}${why}`,
        detailLines(error.data),
      );
    }
    if (error instanceof TailscaleError)
      return { kind: 'unknown', error: `writing the policy file failed: ${error.message}` };
    throw error;
  }
}
