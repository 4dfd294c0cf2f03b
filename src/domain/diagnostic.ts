// Positions and positioned problems, as every layer names them (src/diagnostics.ts formats them).
// Lines and columns are 1-based, columns counted in UTF-16 code units like every editor and GitHub.

export interface Position {
  line: number;
  column: number;
}

export interface SourceRef extends Position {
  file: string;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic extends SourceRef {
  severity: Severity;
  message: string;
  /** Machine-readable kind, e.g. `yaml.syntax`, `schema`, `unknown-key`, `duplicate-key`. */
  code: string;
  endLine?: number;
  endColumn?: number;
}
