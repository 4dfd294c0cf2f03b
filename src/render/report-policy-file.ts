// The policy file's section of an apply report under settings.policyFile, for a terminal, for markdown
// and as JSON: written whole or not, the diff it wrote, and each edit made outside git it found, with
// what that edit changed and whether the write replaced it. Nothing an edit changed goes unsaid. The
// report renderers (report-text.ts, report-markdown.ts, report-json.ts) add it when the report has one.
import type { ApplyReport, ManualEditReport, PolicyFileReport } from '../domain/apply-report.js';
import { escapeControls, escapeMarkdownInline, fenceFor, inlineCode } from '../escape.js';
import { etagLabel } from '../domain/policy.js';
import { lineCounts, safeLine } from './plan-policy-file.js';

const ANSI = { green: '\x1b[32m', red: '\x1b[31m', bold: '\x1b[1m', reset: '\x1b[0m' };

function lines(diff: string): string[] {
  return diff === '' ? [] : diff.replace(/\n$/, '').split('\n');
}

function fate(report: ApplyReport): string {
  const file = report.policyFile;
  if (!file) return '';
  const counts = lineCounts(file.added, file.removed);
  switch (report.policy?.status) {
    case undefined:
      return 'the live policy already matched it; nothing written';
    case 'written':
      return `written whole (${counts})`;
    case 'matched':
      return 'already matched it on a re-read';
    case 'failed':
      return `not written (${counts} were to change): ${report.policy.error}`;
  }
}

function editHeading(edit: ManualEditReport): string {
  const when = edit.found === 'before' ? 'since the last apply' : 'while this apply ran';
  const what = edit.kept
    ? 'the file in git already held it'
    : edit.overwritten
      ? 'overwritten by this apply'
      : 'left as it is';
  return `Edited outside git ${when} (ETag ${etagLabel(edit.appliedEtag)} -> ${etagLabel(edit.liveEtag)}), ${what}`;
}

export function renderPolicyFileReportText(report: ApplyReport, options: { color: boolean }): string {
  const file = report.policyFile;
  if (!file) return '';
  const paint = (line: string): string => {
    if (!options.color || line.startsWith('+++') || line.startsWith('---')) return safeLine(line);
    const code = line.startsWith('+') ? ANSI.green : line.startsWith('-') ? ANSI.red : '';
    return code ? `${code}${safeLine(line)}${ANSI.reset}` : safeLine(line);
  };
  const out = [`Policy file ${escapeControls(file.file)}: ${escapeControls(fate(report))}`];
  if (report.policy) for (const line of lines(file.diff)) out.push(`  ${paint(line)}`);
  for (const edit of file.manualEdits) {
    out.push('', `${editHeading(edit)}:`);
    if (edit.diff !== undefined) for (const line of lines(edit.diff)) out.push(`  ${paint(line)}`);
    else out.push('  (the store kept only the ETag, so what changed cannot be shown)');
  }
  if (!file.recorded)
    out.push(
      '',
      'The ETag of the policy as applied was not saved, so the next run cannot tell an edit outside git from this one.',
    );
  return `${out.join('\n')}\n`;
}

/**
 * The summary line when the only change was the policy file: the report's own line would say "no
 * changes", so it says "complete" instead. Undefined when the report's own line stands.
 */
export function policyFileReportSummary(
  report: ApplyReport,
  options: { color: boolean; configPath: string },
): string | undefined {
  const file = report.policyFile;
  if (!file || report.policy?.status !== 'written') return undefined;
  const lead = options.color ? `${ANSI.bold}${ANSI.green}Apply complete:${ANSI.reset}` : 'Apply complete:';
  return (
    `${lead} ${escapeControls(file.file)} written (${lineCounts(file.added, file.removed)}). The tailnet matches ` +
    `${escapeControls(options.configPath)}.`
  );
}

function diffDetails(summary: string, diff: string, budget: number): string {
  const shown: string[] = [];
  let used = 0;
  const all = lines(diff).map(safeLine);
  for (const line of all) {
    if (used + line.length + 1 > budget) break;
    shown.push(line);
    used += line.length + 1;
  }
  const more = all.length - shown.length;
  if (more > 0)
    shown.push(
      `… ${more} more ${more === 1 ? 'line' : 'lines'} (the whole diff: \`tailnet-access apply --format json\`)`,
    );
  const fence = fenceFor(shown.join('\n'));
  return `<details>\n<summary>${summary}</summary>\n\n${fence}diff\n${shown.join('\n')}\n${fence}\n\n</details>`;
}

/** The policy file's part as markdown, its diffs sharing at most half of `maxLength`. */
export function renderPolicyFileReportMarkdown(report: ApplyReport, file: PolicyFileReport, maxLength: number): string {
  const diffs =
    (report.policy && file.diff !== '' ? 1 : 0) + file.manualEdits.filter((e) => e.diff !== undefined).length;
  const budget = Math.floor(maxLength / 2 / Math.max(1, diffs)) - 200;
  const blocks = [`**Policy file ${inlineCode(file.file)}:** ${escapeMarkdownInline(fate(report))}`];
  if (report.policy && file.diff !== '')
    blocks.push(diffDetails(`The policy diff (${lineCounts(file.added, file.removed)})`, file.diff, budget));
  for (const edit of file.manualEdits) {
    blocks.push(`**${escapeMarkdownInline(editHeading(edit))}.**`);
    if (edit.diff !== undefined) blocks.push(diffDetails('What was edited', edit.diff, budget));
  }
  return `${blocks.join('\n\n')}\n`;
}

/** The `policyFile` member of the apply report JSON (schema/apply-report.schema.json). */
export function policyFileReportJson(file: PolicyFileReport): PolicyFileReport {
  return {
    file: file.file,
    diff: file.diff,
    added: file.added,
    removed: file.removed,
    manualEdits: file.manualEdits.map((e) => ({
      found: e.found,
      appliedEtag: e.appliedEtag,
      liveEtag: e.liveEtag,
      kept: e.kept,
      overwritten: e.overwritten,
      ...(e.diff !== undefined ? { diff: e.diff } : {}),
    })),
    recorded: file.recorded,
  };
}
