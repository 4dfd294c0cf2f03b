// The policy file's section of a plan under settings.policyFile, for a terminal, for markdown and as
// JSON: whether apply writes it, the whole-policy diff live -> desired, Tailscale's verdict, and an
// edit made outside git with what it changed; and the plan's summary that counts the policy file too.
// The plan renderers (plan-text.ts, plan-markdown.ts, plan-json.ts) add it when given the policy file.
// Policy lines are other people's text: controls are shown as escapes, tabs kept.
import { formatSourceRef } from '../diagnostics.js';
import { escapeControls, escapeMarkdownInline, fenceFor, inlineCode } from '../escape.js';
import { etagLabel } from '../domain/policy.js';
import type { Plan } from '../domain/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { countChanges, describeCounts } from './format.js';

/** A policy line made safe for a terminal or a code block; tabs stay tabs. */
export function safeLine(line: string): string {
  return line.split('\t').map(escapeControls).join('\t');
}

const ANSI = { green: '\x1b[32m', red: '\x1b[31m', cyan: '\x1b[36m', bold: '\x1b[1m', reset: '\x1b[0m' };

function paintDiffLine(line: string, color: boolean): string {
  const safe = safeLine(line);
  if (!color) return safe;
  const code =
    line.startsWith('+++') || line.startsWith('---')
      ? ANSI.bold
      : line.startsWith('+')
        ? ANSI.green
        : line.startsWith('-')
          ? ANSI.red
          : line.startsWith('@@')
            ? ANSI.cyan
            : '';
  return code ? `${code}${safe}${ANSI.reset}` : safe;
}

function diffLines(diff: string): string[] {
  return diff === '' ? [] : diff.replace(/\n$/, '').split('\n');
}

/** "+3 -1 lines" */
export function lineCounts(added: number, removed: number): string {
  return `+${added} -${removed} ${added + removed === 1 ? 'line' : 'lines'}`;
}

/** One sentence on the file: written or not, and valid or not. */
export function policyFileStatus(section: PolicyFilePlan): string {
  const write = section.changed
    ? `apply writes it whole (${lineCounts(section.diff.added, section.diff.removed)} against the live policy, ETag ` +
      `${etagLabel(section.liveEtag)})`
    : 'the live policy matches it';
  const verdict =
    section.invalid.length > 0
      ? `Tailscale refuses it (${section.invalid.length} ${section.invalid.length === 1 ? 'error' : 'errors'})`
      : 'Tailscale validates it, tests included';
  return `${write}; ${verdict}.`;
}

export function renderPolicyFileText(section: PolicyFilePlan, options: { color: boolean }): string {
  const out = [`Policy file ${escapeControls(section.file)}: ${policyFileStatus(section)}`];
  for (const d of [...(section.notRendered ? [section.notRendered] : []), ...section.invalid])
    out.push(`  ${escapeControls(formatSourceRef(d))}: error: ${escapeControls(d.message)}`);
  for (const line of diffLines(section.diff.text)) out.push(`  ${paintDiffLine(line, options.color)}`);
  const edit = section.manualEdit;
  if (edit) {
    out.push(
      '',
      `Edited outside git since the last apply (ETag ${etagLabel(edit.appliedEtag)} -> ` +
        `${etagLabel(edit.liveEtag)})${edit.kept ? ', and already in the file in git' : ''}:`,
    );
    if (edit.diff) for (const line of diffLines(edit.diff.text)) out.push(`  ${paintDiffLine(line, options.color)}`);
    else out.push('  (the store kept only the ETag, so what changed cannot be shown)');
  }
  return `${out.join('\n')}\n`;
}

/** A ```diff block of at most `budget` characters: whole lines, the rest counted. */
function diffBlock(diff: string, budget: number): string {
  const lines = diffLines(diff).map(safeLine);
  const fence = fenceFor(lines.join('\n'));
  const shown: string[] = [];
  let used = fence.length * 2 + 40;
  for (const line of lines) {
    if (used + line.length + 1 > budget) break;
    shown.push(line);
    used += line.length + 1;
  }
  const more = lines.length - shown.length;
  const tail =
    more > 0 ? [`… ${more} more ${more === 1 ? 'line' : 'lines'} (the whole diff: \`tailnet-access plan\`)`] : [];
  return `${fence}diff\n${[...shown, ...tail].join('\n')}\n${fence}`;
}

function details(summary: string, body: string): string {
  return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** The section as markdown in at most `maxLength` characters (default: no limit). Diffs are cut at whole lines. */
export function renderPolicyFileMarkdown(section: PolicyFilePlan, options: { maxLength?: number } = {}): string {
  const max = options.maxLength ?? Number.POSITIVE_INFINITY;
  const head = `**Policy file ${inlineCode(section.file)}:** ${escapeMarkdownInline(policyFileStatus(section))}`;
  const errors = [...(section.notRendered ? [section.notRendered] : []), ...section.invalid].map(
    (d) => `- ${inlineCode(formatSourceRef(d))} ${escapeMarkdownInline(d.message)}`,
  );
  const blocks = [head, ...(errors.length > 0 ? [errors.join('\n')] : [])];
  const edit = section.manualEdit;
  const editHead = edit
    ? `**Edited outside git** since the last apply (ETag ${inlineCode(etagLabel(edit.appliedEtag))} -> ` +
      `${inlineCode(etagLabel(edit.liveEtag))})${edit.kept ? ', and already in the file in git.' : '.'}`
    : undefined;
  const fixed = [...blocks, ...(editHead ? [editHead] : [])].join('\n\n').length + 200;
  const room = Math.max(0, max - fixed);
  const diffs = section.diff.text !== '' && edit?.diff ? 2 : 1;
  if (section.diff.text !== '')
    blocks.push(
      details(
        `Policy diff, live -> ${escapeMarkdownInline(section.file)} ` +
          `(${lineCounts(section.diff.added, section.diff.removed)})`,
        diffBlock(section.diff.text, room / diffs),
      ),
    );
  if (editHead) {
    blocks.push(editHead);
    if (edit?.diff)
      blocks.push(
        details(
          `What was edited (${lineCounts(edit.diff.added, edit.diff.removed)})`,
          diffBlock(edit.diff.text, room / diffs),
        ),
      );
  }
  return `${blocks.join('\n\n')}\n`;
}

export interface PolicyFileJson {
  file: string;
  changed: boolean;
  linesAdded: number;
  linesRemoved: number;
  diff: string;
  rendered: boolean;
  valid: boolean;
  errors: { path: string; message: string }[];
  editedOutsideGit?: { appliedEtag: string; liveEtag: string; kept: boolean; diff?: string };
}

/** The `policyFile` member of the plan JSON (schema/plan.schema.json). */
export function policyFileJson(section: PolicyFilePlan): PolicyFileJson {
  const errors = [...(section.notRendered ? [section.notRendered] : []), ...section.invalid].map((d) => ({
    path: formatSourceRef(d),
    message: d.message,
  }));
  const json: PolicyFileJson = {
    file: section.file,
    changed: section.changed,
    linesAdded: section.diff.added,
    linesRemoved: section.diff.removed,
    diff: section.diff.text,
    rendered: section.notRendered === undefined,
    valid: section.invalid.length === 0,
    errors,
  };
  const edit = section.manualEdit;
  if (edit)
    json.editedOutsideGit = {
      appliedEtag: edit.appliedEtag,
      liveEtag: edit.liveEtag,
      kept: edit.kept,
      ...(edit.diff ? { diff: edit.diff.text } : {}),
    };
  return json;
}

function policyPart(section: PolicyFilePlan): string {
  return section.changed
    ? `${section.file} to write (${lineCounts(section.diff.added, section.diff.removed)})`
    : `${section.file} matches the live policy`;
}

/** The plan's summary, policy file included: `No changes. …` or `Plan: …`, as words without markup. */
export function policyPlanSummary(
  plan: Plan,
  section: PolicyFilePlan,
  configPath: string,
): { lead: 'No changes.' | 'Plan:'; rest: string } {
  const counts = describeCounts(countChanges(plan.changes));
  if (counts === '' && !section.changed)
    return { lead: 'No changes.', rest: `The tailnet matches ${configPath} and ${section.file}.` };
  return { lead: 'Plan:', rest: counts === '' ? `${policyPart(section)}.` : `${counts}; ${policyPart(section)}.` };
}
