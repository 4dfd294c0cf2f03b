// The file in git must be exactly what `render` makes of it, so that what is reviewed is what apply
// writes. When it is not, the error sits on the first line that differs and names the fix.
import type { Diagnostic } from '../domain/diagnostic.js';
import { readPolicyGroups } from '../policy/groups.js';
import type { PolicyGroup } from '../policy/types.js';
import { lineChanges, splitLines } from './line-diff.js';
import type { PolicyFile } from './source.js';

/** Quoted for a POSIX shell when it holds anything but the characters paths usually have. */
export function shellWord(word: string): string {
  return /^[\w./@:+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `tailnet-access render`, with `--config` unless the config file is the default one. */
export function renderCommandFor(configShown: string, extra = ''): string {
  const config = configShown === 'tailnet-access.yaml' ? '' : ` --config ${shellWord(configShown)}`;
  return `tailnet-access render${extra}${config}`;
}

/** The groups whose members differ between two policy texts, by name. */
export function groupsDiffering(before: string, after: string): string[] {
  const key = (g: PolicyGroup): string => g.members.join('\n');
  const old = new Map(readPolicyGroups(before).groups.map((g) => [g.name, key(g)]));
  const now = new Map(readPolicyGroups(after).groups.map((g) => [g.name, key(g)]));
  const names = new Set([...old.keys(), ...now.keys()]);
  return [...names].filter((name) => old.get(name) !== now.get(name));
}

/** Undefined when the file is rendered; else an error on its first differing line. */
export function notRenderedDiagnostic(
  file: PolicyFile,
  rendered: string,
  configShown: string,
  renderCommand: string,
): Diagnostic | undefined {
  if (rendered === file.text) return undefined;
  const [first] = lineChanges(splitLines(file.text), splitLines(rendered));
  const lines = splitLines(file.text).length;
  const line = Math.max(1, Math.min((first?.oldStart ?? 0) + 1, lines));
  const groups = groupsDiffering(file.text, rendered);
  const which = groups.length === 0 ? '' : ` (${groups.length === 1 ? 'group' : 'groups'} ${groups.join(', ')})`;
  return {
    file: file.shown,
    line,
    column: 1,
    severity: 'error',
    code: 'policy.not-rendered',
    message:
      `${file.shown} does not hold the groups of ${configShown}${which}; run \`${renderCommand}\` and commit the ` +
      `result, so that the file in git is exactly the policy apply writes`,
  };
}
