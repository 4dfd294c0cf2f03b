// The policy write under settings.policyFile: the rendered file goes out whole, guarded by If-Match.
// On 412 someone changed the policy since our read; that change was made outside git, so it is
// reported with what it changed and, per settings.onManualEdits, overwritten (warn) or left alone
// (fail). Then: read again, check the rails again, write again. The text written never changes: it is
// the file in git. After a write, the store remembers the new ETag, so the next run can tell an edit
// made outside git from its own.
import type { LoadedConfig } from '../config/load.js';
import type { GroupChange, PlanWarning, UserRoleChange } from '../domain/plan.js';
import { notAsPlanned, strayFromPlan } from '../plan/candidate.js';
import { appliedPolicy, sha256Of, StateFileError } from '../policy-file/etag-store.js';
import { detectManualEdit } from '../policy-file/manual-edits.js';
import { etagLabel } from '../domain/policy.js';
import type { ManualEdit, PolicyFilePlan } from '../domain/policy-file.js';
import type { PolicyFileOptions } from '../policy-file/plan.js';
import { PolicyRejectedError, PreconditionFailedError, TailscaleError } from '../tailscale/client.js';
import type { TailscaleClient } from '../tailscale/client.js';
import {
  afterConflict,
  asFailure,
  detailLines,
  PolicyFailure,
  recheckRails,
  type PolicyResult,
  type PolicySettings,
} from './policy.js';
import type { PlannedWrite } from './planned-write.js';
import { groupChangesOf, readAndPlan, type ApplyRead } from './read-and-plan.js';
import type { ManualEditReport, PolicyFileReport, PolicyOutcome } from '../domain/apply-report.js';

export interface WholePolicyResult extends PolicyResult {
  report: PolicyFileReport;
}

function editReport(edit: ManualEdit, found: ManualEditReport['found']): ManualEditReport {
  const report: ManualEditReport = {
    found,
    appliedEtag: edit.appliedEtag,
    liveEtag: edit.liveEtag,
    kept: edit.kept,
    overwritten: false,
  };
  if (edit.diff) report.diff = edit.diff.text;
  return report;
}

function sectionOf(read: ApplyRead): PolicyFilePlan {
  if (!read.section) throw new TypeError('writeWholePolicy needs a read planned with the policy file');
  return read.section;
}

/**
 * How writing `text` over this read's live policy strays from the plan: "planned" is the policy diff
 * the plan showed, live (at the ETag sent as If-Match) -> the file in git, and the group changes it
 * listed, which the text's own groups must make.
 */
function wholeWriteStrays(read: ApplyRead, text: string): string[] {
  const section = sectionOf(read);
  const { policy, groups } = read.live;
  const lines: string[] = [];
  if (text !== section.desired) lines.push(`the text about to be written is not ${section.file} as the plan showed it`);
  if (section.liveEtag !== policy.etag)
    lines.push(
      `the plan's diff was made against the live policy at ETag ${etagLabel(section.liveEtag)}, and the write ` +
        `would replace ETag ${etagLabel(policy.etag)}`,
    );
  return [
    ...lines,
    ...strayFromPlan({ text: policy.text, groups: groups.groups }, text, groupChangesOf(read.result.plan), 'whole'),
  ];
}

/**
 * Before apply's first write: what stops the file in git from going out as planned; undefined when it is not written.
 */
export function wholeWriteProblems(read: ApplyRead): PlannedWrite | undefined {
  const section = sectionOf(read);
  if (!section.changed) return undefined;
  const strays = wholeWriteStrays(read, section.desired);
  return { text: section.desired, problems: strays.length > 0 ? [notAsPlanned(strays)] : [] };
}

export async function writeWholePolicy(
  config: LoadedConfig,
  client: TailscaleClient,
  first: ApplyRead,
  roleChanges: readonly UserRoleChange[],
  settings: PolicySettings,
  options: PolicyFileOptions,
): Promise<WholePolicyResult> {
  const desired = sectionOf(first).desired;
  const mode = config.desired.settings.onManualEdits;
  const etagBefore = first.live.policy.etag;
  const edits: ManualEditReport[] = [];
  const warnings: PlanWarning[] = [];
  const firstEdit = sectionOf(first).manualEdit;
  if (firstEdit) edits.push(editReport(firstEdit, 'before'));
  let read = first;
  let attempts = 0;
  let sent = false;
  let recorded = false;

  const record = async (etag: string): Promise<void> => {
    const store = options.store;
    if (!store) return;
    const last = sectionOf(read).lastApplied;
    const next = appliedPolicy(etag, desired);
    if (last && last.etag === next.etag && last.sha256 === next.sha256 && last.text === next.text) {
      recorded = true;
      return;
    }
    try {
      await store.set(read.live.tailnet, next, read.live.tailnetId);
      recorded = true;
    } catch (error) {
      if (!(error instanceof StateFileError)) throw error;
      warnings.push({
        code: 'policy.state-not-saved',
        message:
          `the policy was applied, but ${store.description} could not be updated (${error.message}); the next run ` +
          `will take this write for an edit made outside git`,
      });
    }
  };

  const done = async (outcome: PolicyOutcome | undefined, applied: GroupChange[]): Promise<WholePolicyResult> => {
    if (outcome && outcome.status !== 'failed') await record(outcome.etagAfter);
    if (!outcome) await record(read.live.policy.etag);
    const written = outcome?.status === 'written';
    for (const edit of edits) edit.overwritten = written && !edit.kept;
    const section = sectionOf(read);
    const report: PolicyFileReport = {
      file: section.file,
      diff: section.diff.text,
      added: section.diff.added,
      removed: section.diff.removed,
      manualEdits: edits,
      recorded,
    };
    return { ...(outcome ? { outcome } : {}), last: read, applied, failed: [], warnings, report };
  };

  // Noted before the first send, so that a run stopped between the write and `record` is known, by the
  // next, for the one that made the write, not taken for an edit outside git.
  const noteIntent = async (): Promise<void> => {
    const store = options.store;
    if (sent || !store?.noteIntent) return;
    try {
      await store.noteIntent(read.live.tailnet, sha256Of(desired), read.live.tailnetId);
    } catch (error) {
      if (!(error instanceof StateFileError)) throw error;
      warnings.push({
        code: 'policy.state-not-saved',
        message:
          `${store.description} could not note the write about to be made (${error.message}); should this run stop ` +
          `before recording it, the next run takes the write for an edit made outside git`,
      });
    }
  };

  // After a conflict or a lost answer: whatever changed since the previous read was done outside git.
  const readAgain = async (): Promise<void> => {
    const before = read.live.policy;
    try {
      // The first read validated this same text, or apply would have been refused.
      read = await readAndPlan(config, client, {
        options,
        known: { rendered: desired, verdict: { ok: true } },
        purpose: 'plan',
      });
    } catch (error) {
      throw asFailure(error, 'reading the policy again failed, so nothing more was written');
    }
    const edit = detectManualEdit(appliedPolicy(before.etag, before.text), read.live.policy, desired);
    if (edit && !edit.kept && !(sent && read.live.policy.text === desired)) {
      const what =
        `the live policy was edited outside git while apply ran (ETag ${etagLabel(edit.appliedEtag)} -> ` +
        `${etagLabel(edit.liveEtag)})`;
      if (mode === 'fail') {
        throw new PolicyFailure(
          `${what}, and settings.onManualEdits is fail, so it was not overwritten: the policy file was not ` +
            `written. Fold the edit into git (\`${sectionOf(read).pullCommand}\`), or run apply again to overwrite ` +
            `it after setting onManualEdits: warn`,
        );
      }
      edits.push(editReport(edit, 'during'));
      warnings.push({
        code: 'policy.edited-outside-git',
        message: `${what}; apply overwrites it (settings.onManualEdits: warn), and the report shows what it was`,
        path: `${sectionOf(read).file}:1:1`,
      });
    }
  };
  const recheck = (): void => recheckRails(config, first, read, roleChanges, settings, attempts + 1);
  // The live policy is the text this run sent: its write landed, though its answer did not arrive.
  const storedOurs = (): boolean => sent && read.live.policy.text === desired;

  try {
    for (;;) {
      if (!sectionOf(read).changed) {
        if (attempts === 0) return await done(undefined, []);
        // A write whose answer was lost: the re-read shows whether our text is the one stored.
        const ours = storedOurs();
        if (!ours)
          warnings.push({
            code: 'policy.matched',
            message:
              'on a re-read the policy already matched the file; this run cannot tell whether its own write or ' +
              'someone else made it so',
          });
        else settings.emit({ type: 'policy-written', etag: read.live.policy.etag });
        return await done(
          { status: ours ? 'written' : 'matched', etagBefore, etagAfter: read.live.policy.etag, attempts },
          ours ? groupChangesOf(read.result.plan) : [],
        );
      }
      attempts++;
      const changes = groupChangesOf(read.result.plan);
      const strays = wholeWriteStrays(read, desired);
      if (strays.length > 0) throw new PolicyFailure(notAsPlanned(strays).message);
      await noteIntent();
      try {
        sent = true;
        const stored = await client.setPolicy(desired, read.live.policy.etag);
        settings.emit({ type: 'policy-written', etag: stored.etag });
        return await done({ status: 'written', etagBefore, etagAfter: stored.etag, attempts }, changes);
      } catch (error) {
        if (error instanceof PolicyRejectedError) {
          throw new PolicyFailure(
            `Tailscale refused the policy file, so it was not written: ${error.message}`,
            detailLines(error.data),
          );
        }
        if (error instanceof PreconditionFailedError) {
          await afterConflict(settings, attempts, { readAgain, storedOurs, recheck });
          continue;
        }
        if (!(error instanceof TailscaleError)) throw error;
        // The write may have landed with its answer lost: the re-read tells.
        const lost = `writing the policy file failed: ${error.message}`;
        try {
          await readAgain();
          recheck();
        } catch (failure) {
          if (!(failure instanceof PolicyFailure)) throw failure;
          throw new PolicyFailure(
            `${lost}; whether it was stored is unknown (${failure.message}); run apply again to find out and finish`,
          );
        }
        if (sectionOf(read).changed) throw new PolicyFailure(`${lost}; a re-read shows it was not stored`);
      }
    }
  } catch (error) {
    if (!(error instanceof PolicyFailure)) throw error;
    const outcome: PolicyOutcome = { status: 'failed', etagBefore, attempts, error: error.message };
    if (error.details) outcome.details = error.details;
    const result = await done(outcome, []);
    const changes = groupChangesOf(read.result.plan);
    return { ...result, failed: changes.map((change) => ({ change, error: error.message })) };
  }
}
