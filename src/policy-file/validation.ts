// Tailscale's verdict on the desired policy, placed in the policy file. A parse error names its line
// and column; a failing test names its `src` and the address that got the wrong answer, which are
// found among the file's `tests`; other messages quote a name (`tag not found: "tag:x"`), found where
// the file uses it. Positions in the rendered policy are mapped back to the file in the repository,
// which differs from it only when the file is not rendered.
import type { Node } from 'jsonc-parser';
import { LineIndex } from '../diagnostics.js';
import type { Diagnostic, Position } from '../domain/diagnostic.js';
import { parseHujson, topLevelProperty, type HujsonDocument } from '../policy/hujson.js';
import type { ValidateResult } from '../domain/policy.js';
import { lineChanges, oldLineOf, splitLines } from './line-diff.js';
import type { PolicyFile } from './source.js';

interface Located {
  at: Position;
  message: string;
}

function parsed(text: string): HujsonDocument | undefined {
  try {
    return parseHujson(text);
  } catch {
    return undefined;
  }
}

function stringNodes(
  node: Node | undefined,
  out: { node: Node; isKey: boolean }[] = [],
): { node: Node; isKey: boolean }[] {
  if (!node) return out;
  if (node.type === 'string')
    out.push({ node, isKey: node.parent?.type === 'property' && node.parent.children?.[0] === node });
  for (const child of node.children ?? []) stringNodes(child, out);
  return out;
}

/** Where a failing test's address is written: `tests[i].accept|deny[j]` of the test with that `src`. */
function testAddress(doc: HujsonDocument, src: string, address: string): Node | undefined {
  const tests = topLevelProperty(doc, 'tests')?.children?.[1];
  for (const test of tests?.type === 'array' ? (tests.children ?? []) : []) {
    const fields = new Map((test.children ?? []).map((p) => [p.children?.[0]?.value, p.children?.[1]]));
    if (fields.get('src')?.value !== src) continue;
    for (const list of [fields.get('accept'), fields.get('deny')]) {
      const hit = list?.children?.find((item) => item.value === address);
      if (hit) return hit;
    }
    return fields.get('src');
  }
  return undefined;
}

/**
 * The first use of a quoted name in the message: the last quoted first (the most specific), values
 * before keys, the name itself before a destination with ports (`"tag:prod"` is used as `tag:prod:22`).
 */
function quotedName(doc: HujsonDocument, message: string): Node | undefined {
  const names = [...message.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '').reverse();
  const strings = stringNodes(doc.root);
  for (const name of names) {
    const hit =
      strings.find((s) => !s.isKey && s.node.value === name) ??
      strings.find((s) => s.node.value === name) ??
      strings.find((s) => !s.isKey && typeof s.node.value === 'string' && s.node.value.startsWith(`${name}:`));
    if (hit) return hit.node;
  }
  return undefined;
}

function locate(doc: HujsonDocument | undefined, message: string, src: string | undefined): Position {
  const written = /line (\d+), column (\d+)/.exec(message);
  if (written) return { line: Number(written[1]), column: Number(written[2]) };
  if (!doc) return { line: 1, column: 1 };
  const address = /address "([^"]+)"/.exec(message)?.[1];
  const node =
    (src !== undefined && address !== undefined ? testAddress(doc, src, address) : undefined) ??
    quotedName(doc, message);
  return node ? doc.lines.position(node.offset) : { line: 1, column: 1 };
}

function located(verdict: ValidateResult, rendered: string): Located[] {
  const doc = parsed(rendered);
  const out: Located[] = [];
  const data = verdict.data ?? [];
  const errors = data.flatMap((entry) => (entry.errors ?? []).map((error) => ({ src: entry.user, error })));
  const said = verdict.message;
  // With data, the message is its heading ("test(s) failed") and each error is placed on its own.
  if (said !== undefined && (errors.length === 0 || /line \d+, column \d+/.test(said)))
    out.push({ at: locate(doc, said, undefined), message: said });
  for (const { src, error } of errors) {
    const who = src ? `${src}: ` : '';
    out.push({ at: locate(doc, error, src), message: `${said ? `${said}: ` : ''}${who}${error}` });
  }
  if (out.length === 0) out.push({ at: { line: 1, column: 1 }, message: 'the policy was refused without a reason' });
  return out;
}

/** The verdict's errors as diagnostics in the policy file; none when the policy is valid. */
export function validationDiagnostics(verdict: ValidateResult, rendered: string, file: PolicyFile): Diagnostic[] {
  if (verdict.ok) return [];
  const changes = rendered === file.text ? [] : lineChanges(splitLines(file.text), splitLines(rendered));
  const fileLines = new LineIndex(file.text);
  const lastLine = fileLines.position(file.text.length).line;
  return located(verdict, rendered).map(({ at, message }): Diagnostic => {
    const mapped = oldLineOf(changes, at.line);
    return {
      file: file.shown,
      line: Math.min(mapped.line, lastLine),
      column: mapped.exact ? at.column : 1,
      severity: 'error',
      code: 'policy.invalid',
      message: `Tailscale refuses the policy: ${message}`,
    };
  });
}
