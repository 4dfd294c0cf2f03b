// The impact of group changes on real policy files (../shared/corpus/policies, when present): every
// use of every group a file defines is found, at the line of its rule. The expectation comes from a
// different reading of the text than the implementation's: jsonc-parser's token scanner (comments
// skipped by the lexer, no syntax tree), with the rule found by counting brackets.
import { existsSync, readFileSync } from 'node:fs';
import { createScanner } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../src/diagnostics.js';
import { readPolicyGroups } from '../src/policy/groups.js';
import { findGroupReferences } from '../src/policy/impact.js';

// TAILNET_ACCESS_CORPUS names the folder; otherwise ../shared beside the repository (a checkout in
// /work/main), or two levels up (a worktree in /work/wt/<name>).
function corpusFolder(): URL | undefined {
  const fromEnv = process.env.TAILNET_ACCESS_CORPUS;
  const candidates = [
    ...(fromEnv ? [new URL(`file://${fromEnv.endsWith('/') ? fromEnv : `${fromEnv}/`}`)] : []),
    new URL('../../shared/corpus/policies/', import.meta.url),
    new URL('../../../shared/corpus/policies/', import.meta.url),
  ];
  return candidates.find((url) => existsSync(new URL('SOURCES.tsv', url)));
}

const CORPUS = corpusFolder();

function validFiles(folder: URL): string[] {
  const rows = readFileSync(new URL('SOURCES.tsv', folder), 'utf8').trim().split('\n').slice(1);
  return rows
    .map((row) => row.split('\t'))
    .filter((cols) => cols[4] === 'yes')
    .map((cols) => cols[0] ?? '');
}

// jsonc-parser's SyntaxKind values (a const enum in its typings).
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const COLON = 6;
const STRING = 10;
const EOF = 17;
const TRIVIA = new Set([12, 13, 14, 15]); // line comment, block comment, line break, whitespace

interface Token {
  kind: number;
  offset: number;
  value: string;
}

/** The path to each level of nesting: the key (objects) or position (arrays), and where it starts. */
interface Level {
  container: 'object' | 'array';
  key: string | number;
  start: number;
  count: number;
}

/**
 * `group@line` for every string value in the policy that names a wanted group (`group:x` or
 * `group:x:<ports>`) outside `groups`, with the line of the rule it belongs to: the element of a
 * top-level list, the member of a top-level object, or under autoApprovers one level deeper.
 */
function usesByScan(text: string, wanted: ReadonlySet<string>): Set<string> {
  const tokens: Token[] = [];
  const scanner = createScanner(text, false);
  for (let kind = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (!TRIVIA.has(kind)) tokens.push({ kind, offset: scanner.getTokenOffset(), value: scanner.getTokenValue() });
  }
  const lines = new LineIndex(text);
  const uses = new Set<string>();
  const path: Level[] = [];
  let pendingKey: { key: string; start: number } | undefined;
  const enter = (container: 'object' | 'array', offset: number): void => {
    const parent = path.at(-1);
    const key = parent?.container === 'array' ? parent.count++ : (pendingKey?.key ?? '');
    path.push({
      container,
      key,
      start: parent?.container === 'array' ? offset : (pendingKey?.start ?? offset),
      count: 0,
    });
    pendingKey = undefined;
  };
  tokens.forEach((token, i) => {
    if (token.kind === OPEN_BRACE) enter('object', token.offset);
    else if (token.kind === OPEN_BRACKET) enter('array', token.offset);
    else if (token.kind === CLOSE_BRACE || token.kind === CLOSE_BRACKET) path.pop();
    else if (token.kind === STRING && path.at(-1)?.container === 'object' && tokens[i + 1]?.kind === COLON)
      pendingKey = { key: token.value, start: token.offset };
    else if (token.kind === STRING) {
      const here = path.at(-1);
      const at = here?.container === 'array' ? { key: here.count++, start: token.offset } : pendingKey;
      pendingKey = undefined;
      const match = /^(group:.+?)(:[\d*,-]+)?$/.exec(token.value);
      const group = wanted.has(token.value) ? token.value : match?.[1];
      if (!group || !wanted.has(group) || !at) return;
      // Levels below the root: [section, rule, ...]; the string itself may be the rule.
      const levels = [...path.slice(1), { container: 'array' as const, key: at.key, start: at.start, count: 0 }];
      if (levels[0]?.key === 'groups') return;
      const inApprovers = levels[0]?.key === 'autoApprovers' && levels[1]?.container === 'object';
      const rule = levels[inApprovers ? 2 : 1] ?? levels[0];
      if (rule) uses.add(`${group}@${lines.position(rule.start).line}`);
    } else if (token.kind !== COLON) {
      pendingKey = undefined;
    }
  });
  return uses;
}

describe('the token scan this file checks against', () => {
  it('agrees with findGroupReferences on the fixture that uses a group in every section', () => {
    const text = readFileSync(new URL('fixtures/policy/impact-every-section.hujson', import.meta.url), 'utf8');
    const wanted = ['group:eng', 'group:eng-oncall', 'group:unused'];
    const scanned = usesByScan(text, new Set(wanted));
    expect(scanned.size).toBe(16);
    expect(new Set(findGroupReferences(text, wanted).references.map((r) => `${r.group}@${r.line}`))).toEqual(scanned);
  });
});

describe.skipIf(!CORPUS)('impact of group changes on the corpus of real policy files', () => {
  const folder = CORPUS as URL;
  const files = CORPUS ? validFiles(folder) : [];
  const impactOf = (
    name: string,
  ): { text: string; defined: string[]; impact: ReturnType<typeof findGroupReferences> } => {
    const text = readFileSync(new URL(name, folder), 'utf8');
    const defined = readPolicyGroups(text).groups.map((g) => g.name);
    return { text, defined, impact: findGroupReferences(text, defined) };
  };

  it('has valid files to test', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)('%s: every use of every group it defines is found at the line of its rule', (name) => {
    const { text, defined, impact } = impactOf(name);
    const found = new Set(impact.references.map((r) => `${r.group}@${r.line}`));
    expect(found).toEqual(usesByScan(text, new Set(defined)));
    expect(impact.unused).toEqual(defined.filter((g) => !impact.references.some((r) => r.group === g)).sort());
    for (const reference of impact.references) expect(reference.rule).not.toMatch(/[\r\n]/);
  });

  it('finds uses in the corpus at all, so the comparison above is not between two empty sets', () => {
    const total = files.reduce((sum, name) => sum + impactOf(name).impact.references.length, 0);
    expect(total).toBeGreaterThan(20);
  });
});
