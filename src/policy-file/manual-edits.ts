// Edits made to the live policy outside git: the live ETag is not the one this tool last applied.
// What was edited is shown as a diff of the last applied text against the live one (when the store
// kept the text), and an edit the file in git already holds (someone folded it in) is told apart,
// because writing the file then loses nothing.
import { etagLabel, type PolicyDocument } from '../domain/policy.js';
import { appliedPolicy, sha256Of } from './etag-store.js';
import type { AppliedPolicy, ManualEdit } from '../domain/policy-file.js';
import { holdsChanges, unifiedDiff } from './line-diff.js';

/** Undefined when there is no record to compare with, or the live policy is the one last applied. */
export function detectManualEdit(
  applied: AppliedPolicy | undefined,
  live: PolicyDocument,
  desired: string,
): ManualEdit | undefined {
  if (!applied || applied.etag === live.etag || applied.sha256 === sha256Of(live.text)) return undefined;
  const base = applied.text;
  const kept = live.text === desired || (base !== undefined && holdsChanges(base, live.text, desired));
  const edit: ManualEdit = { appliedEtag: applied.etag, liveEtag: live.etag, kept };
  if (base !== undefined) {
    edit.diff = unifiedDiff(base, live.text, {
      oldName: `last applied by tailnet-access (ETag ${etagLabel(applied.etag)})`,
      newName: `live policy (ETag ${etagLabel(live.etag)})`,
    });
  }
  return edit;
}

/**
 * Whether the live policy is the desired one. Equal texts are; so is a live policy still carrying the
 * ETag this tool got when it wrote this very text, should the server store it reformatted.
 */
export function liveMatches(live: PolicyDocument, desired: string, applied: AppliedPolicy | undefined): boolean {
  return (
    live.text === desired ||
    (applied !== undefined && applied.etag === live.etag && applied.sha256 === sha256Of(desired))
  );
}

/**
 * The record a run that wrote the live policy should have left, when it stopped between its write
 * and recording it: the store holds the hash it noted before writing, and the live text has it.
 * Undefined otherwise. Only the text's own hash counts: Tailscale's ETag is compared for equality.
 */
export function unrecordedWrite(applied: AppliedPolicy | undefined, live: PolicyDocument): AppliedPolicy | undefined {
  if (applied?.intended === undefined || applied.etag === live.etag) return undefined;
  return applied.intended === sha256Of(live.text) ? appliedPolicy(live.etag, live.text) : undefined;
}
