// A file check (check-files.ts) as text, markdown and JSON. Text lines are `file:line:column: error:
// message`, the form editors and terminals jump to; the last line says what was checked, and that the
// tailnet was not.
import { formatSourceRef } from '../diagnostics.js';
import type { Diagnostic } from '../domain/diagnostic.js';
import { escapeControls, escapeMarkdownInline, inlineCode } from '../escape.js';
import type { FileCheck } from '../validate/check-files.js';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The files checked, as a phrase: `tailnet-access.yaml and policy.hujson`. */
function checked(check: FileCheck, quote: (file: string) => string): string {
  return check.policyFile === undefined ? quote(check.config) : `${quote(check.config)} and ${quote(check.policyFile)}`;
}

function verdict(check: FileCheck, quote: (file: string) => string): string {
  const files = checked(check, quote);
  const warnings = check.warnings.length === 0 ? '' : ` (${plural(check.warnings.length, 'warning', 'warnings')})`;
  if (check.errors.length > 0)
    return (
      `${plural(check.errors.length, 'problem', 'problems')} in ${files}${warnings}; nothing was read from the ` +
      `tailnet.`
    );
  return (
    `No problems in ${files}${warnings}: the YAML, its schema and ` +
    `rules${check.policyFile === undefined ? '' : ', and the groups of the policy file'} check out; the tailnet was ` +
    `not read.`
  );
}

/** Errors first, then warnings, each in file order. */
function listed(check: FileCheck): Diagnostic[] {
  return [...check.errors, ...check.warnings];
}

export function renderValidationText(check: FileCheck): string {
  const lines = listed(check).map((d) => escapeControls(`${formatSourceRef(d)}: ${d.severity}: ${d.message}`));
  return [...lines, verdict(check, escapeControls)].join('\n');
}

export interface ValidationMarkdownOptions {
  /** Plain text; omitted (no heading) when the check is part of a larger summary. */
  heading?: string;
}

export function renderValidationMarkdown(check: FileCheck, options: ValidationMarkdownOptions = {}): string {
  const head = options.heading === undefined ? [] : [`### ${escapeMarkdownInline(options.heading)}`, ''];
  const status =
    `**${check.errors.length > 0 ? 'Problems' : 'File check passed'}:** ` +
    `${escapeMarkdownInline(verdict(check, (file) => file))}`;
  const items = listed(check).map(
    (d) => `- ${inlineCode(formatSourceRef(d))} ${d.severity}: ${escapeMarkdownInline(d.message)}`,
  );
  return [...head, status, ...(items.length > 0 ? ['', ...items] : [])].join('\n');
}

/** `{"version": 1, "valid", "files", "errorCount", "warningCount", "diagnostics": [...]}`. */
export function renderValidationJson(check: FileCheck): string {
  const diagnostics = listed(check).map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    path: formatSourceRef(d),
    file: d.file,
    line: d.line,
    column: d.column,
  }));
  const files = check.policyFile === undefined ? [check.config] : [check.config, check.policyFile];
  return JSON.stringify(
    {
      version: 1,
      valid: check.errors.length === 0,
      files,
      errorCount: check.errors.length,
      warningCount: check.warnings.length,
      diagnostics,
    },
    null,
    2,
  );
}
