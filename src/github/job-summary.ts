// The job summary: the full plan, always, whatever was cut from the PR comment. GitHub refuses a
// step summary over 1 MiB, counted in bytes, so the markdown is rendered for a character budget and,
// when wide characters push it over in bytes, rendered again for a smaller one.
import * as core from '@actions/core';
import { redact } from '../secrets.js';

/** GitHub's limit per step, less room for anything the runner adds. */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 4096;

/** Renders with the largest character budget whose result fits in `maxBytes` of UTF-8. */
export function fitSummary(render: (maxLength: number) => string, maxBytes = SUMMARY_MAX_BYTES): string {
  let budget = maxBytes;
  for (;;) {
    const text = redact(render(budget));
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes <= maxBytes) return text;
    // Shrink in proportion to the overshoot, and always by something.
    budget = Math.min(budget - 1, Math.floor((budget * maxBytes) / bytes));
  }
}

/** Appends to the step summary (core.summary); outside a runner (no GITHUB_STEP_SUMMARY) the text goes to the log. */
export async function writeJobSummary(markdown: string): Promise<void> {
  const text = redact(markdown);
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info(text);
    return;
  }
  await core.summary.addRaw(text, true).write();
}
