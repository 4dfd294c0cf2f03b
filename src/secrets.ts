// Every secret the process reads is registered here the moment it is read: in GitHub Actions it is
// masked with core.setSecret (the runner then hides it in every log line), and everywhere, redact()
// removes it from any text we print, post or throw, as a second line of defence.
import { setSecret } from '@actions/core';

const known = new Set<string>();
/** `known`, longest first: a secret that contains another must be removed whole, not around it. */
let longestFirst: string[] = [];
const MIN_LINE = 4;

/**
 * The secret part of a Tailscale key, `tskey-<kind>-<id>-<secret>`: what is left of the key when a
 * line is broken at its hyphens, as wrapping text does. Only a long one: a short part would be text
 * found everywhere.
 */
function secretPartOfKey(key: string): string | undefined {
  return /^tskey-[a-z]+-[A-Za-z0-9]+-([A-Za-z0-9]{16,})$/.exec(key)?.[1];
}

/**
 * The spellings a secret takes in text we might print: as read, without surrounding whitespace, each
 * line of a value that spans lines (the runner masks line by line, and a wrapped value is split), the
 * secret part of a Tailscale key, and each of those as a URL or form component (a request body or URL
 * echoed in an error) and inside a JSON string (an answer body echoed; Go also escapes `<`, `>`, `&`).
 */
function spellingsOf(value: string): string[] {
  // A line of a few characters says next to nothing of the secret, and masking it everywhere would
  // leave no log readable.
  const lines = value.split(/\r?\n|\r/).map((line) => line.trim()).filter((line) => line.length >= MIN_LINE);
  const plain = new Set([value, value.trim(), ...lines, ...lines.map(secretPartOfKey).filter((part) => part !== undefined)]);
  const spellings = new Set<string>();
  for (const text of plain) {
    if (text.trim() === '') continue;
    const json = JSON.stringify(text).slice(1, -1);
    spellings.add(text);
    spellings.add(encodeURIComponent(text));
    spellings.add(new URLSearchParams({ v: text }).toString().slice(2));
    spellings.add(json);
    spellings.add(json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'));
  }
  return [...spellings];
}

export function registerSecret(value: string | undefined): void {
  if (!value) return;
  const fresh = spellingsOf(value).filter((spelling) => !known.has(spelling));
  if (fresh.length === 0) return;
  for (const spelling of fresh) known.add(spelling);
  longestFirst = [...known].sort((a, b) => b.length - a.length);
  // Outside Actions the command would print the value itself (`::add-mask::…`) to stdout.
  if (process.env.GITHUB_ACTIONS === 'true') for (const spelling of fresh) setSecret(spelling);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of longestFirst) {
    if (out.includes(secret)) out = out.split(secret).join('***');
  }
  return out;
}

/** For tests: forget every registered secret. */
export function clearSecretsForTest(): void {
  known.clear();
  longestFirst = [];
}
