// The positioned messages a config text is refused with, as a user reads them.
import { parseConfig } from '../../src/config/load.js';
import { DiagnosticsError, formatDiagnostic } from '../../src/diagnostics.js';

export function configProblems(text: string, file: string): string[] {
  try {
    parseConfig(text, file);
  } catch (error) {
    if (error instanceof DiagnosticsError) return error.diagnostics.map(formatDiagnostic);
    throw error;
  }
  throw new Error('expected the file to be refused');
}
