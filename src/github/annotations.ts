// Problems shown where they are made: an annotation (core.error / core.warning) at file/line/column
// appears on that line of the pull request's diff. GitHub shows at most 10 error and 10 warning annotations per
// step, so the rest go to the log as plain `file:line:column: message` lines (the summary lists all).
import * as core from '@actions/core';
import { formatSourceRef, parseSourceRef } from '../diagnostics.js';
import type { Diagnostic, SourceRef } from '../domain/diagnostic.js';
import { redact } from '../secrets.js';

export const MAX_ANNOTATIONS = 10;

export interface Finding {
  severity: 'error' | 'warning';
  message: string;
  /** Where, when the finding is about a place in a file of the repository. */
  at?: SourceRef & { endLine?: number; endColumn?: number };
}

export function diagnosticFindings(diagnostics: readonly Diagnostic[]): Finding[] {
  return diagnostics.map((d) => {
    const at: Finding['at'] = { file: d.file, line: d.line, column: d.column };
    if (d.endLine !== undefined) at.endLine = d.endLine;
    if (d.endColumn !== undefined) at.endColumn = d.endColumn;
    return { severity: d.severity, message: d.message, at };
  });
}

export function pathFindings(
  severity: Finding['severity'],
  items: readonly { message: string; path?: string }[],
): Finding[] {
  return items.map((item) => {
    const at = parseSourceRef(item.path);
    return at === undefined
      ? { severity, message: item.path ? `${item.path}: ${item.message}` : item.message }
      : { severity, message: item.message, at };
  });
}

/**
 * Only the findings with a place in a file. Warnings about the tailnet rather than the file (an
 * unmanaged user, say) are in the plan and the summary; as annotations they would crowd out the ten
 * that show in the diff.
 */
export function positioned(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.at !== undefined);
}

function annotationProperties(finding: Finding, title: string): core.AnnotationProperties {
  const props: core.AnnotationProperties = { title };
  const at = finding.at;
  if (at === undefined) return props;
  props.file = at.file;
  props.startLine = at.line;
  props.startColumn = at.column;
  if (at.endLine !== undefined) props.endLine = at.endLine;
  if (at.endColumn !== undefined) props.endColumn = at.endColumn;
  return props;
}

/** Annotates the first ten of each severity; logs the rest. Returns how many were annotated. */
export function annotate(findings: readonly Finding[], title = 'tailnet-access'): number {
  const shown = { error: 0, warning: 0 };
  for (const finding of findings) {
    const message = redact(finding.message);
    if (shown[finding.severity] < MAX_ANNOTATIONS) {
      shown[finding.severity]++;
      const props = annotationProperties(finding, title);
      if (finding.severity === 'error') core.error(message, props);
      else core.warning(message, props);
    } else {
      const where = finding.at ? `${formatSourceRef(finding.at)}: ` : '';
      core.info(`${where}${finding.severity}: ${message}`);
    }
  }
  return shown.error + shown.warning;
}
