// The policy-file part of a plan under settings.policyFile: the desired policy (the repository's file
// with its groups rendered from the YAML), whether the file is rendered, the whole-policy diff
// live -> desired, Tailscale's verdict on the desired policy, and edits made outside git since the
// last apply. `planPolicyFile` does the reads; `withPolicyFile` folds the result into the plan.
import type { Desired, OnManualEdits } from '../config/types.js';
import { formatSourceRef } from '../diagnostics.js';
import type { Diagnostic } from '../domain/diagnostic.js';
import type { LiveTailnet } from '../plan/diff.js';
import { isGroupChange, type PlanProblem, type PlanResult, type PlanWarning } from '../domain/plan.js';
import { readPolicyGroups } from '../policy/groups.js';
import type { TailscaleClient } from '../tailscale/client.js';
import { etagLabel, type ValidateResult } from '../domain/policy.js';
import type { EtagStore } from './etag-store.js';
import type { AppliedPolicy, ManualEdit, PolicyFilePlan } from '../domain/policy-file.js';
import { wholeFileGroupChanges } from './group-changes.js';
import { unifiedDiff } from './line-diff.js';
import { detectManualEdit, liveMatches, unrecordedWrite } from './manual-edits.js';
import { notRenderedDiagnostic, renderCommandFor } from './not-rendered.js';
import type { PolicyFile } from './source.js';
import { validationDiagnostics } from './validation.js';

export interface PolicyFileOptions {
  file: PolicyFile;
  /**
   * Where the last applied policy is remembered. Without one, edits made outside git go unnoticed (a warning says so).
   */
  store?: EtagStore;
  /** The fix shown for a file that is not rendered; default `tailnet-access render [--config …]`. */
  renderCommand?: string;
  /**
   * The way shown to fold an edit made outside git into the file; default `tailnet-access render --from-live [--config
   * …]`.
   */
  pullCommand?: string;
}

export interface PolicyFileReads {
  desired: Desired;
  options: PolicyFileOptions;
  live: LiveTailnet;
  /** What the store holds for the tailnet. */
  lastApplied: AppliedPolicy | undefined;
  verdict: ValidateResult;
}

/** The pure half: everything but the reads. `rendered` is what renderPolicyFile made of the file. */
export function policyFilePlanOf(reads: PolicyFileReads, rendered: string): PolicyFilePlan {
  const { desired, options, live, lastApplied } = reads;
  const file = options.file;
  const notRendered = notRenderedDiagnostic(
    file,
    rendered,
    desired.file,
    options.renderCommand ?? renderCommandFor(desired.file),
  );
  // An earlier run's own write stands for the last apply it did not get to record.
  const unrecorded = unrecordedWrite(lastApplied, live.policy);
  const basis = unrecorded ?? lastApplied;
  const changed = !liveMatches(live.policy, rendered, basis);
  const plan: PolicyFilePlan = {
    file: file.shown,
    desired: rendered,
    liveEtag: live.policy.etag,
    changed,
    diff: changed
      ? unifiedDiff(live.policy.text, rendered, {
          oldName: `live policy (ETag ${etagLabel(live.policy.etag)})`,
          newName: file.shown,
        })
      : { text: '', added: 0, removed: 0 },
    invalid: validationDiagnostics(reads.verdict, rendered, file),
    pullCommand: options.pullCommand ?? renderCommandFor(desired.file, ' --from-live'),
  };
  if (notRendered) plan.notRendered = notRendered;
  const edit = detectManualEdit(basis, live.policy, rendered);
  if (edit) plan.manualEdit = edit;
  if (lastApplied) plan.lastApplied = lastApplied;
  if (unrecorded) plan.unrecorded = true;
  if (options.store) plan.store = options.store.description;
  return plan;
}

/** What is known before the reads: the rendered policy, and on a re-read the verdict on it. */
export interface PolicyFileKnown {
  /** renderPolicyFile's result, made before the first API call so a broken file costs none. */
  rendered: string;
  /** Apply re-plans after a 412 with the same desired policy: Tailscale is not asked again. */
  verdict?: ValidateResult;
}

/** Reads the store and asks Tailscale to validate the desired policy (unless `known.verdict`). */
export async function planPolicyFile(
  client: TailscaleClient,
  desired: Desired,
  live: LiveTailnet,
  options: PolicyFileOptions,
  known: PolicyFileKnown,
): Promise<PolicyFilePlan> {
  const lastApplied = await options.store?.get(live.tailnet, live.tailnetId);
  const verdict = known.verdict ?? (await client.validatePolicy(known.rendered));
  return policyFilePlanOf({ desired, options, live, lastApplied, verdict }, known.rendered);
}

/** Plan (and drift) report an edit outside git; apply refuses to overwrite one under `fail`. */
export type Purpose = 'plan' | 'apply';

function atFile(section: PolicyFilePlan): string {
  return `${section.file}:1:1`;
}

export function manualEditMessage(
  section: PolicyFilePlan,
  edit: ManualEdit,
  mode: OnManualEdits,
  purpose: Purpose,
): string {
  const what =
    `the live policy was edited outside git since tailnet-access last applied it (ETag ` +
    `${etagLabel(edit.appliedEtag)} -> ${etagLabel(edit.liveEtag)})`;
  if (edit.kept) return `${what}; ${section.file} in git already holds the edit, so applying it loses nothing`;
  const fold =
    `fold the edit into git: run \`${section.pullCommand}\`, review the change (put group edits into the YAML), and ` +
    `commit it`;
  if (mode === 'warn') return `${what}; apply overwrites the edit (settings.onManualEdits: warn). To keep it, ${fold}`;
  const refusal =
    purpose === 'apply'
      ? 'nothing was written: the edit and the file are as they were'
      : 'apply will refuse to write until it is folded in';
  return (
    `${what}, and settings.onManualEdits is fail, so ${refusal}. To go ahead, ${fold}; or set onManualEdits: warn ` +
    `to overwrite it`
  );
}

function problemOf(d: Diagnostic): PlanProblem {
  return { code: d.code, message: d.message, path: formatSourceRef(d) };
}

/**
 * The plan with the policy file folded in: the group changes become those of writing the rendered
 * file (live groups -> its groups), and its problems and warnings join the plan's.
 */
export function withPolicyFile(
  result: PlanResult,
  live: LiveTailnet,
  section: PolicyFilePlan,
  desired: Desired,
  purpose: Purpose,
): PlanResult {
  const renderedGroups = readPolicyGroups(section.desired).groups;
  const groupChanges = wholeFileGroupChanges(live.groups.groups, renderedGroups);
  const changes = [...result.plan.changes.filter((c) => !isGroupChange(c)), ...groupChanges];
  const problems: PlanProblem[] = [
    ...result.problems,
    ...(section.notRendered ? [problemOf(section.notRendered)] : []),
    ...section.invalid.map(problemOf),
  ];
  const warnings: PlanWarning[] = [...result.plan.warnings];
  const mode = desired.settings.onManualEdits;
  const edit = section.manualEdit;
  if (section.unrecorded) {
    const next = purpose === 'apply' ? 'this apply records it' : 'the next apply records it';
    warnings.push({
      code: 'policy.unrecorded-write',
      message:
        `the live policy is the one an earlier apply wrote (recognised by the hash it noted before writing), but ` +
        `that run stopped before recording it in ${section.store ?? 'the store'}; it is not an edit made outside ` +
        `git, and ${next}`,
      path: atFile(section),
    });
  }
  if (edit) {
    const entry = {
      code: 'policy.edited-outside-git',
      message: manualEditMessage(section, edit, mode, purpose),
      path: atFile(section),
    };
    if (purpose === 'apply' && mode === 'fail' && !edit.kept) problems.push(entry);
    else warnings.push(entry);
  } else if (section.store === undefined) {
    warnings.push({
      code: 'policy.edits-unchecked',
      message: 'no store of the last applied policy was given, so edits made outside git cannot be noticed',
      path: atFile(section),
    });
  } else if (section.lastApplied === undefined) {
    warnings.push({
      code: 'policy.no-record',
      message:
        `${section.store} has no record of a policy applied to this tailnet yet, so edits made outside git are ` +
        `noticed only from the next apply on`,
      path: atFile(section),
    });
  }
  const out: PlanResult = { plan: { ...result.plan, changes, warnings }, problems };
  if (groupChanges.length > 0) out.targetGroups = renderedGroups.map(({ name, members }) => ({ name, members }));
  return out;
}

/** Whether anything would change: a role, a group, or the policy text. */
export function hasPendingChanges(result: Pick<PlanResult, 'plan'>, section: PolicyFilePlan | undefined): boolean {
  return result.plan.changes.length > 0 || section?.changed === true;
}
