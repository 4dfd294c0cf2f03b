// Every secret the process reads is registered here the moment it is read: in GitHub Actions it is
// masked with the runner's `add-mask` command (what core.setSecret sends; the runner then hides it in
// every log line), and everywhere, redact() removes it from any text we print, post or throw, as a
// second line of defence.
import { issueCommand } from './github/runner.js';

const known = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (!value || known.has(value)) return;
  known.add(value);
  // Outside Actions the command would print the value itself (`::add-mask::…`) to stdout.
  if (process.env.GITHUB_ACTIONS === 'true') issueCommand('add-mask', {}, value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of known) {
    if (out.includes(secret)) out = out.split(secret).join('***');
  }
  return out;
}

/** For tests: forget every registered secret. */
export function clearSecretsForTest(): void {
  known.clear();
}
