import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPolicyGroups } from '../src/policy/groups.js';
import { HujsonSyntaxError, parseHujson, topLevelProperty } from '../src/policy/hujson.js';
import { PolicyRewriteError, rewritePolicyGroups } from '../src/policy/rewrite.js';
import type { TargetGroup } from '../src/domain/policy.js';

const fixture = (name: string): string => readFileSync(new URL(`fixtures/policy/${name}`, import.meta.url), 'utf8');
const crlf = (text: string): string => text.replaceAll('\n', '\r\n');
const targetOf = (text: string): TargetGroup[] =>
  readPolicyGroups(text).groups.map(({ name, members }) => ({ name, members: [...members] }));

/** The text with the value of the top-level `groups` cut out: what must not change when groups are rewritten. */
function withoutGroupsValue(text: string): string {
  const value = topLevelProperty(parseHujson(text), 'groups')?.children?.[1];
  if (!value) throw new Error('no groups');
  return text.slice(0, value.offset) + text.slice(value.offset + value.length);
}

/** The text with the whole top-level `groups` member cut out: its indentation, comma and line break too. */
function withoutGroupsMember(text: string): string {
  const property = topLevelProperty(parseHujson(text), 'groups');
  if (!property) throw new Error('no groups');
  let start = property.offset;
  while (start > 0 && /[ \t]/.test(text[start - 1] ?? '')) start--;
  const ownLine = start === 0 || text[start - 1] === '\n';
  if (!ownLine) start = property.offset;
  let end = property.offset + property.length;
  end += /^\s*,/.exec(text.slice(end))?.[0].length ?? 0;
  const rest = /^[ \t]*\r?\n/.exec(text.slice(end));
  if (ownLine && rest) end += rest[0].length;
  return text.slice(0, start) + text.slice(end);
}

/** Each group's own text, from its key to the end of its list. */
function groupTexts(text: string): Map<string, string> {
  const value = topLevelProperty(parseHujson(text), 'groups')?.children?.[1];
  return new Map(
    (value?.children ?? []).map((p) => [String(p.children?.[0]?.value), text.slice(p.offset, p.offset + p.length)]),
  );
}

function expectRewrite(text: string, target: TargetGroup[]): string {
  const result = rewritePolicyGroups(text, target);
  // (a) it parses, (b) it holds exactly the target
  const read = readPolicyGroups(result);
  expect(read.groups.map(({ name, members }) => ({ name, members }))).toEqual(
    target.map(({ name, members }) => ({ name, members })),
  );
  // (c) nothing outside the groups value moved
  const before = readPolicyGroups(text);
  if (before.present) expect(withoutGroupsValue(result)).toBe(withoutGroupsValue(text));
  else if (target.length > 0) expect(withoutGroupsMember(result)).toBe(text);
  else expect(result).toBe(text);
  // groups whose members stay keep their bytes
  const old = groupTexts(text);
  const now = groupTexts(result);
  for (const group of before.groups) {
    const wanted = target.find((t) => t.name === group.name);
    if (wanted && wanted.members.join('\n') === group.members.join('\n'))
      expect(now.get(group.name)).toBe(old.get(group.name));
  }
  // descriptions of new groups read back as their comments
  for (const wanted of target) {
    if (wanted.description && !old.has(wanted.name))
      expect(read.groups.find((g) => g.name === wanted.name)?.comment).toBe(wanted.description);
  }
  // line endings stay what they were
  if (text.includes('\r\n')) expect(result).not.toMatch(/(?<!\r)\n/);
  else expect(result).not.toMatch(/\r/);
  return result;
}

function mutations(current: TargetGroup[]): [string, TargetGroup[]][] {
  const copy = (): TargetGroup[] => current.map((g) => ({ ...g, members: [...g.members] }));
  const list: [string, TargetGroup[]][] = [
    ['unchanged', copy()],
    ['empty', []],
  ];
  const added = {
    name: 'group:tailnet-access-new',
    members: ['new.one@example.com', 'new.two@example.com'],
    description: 'Added by tailnet-access\nsecond line',
  };
  list.push(['add a group with a description', [...copy(), added]]);
  list.push([
    'add a one-member group',
    [...copy(), { name: 'group:tailnet-access-solo', members: ['solo@example.com'] }],
  ]);
  if (current.length === 0) return list;
  const first = copy();
  first[0]?.members.push('added.member@example.com');
  list.push(['add a member', first]);
  const withMembers = current.findIndex((g) => g.members.length > 0);
  if (withMembers >= 0) {
    const removed = copy();
    removed[withMembers]?.members.splice(Math.floor(current[withMembers]!.members.length / 2), 1);
    list.push(['remove a member', removed]);
    const upper = copy();
    const group = upper[withMembers];
    if (group) group.members = group.members.map((m, i) => (i === 0 ? m.toUpperCase() : m));
    list.push(['change the case of a login', upper]);
    const reversed = copy();
    reversed[withMembers]?.members.reverse();
    list.push(['reverse members', reversed]);
  }
  list.push(['delete the first group', copy().slice(1)]);
  list.push(['delete the last group', copy().slice(0, -1)]);
  list.push(['reverse the groups', copy().reverse()]);
  list.push(['replace everything', [added]]);
  return list;
}

function expectAllMutations(text: string): void {
  const current = targetOf(text);
  for (const [label, target] of mutations(current)) {
    try {
      const result = expectRewrite(text, target);
      if (label === 'unchanged') expect(result).toBe(text);
    } catch (error) {
      throw new Error(`${label}: ${String(error)}`, { cause: error });
    }
  }
}

describe('rewritePolicyGroups on hand-made policies', () => {
  const fixtures = ['commented.hujson', 'spaces-last.hujson', 'template-no-groups.hujson', 'aligned-last.hujson'];
  for (const name of fixtures) {
    it(`${name}: every mutation, as is, with CRLF and without a final newline`, () => {
      const text = fixture(name);
      expectAllMutations(text);
      expectAllMutations(crlf(text));
      // A file cannot end in a line comment without a newline, so only the others lose theirs.
      if (!/\/\/.*\n$/.test(text)) expectAllMutations(text.trimEnd());
    });
  }

  it('keeps the comments of members that stay and drops those of members that go', () => {
    const text = fixture('commented.hujson');
    const target = targetOf(text);
    target[0] = { name: 'group:eng', members: ['alice@example.com', 'carol@example.com', 'zed@example.com'] };
    const result = expectRewrite(text, target);
    expect(groupTexts(result).get('group:eng')).toBe(
      '"group:eng": [\n\t\t\t"alice@example.com", // lead\n\t\t\t/* contractor */ ' +
        '"carol@example.com",\n\t\t\t"zed@example.com",\n\t\t]',
    );
    expect(result).toContain('\t\t// Engineers.\n\t\t// Everyone who ships code.\n\t\t"group:eng": [');
    expect(result).not.toContain('Bob joined');
  });

  it('drops a deleted group with its own comment and keeps the heading above the blank line', () => {
    const text = fixture('commented.hujson');
    const result = expectRewrite(
      text,
      targetOf(text).filter((g) => g.name !== 'group:finance'),
    );
    expect(result).not.toContain('Finance team');
    expect(result).not.toContain('reviewed 2025');
    expect(result).toContain(
      '\t\t"group:sre":  ["alice@example.com", "dave@example.com"],\n\n\t\t// --- Finance ' +
        '---\n\n\t\t"group:empty": [],\n\t},',
    );
  });

  it('appends a new group in the file style: aligned, tabs, trailing commas, description above', () => {
    const text = fixture('aligned-last.hujson');
    const result = expectRewrite(text, [
      ...targetOf(text),
      { name: 'group:oncall', members: ['x@example.com', 'y@example.com'], description: 'On call this week' },
    ]);
    expect(result).toBe(
      text.replace(
        '\t\t"group:platform": ["carol@example.com"],\n',
        '\t\t"group:platform": ["carol@example.com"],\n\t\t// On call this week\n\t\t"group:oncall":   ' +
          '["x@example.com", "y@example.com"],\n',
      ),
    );
  });

  it('writes one member per line with two spaces and no trailing commas where the file does, in CRLF', () => {
    const text = crlf(fixture('spaces-last.hujson')).trimEnd();
    const result = expectRewrite(text, [
      ...targetOf(text),
      { name: 'group:qa', members: ['qa1@example.com', 'qa2@example.com'] },
    ]);
    expect(
      result.endsWith(
        crlf('    ],\n    "group:qa": [\n      "qa1@example.com",\n      "qa2@example.com"\n    ]\n  }\n}'),
      ),
    ).toBe(true);
  });

  it('inserts groups as the first key of a policy without them', () => {
    const text = fixture('template-no-groups.hujson');
    const result = expectRewrite(text, [
      { name: 'group:eng', members: ['alice@example.com', 'bob@example.com'], description: 'Engineers' },
    ]);
    expect(
      result.startsWith(
        '// Example/default ACLs for unrestricted connections.\n{\n\t"groups": {\n\t\t// ' +
          'Engineers\n\t\t"group:eng": ["alice@example.com", "bob@example.com"],\n\t},\n\t// Declare static groups',
      ),
    ).toBe(true);
  });

  it('inserts groups into an empty policy and into a one-line policy', () => {
    // `{}` is the one policy whose other bytes move: its braces go onto lines of their own.
    expect(rewritePolicyGroups('{}\n', [{ name: 'group:a', members: ['x@example.com'] }])).toBe(
      '{\n\t"groups": {\n\t\t"group:a": ["x@example.com"],\n\t},\n}\n',
    );
    expect(expectRewrite('{"acls":[]}', [{ name: 'group:a', members: ['x@example.com'] }])).toBe(
      '{"groups":{"group:a":["x@example.com"]},"acls":[]}',
    );
  });

  it('keeps a one-line groups object on one line in a one-line policy', () => {
    const text = '{"groups":{"group:a":["x@example.com"]},"acls":[]}';
    expect(
      expectRewrite(text, [
        { name: 'group:a', members: ['x@example.com'] },
        { name: 'group:b', members: ['y@example.com'], description: 'B team' },
      ]),
    ).toBe('{"groups":{"group:a":["x@example.com"], /* B team */ "group:b":["y@example.com"]},"acls":[]}');
  });

  it('keeps an empty groups object when the target is empty', () => {
    const text = fixture('aligned-last.hujson');
    expect(expectRewrite(text, [])).toBe(text.replace(/"groups": \{[^}]*\}/, '"groups": {}'));
  });

  it('keeps comments that are not about one group when the target is empty', () => {
    const result = expectRewrite(fixture('commented.hujson'), []);
    expect(result).toContain('"groups": { // managed by tailnet-access\n\n\t\t// --- Finance ---\n\n\t},');
  });

  it('fills an empty groups object, one group per line', () => {
    const text = '{\n  "acls": [],\n  "groups": {}\n}\n';
    expect(expectRewrite(text, [{ name: 'group:a', members: ['x@example.com'] }])).toBe(
      '{\n  "acls": [],\n  "groups": {\n    "group:a": ["x@example.com"]\n  }\n}\n',
    );
  });

  it('spreads a one-line groups object of a multi-line policy over lines when it changes', () => {
    const text = '{\n  "groups": {"group:a": ["x@example.com"], /* b */ "group:b": []},\n  "acls": []\n}\n';
    const result = expectRewrite(text, [
      { name: 'group:a', members: ['x@example.com'] },
      { name: 'group:b', members: ['y@example.com'] },
    ]);
    expect(result).toBe(
      '{\n  "groups": {\n    "group:a": ["x@example.com"],\n    /* b */ "group:b": ["y@example.com"]\n  },\n  ' +
        '"acls": []\n}\n',
    );
  });

  it('keeps a heading inside a list when the member below it goes, and member comments when members move', () => {
    const text =
      '{\n\t"groups": {\n\t\t"group:a": [\n\t\t\t"a@example.com", // first\n\n\t\t\t// ' +
      'Contractors\n\n\t\t\t"c@example.com",\n\t\t\t"d@example.com",\n\t\t],\n\t},\n}\n';
    expect(
      groupTexts(expectRewrite(text, [{ name: 'group:a', members: ['d@example.com', 'a@example.com'] }])).get(
        'group:a',
      ),
    ).toBe('"group:a": [\n\n\t\t\t// Contractors\n\n\t\t\t"d@example.com",\n\t\t\t"a@example.com", // first\n\t\t]');
  });

  it('moves members onto their own lines, and keeps a bracket that closed on the last line there', () => {
    const text =
      '{\n\t"groups": {\n\t\t"group:a": [\n\t\t\t"a@example.com", // ' +
      'first\n\t\t\t"b@example.com"],\n\t\t"group:b": ["x@example.com"], "group:c": [],\n\t},\n}\n';
    const result = expectRewrite(text, [
      { name: 'group:c', members: [] },
      { name: 'group:a', members: ['b@example.com', 'a@example.com', 'c@example.com'] },
      { name: 'group:b', members: ['x@example.com'] },
    ]);
    expect(result).toBe(
      '{\n\t"groups": {\n\t\t"group:c": [],\n\t\t"group:a": [\n\t\t\t"b@example.com",\n\t\t\t"a@example.com", // ' +
        'first\n\t\t\t"c@example.com"],\n\t\t"group:b": ["x@example.com"],\n\t},\n}\n',
    );
  });

  it('leaves the groups it does not change byte for byte, however they are written', () => {
    const odd = '"group:b"  :[ "b1@example.com" ,"b2@example.com"  /* two */ ]';
    const text =
      `{\n  "groups": {\n    "group:a": ["a1@example.com"],\n    ${odd},\n    "group:c":["c1@example.com",],\n  ` +
      `},\n}\n`;
    const target = targetOf(text).map((g) => (g.name === 'group:a' ? { ...g, members: ['a2@example.com'] } : g));
    const result = rewritePolicyGroups(text, target);
    expect(result).toContain(`    ${odd},\n`);
    expect(result).toContain('    "group:c":["c1@example.com",],\n');
    expect(readPolicyGroups(result).groups.find((g) => g.name === 'group:a')?.members).toEqual(['a2@example.com']);
  });

  it('returns the very same string when nothing changes, even with a new description', () => {
    const text = fixture('commented.hujson');
    const target = targetOf(text).map((g) => ({ ...g, description: 'ignored for unchanged groups' }));
    expect(rewritePolicyGroups(text, target)).toBe(text);
  });

  it('adds a description to a changed group without a comment, but never replaces a comment', () => {
    const text = fixture('commented.hujson');
    const target = targetOf(text).map((g) => ({
      ...g,
      members: [...g.members, 'new@example.com'],
      description: 'From the YAML',
    }));
    const read = readPolicyGroups(expectRewrite(text, target)).groups;
    expect(read.map((g) => g.comment)).toEqual([
      'Engineers.\nEveryone who ships code.',
      'From the YAML',
      'Finance team.\nTwo people.',
      'From the YAML',
    ]);
  });

  it('grows a one-member inline list onto lines where the file writes longer lists that way', () => {
    const text =
      '{\n\t"groups": {\n\t\t"group:a": ' +
      '[\n\t\t\t"a1@example.com",\n\t\t\t"a2@example.com",\n\t\t],\n\t\t"group:b": ' +
      '["b1@example.com"],\n\t\t"group:c": ["c1@example.com"],\n\t},\n}\n';
    const target = targetOf(text);
    target[1]?.members.push('b2@example.com');
    expect(groupTexts(expectRewrite(text, target)).get('group:b')).toBe(
      '"group:b": [\n\t\t\t"b1@example.com",\n\t\t\t"b2@example.com",\n\t\t]',
    );
  });

  it('writes the login as the target spells it, keeping its comment', () => {
    const text =
      '{\n  "groups": {\n    "group:a": [\n      // the boss\n      "Alice@Example.com",\n      ' +
      '"bob@example.com",\n    ],\n  },\n}\n';
    const result = expectRewrite(text, [{ name: 'group:a', members: ['alice@example.com'] }]);
    expect(groupTexts(result).get('group:a')).toBe(
      '"group:a": [\n      // the boss\n      "alice@example.com",\n    ]',
    );
  });

  it('escapes names and logins as JSON strings', () => {
    const target = [
      { name: 'group:we"ird\\name', members: ['a"b@example.com', 'tab\there@example.com', 'ünïcode@example.com'] },
    ];
    const result = expectRewrite('{\n  "acls": [],\n}\n', target);
    expect(result).toContain(
      '"group:we\\"ird\\\\name": ["a\\"b@example.com", "tab\\there@example.com", "ünïcode@example.com"]',
    );
  });
});

describe('rewritePolicyGroups refusals', () => {
  it('refuses invalid HuJSON instead of guessing', () => {
    expect(() => rewritePolicyGroups('{\n  "groups": {\n    "group:a": [,]\n  }\n}\n', [])).toThrow(HujsonSyntaxError);
  });

  it('refuses group names without the group: prefix and duplicate names', () => {
    expect(() => rewritePolicyGroups('{}', [{ name: 'eng', members: [] }])).toThrow(
      /group names in a policy file start with "group:"/,
    );
    expect(() =>
      rewritePolicyGroups('{}', [
        { name: 'group:a', members: [] },
        { name: 'group:a', members: [] },
      ]),
    ).toThrow(new PolicyRewriteError('cannot write the group "group:a" twice: each group is one key of "groups"'));
  });

  it('refuses to write, change or drop a SCIM-synced group, and passes an unchanged one through', () => {
    const text = '{\n  "groups": {\n    "group:hr@example.com": ["x@example.com"],\n  },\n}\n';
    expect(() => rewritePolicyGroups('{}', [{ name: 'group:eng@example.com', members: [] }])).toThrow(/synced by SCIM/);
    expect(() => rewritePolicyGroups(text, [{ name: 'group:hr@example.com', members: [] }])).toThrow(
      /refusing to write group:hr@example.com/,
    );
    expect(() => rewritePolicyGroups(text, [])).toThrow(/refusing to remove group:hr@example.com/);
    const kept = rewritePolicyGroups(text, [
      { name: 'group:hr@example.com', members: ['x@example.com'] },
      { name: 'group:a', members: [] },
    ]);
    expect(readPolicyGroups(kept).groups.map((g) => g.name)).toEqual(['group:hr@example.com', 'group:a']);
  });
});

const corpus = new URL('../../shared/corpus/policies/', import.meta.url);

const corpusPresent = existsSync(new URL('SOURCES.tsv', corpus));

describe.skipIf(!corpusPresent)('rewritePolicyGroups over the policy corpus', () => {
  // vitest runs a skipped describe's body too (to collect its tests), so it must read nothing then.
  const valid = (corpusPresent ? readFileSync(new URL('SOURCES.tsv', corpus), 'utf8') : '')
    .trim()
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((cells) => cells[4] === 'yes')
    .map((cells) => cells[0] ?? '');
  const files = corpusPresent ? readdirSync(corpus).filter((name) => valid.includes(name)) : [];

  it.each(files)('%s: every mutation keeps everything outside groups', (name) => {
    expectAllMutations(readFileSync(new URL(name, corpus), 'utf8'));
  });

  it('refuses the invalid files', () => {
    const invalid = readdirSync(corpus).filter((name) => name.endsWith('.hujson') && !valid.includes(name));
    expect(invalid.length).toBeGreaterThan(0);
    for (const name of invalid)
      expect(() => rewritePolicyGroups(readFileSync(new URL(name, corpus), 'utf8'), [])).toThrow(
        /^line \d+, column \d+: /,
      );
  });
});
