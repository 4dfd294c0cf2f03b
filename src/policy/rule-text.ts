// A policy rule said on one line, the way a reviewer reads it: `accept group:eng -> tag:server:22`
// for an ACL, `tag:server owned by group:eng, alice@example.com` for a tag owner. Sections we know
// are phrased; anything else is its JSON, compacted. Always one line, never longer than RULE_TEXT_MAX.
import { getNodeValue, type Node } from 'jsonc-parser';

/** Longer renderings are cut here, ending in `…`. */
export const RULE_TEXT_MAX = 160;

type Phrase = (rule: Record<string, unknown>) => string;

/** Sections whose rules are objects, phrased from their fields. */
const OBJECT_RULES: Record<string, Phrase> = {
  // `users` and `ports` are the legacy spellings of `src` and `dst`.
  acls: (r) =>
    join([
      str(r.action) ?? 'accept',
      names(r.src ?? r.users),
      '->',
      names(r.dst ?? r.ports),
      opt('proto', r.proto),
      opt('if', r.srcPosture),
    ]),
  grants: (r) =>
    join([
      names(r.src),
      '->',
      names(r.dst),
      opt('ip', r.ip),
      opt('app', keys(r.app)),
      opt('via', r.via),
      opt('if', r.srcPosture),
    ]),
  ssh: (r) =>
    join([
      str(r.action) ?? 'accept',
      names(r.src),
      '->',
      names(r.dst),
      'as',
      names(r.users),
      opt('checkPeriod', r.checkPeriod),
    ]),
  nodeAttrs: (r) => join([names(r.target), 'get', names(r.attr ?? keys(r.app) ?? r.ipPool)]),
  tests: (r) =>
    clauses(
      `test from ${names(r.src ?? r.user)}`,
      [
        ['accepts', r.accept ?? r.allow],
        ['denies', r.deny],
      ],
      r.proto,
    ),
  sshTests: (r) =>
    clauses(
      `ssh test from ${names(r.src)} to ${names(r.dst)}`,
      [
        ['accepts', r.accept],
        ['checks', r.check],
        ['denies', r.deny],
      ],
      undefined,
    ),
};

/** Sections that map a name to a list of who may do something. */
const LIST_RULES: Record<string, (key: string, list: unknown) => string> = {
  tagOwners: (tag, owners) => `${tag} owned by ${names(owners)}`,
  'autoApprovers.routes': (route, approvers) => `route ${route} auto-approved for ${names(approvers)}`,
  'autoApprovers.services': (service, approvers) => `service ${service} auto-approved for ${names(approvers)}`,
};

/** The rule `body` of `section` (at `index`) on one line. */
export function ruleText(section: string, index: number | string | null, body: Node): string {
  const value: unknown = getNodeValue(body);
  return bounded(phrase(section, index, value));
}

function phrase(section: string, index: number | string | null, value: unknown): string {
  const objectRule = OBJECT_RULES[section];
  if (objectRule && isRecord(value)) return objectRule(value);
  const listRule = LIST_RULES[section];
  if (listRule && typeof index === 'string') return listRule(oneLine(index), value);
  if (section === 'autoApprovers.exitNode') return `exit nodes auto-approved for ${names(value)}`;
  const json = JSON.stringify(value) ?? String(value);
  return typeof index === 'string' ? `${oneLine(index)}: ${oneLine(json)}` : oneLine(json);
}

/** A list of names as `a, b, c`; a single name as itself; anything else as JSON. */
function names(value: unknown): string {
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(name).join(', ');
  return name(value);
}

function name(value: unknown): string {
  return typeof value === 'string' ? oneLine(value) : oneLine(JSON.stringify(value) ?? String(value));
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? oneLine(value) : undefined;
}

function keys(value: unknown): string[] | undefined {
  return isRecord(value) ? Object.keys(value) : undefined;
}

/** `label value` for an optional field, or nothing when it is absent. */
function opt(label: string, value: unknown): string | undefined {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return undefined;
  return `${label} ${names(value)}`;
}

function join(parts: (string | undefined)[]): string {
  return parts.filter((p) => p !== undefined).join(' ');
}

/** `test from alice: accepts tag:a:22; denies tag:b:22`, listing only the clauses present. */
function clauses(head: string, parts: [string, unknown][], proto: unknown): string {
  const said = parts.filter(([, v]) => v !== undefined).map(([verb, v]) => `${verb} ${names(v)}`);
  const tail = proto === undefined ? '' : ` (proto ${names(proto)})`;
  return said.length === 0 ? `${head}${tail}` : `${head}: ${said.join('; ')}${tail}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Anything that can end a line or hide as one (C0 and C1 controls, DEL, the Unicode line and
// paragraph separators) is shown as a \u escape, so a rule is always exactly one line of text.
const BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function oneLine(text: string): string {
  return text.replace(BREAKS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function bounded(text: string): string {
  if (text.length <= RULE_TEXT_MAX) return text;
  let cut = RULE_TEXT_MAX - 1;
  // Never split a character outside the BMP in half.
  if (/[\ud800-\udbff]/.test(text.charAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut)}…`;
}
