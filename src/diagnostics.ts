// Positions and positioned problems, shared by the config loader, the policy reader and the renderers.
// Lines and columns are 1-based, columns counted in UTF-16 code units like every editor and GitHub.
import type { Diagnostic, Position, SourceRef } from './domain/diagnostic.js';

export function formatSourceRef(ref: SourceRef): string {
  return `${ref.file}:${ref.line}:${ref.column}`;
}

/** `file:line:column` (the shape plan warnings and problems carry) -> a position; undefined otherwise. */
export function parseSourceRef(text: string | undefined): SourceRef | undefined {
  const match = text === undefined ? null : /^(.+):(\d+):(\d+)$/.exec(text);
  if (!match) return undefined;
  return { file: match[1] as string, line: Number(match[2]), column: Number(match[3]) };
}

export function formatDiagnostic(d: Diagnostic): string {
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  return `${formatSourceRef(d)}: ${prefix}${d.message}`;
}

/** Thrown when an input file has one or more errors; carries all of them, not just the first. */
export class DiagnosticsError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticsError';
    this.diagnostics = diagnostics;
  }
}

/**
 * Maps offsets in a text to line/column. Built once per text (a scan for line starts), then each
 * lookup is a binary search, so mapping thousands of errors in a large file stays cheap.
 */
export class LineIndex {
  private readonly starts: number[];
  constructor(text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}
