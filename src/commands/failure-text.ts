// A Failure (src/engine/failure.ts) as the CLI prints it on standard error: the lines a person reads in
// a terminal or a CI log, in the same words as the action's title and lines.
import type { Failure } from '../engine/failure.js';

export function failureText(failure: Failure): string {
  switch (failure.kind) {
    case 'file-problems':
      return `${failure.lines.join('\n')}\n${failure.title}.`;
    case 'plan-problems':
      return `${(failure.problems ?? []).map((p) => `${p.path ? `${p.path}: ` : ''}error: ${p.message}`).join('\n')}\n${failure.title}.`;
    case 'refused':
      return `refused by the ${failure.rail ?? 'unknown'} safety rail: ${failure.lines.join('\n')}`;
    default:
      return `error: ${failure.lines.join('\n')}`;
  }
}
