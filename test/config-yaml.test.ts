// The one YAML reader (yaml's parseDocument with a LineCounter, then our own pass over the pairs):
// every valid shape of file loads with its values and places, YAML 1.2 core rules decide what a
// scalar is, hostile or broken input ends in positioned diagnostics, and an indentation mistake is
// reported once, at the line that is wrong.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import type { LoadedConfig } from '../src/config/load.js';
import { DiagnosticsError, formatDiagnostic } from '../src/diagnostics.js';

const FILE = 'cfg.yaml';

function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

type Outcome = { ok: LoadedConfig } | { errors: string[] };

function load(text: string): Outcome {
  try {
    return { ok: parseConfig(text, FILE) };
  } catch (error) {
    if (error instanceof DiagnosticsError) return { errors: error.diagnostics.map(formatDiagnostic) };
    throw error;
  }
}

function loaded(text: string): LoadedConfig {
  const outcome = load(text);
  if ('errors' in outcome)
    throw new Error(`expected ${JSON.stringify(text)} to load, got:\n${outcome.errors.join('\n')}`);
  return outcome.ok;
}

function errors(text: string): string[] {
  const outcome = load(text);
  if ('ok' in outcome) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return outcome.errors;
}

/** A tailnet shaped like bench/plan's: every user one line, every group a one-line list. */
function benchTailnet(users: number, groups: number): string {
  const login = (i: number) => `user${String(i).padStart(5, '0')}@example.com`;
  const roles = ['member', 'admin', 'auditor', 'it-admin', 'network-admin', 'billing-admin'];
  const lines = ['version: 1', 'users:'];
  for (let i = 0; i < users; i++) lines.push(`  ${login(i)}: ${i === 0 ? 'owner' : roles[i % roles.length]}`);
  lines.push('groups:');
  for (let g = 0; g < groups; g++) {
    const members = Array.from({ length: 20 }, (_, k) => login((g * 37 + k * 101) % users));
    lines.push(`  team${g}: [${[...new Set(members)].join(', ')}]`);
  }
  lines.push('settings:', '  unmanagedUsers: report', '  maxChanges: 100000');
  return yaml(...lines);
}

/** The other common layout: nested entries, block lists, descriptions and comments. */
function blockTailnet(users: number, groups: number): string {
  const lines = ['# a comment first', 'version: 1', 'tailnet: example.com', '', 'users:'];
  for (let i = 0; i < users; i++) {
    lines.push(i % 3 === 0 ? `  user${i}@example.com:` : `  user${i}@example.com: member   # note ${i}`);
    if (i % 3 === 0) lines.push(`    role: ${i === 0 ? 'owner' : 'admin'}`);
  }
  lines.push('groups:');
  for (let g = 0; g < groups; g++) {
    lines.push(`  group:team-${g}:`, `    description: team ${g}, on call`, '    members:');
    for (let m = 0; m < 10; m++) lines.push(`      - user${(g * 7 + m) % users}@example.com`);
  }
  return yaml(...lines);
}

// Every valid file of the config tests, and the forms people write.
const VALID: Record<string, string> = {
  example: readFileSync(new URL('../examples/tailnet-access.yaml', import.meta.url), 'utf8'),
  'only a version': 'version: 1\n',
  'empty sections': yaml('version: 1', 'users:', '  # alice@example.com: admin', 'groups:', 'settings:'),
  'null and empty-map sections': yaml('version: 1', 'users: ~', 'groups: {}', 'settings: null'),
  'every setting': yaml(
    'version: 1',
    'users:',
    '  octocat@github: { role: it-admin }',
    'settings:',
    '  unmanagedUsers: demote',
    '  unmanagedGroups: keep',
    '  maxChanges: 0',
    '  policyFile: ../policy/tailnet.hujson',
    '  onManualEdits: fail',
    '  inviteMissingUsers: true',
  ),
  'a member not listed as a user': yaml('version: 1', 'groups:', '  eng: [nobody@example.com]'),
  'members listed twice (warnings)': yaml(
    'version: 1',
    'groups:',
    '  eng:',
    '    - alice@example.com',
    '    - bob@example.com',
    '    - Alice@Example.com',
    '    - bob@example.com',
  ),
  CRLF: 'version: 1\r\nusers:\r\n  alice@example.com: admin\r\n  bob@example.com: member\r\n',
  'flow map at the top of a section': 'version: 1\nusers: { alice@example.com: admin }\n',
  'quoted keys and values': yaml(
    'version: 1',
    'tailnet: "-"',
    'users:',
    '  "alice@example.com": \'admin\'',
    '  \'bob@example.com\': { "role": member }',
    'groups:',
    '  "eng": ["alice@example.com", \'bob@example.com\']',
    "  sre: { description: 'it''s on call', members: [] }",
    '  ops: { members: [ alice@example.com , bob@example.com ] }',
  ),
  'lists at the key’s indentation': yaml(
    'version: 1',
    'groups:',
    '  eng:',
    '  - alice@example.com',
    '  - bob@example.com',
    '  sre: []',
  ),
  'deeper indentation and comments everywhere': yaml(
    '   # indented comment',
    'version: 1 # the format',
    'users:       # who',
    '    alice@example.com:    admin',
    '# a comment at the margin',
    '    bob@example.com:',
    '        role: member # nested',
    'groups:',
    '    eng:',
    '        members:',
    '            - alice@example.com   # first',
    '',
    '            - bob@example.com',
    '        description: the # is text here#',
  ),
  'names that look like other things': yaml(
    'version: 1',
    'users:',
    '  1password@example.com: member',
    '  true@example.com: admin',
    '  null@x: member',
    'groups:',
    '  "2024": [true@example.com]',
    '  group:a.b_c-d: [null@x]',
    '  x: { description: "yes, no, on, off: fine", members: [] }',
    '  y: { description: no, members: [] }',
    '  constructor: [a@b.c]',
    '  toString: { members: [a@b.c] }',
  ),
  'text outside ASCII': yaml(
    'version: 1',
    'groups:',
    '  eng:',
    '    description: Zürich — 日本 🚀 équipe',
    '    members: [ünïcödé@exämple.com]',
  ),
  'leading zeros': yaml('version: 01', 'settings:', '  maxChanges: 007'),
  'a bench-shaped tailnet': benchTailnet(300, 40),
  'a block-shaped tailnet': blockTailnet(200, 30),
};

describe('every valid shape of file loads', () => {
  it.each(Object.entries(VALID))('%s', (_name, text) => {
    expect(loaded(text).desired.version).toBe(1);
  });

  it('places every user, group and member of 10,000 users in 1,000 groups', () => {
    const { desired } = loaded(benchTailnet(10_000, 1_000));
    expect(desired.users).toHaveLength(10_000);
    expect(desired.users[9_999]?.at).toEqual({ file: FILE, line: 10_002, column: 3 });
    expect(desired.groups[999]?.members[19]?.at).toEqual({
      file: FILE,
      line: 10_004 + 999,
      column: expect.any(Number),
    });
    expect(loaded(blockTailnet(10_000, 1_000)).desired.groups).toHaveLength(1_000);
  });

  it('warns about repeated members, in file order', () => {
    expect(loaded(VALID['members listed twice (warnings)'] ?? '').warnings.map(formatDiagnostic)).toEqual([
      'cfg.yaml:6:7: warning: Alice@Example.com is listed twice in group:eng (first at line 4 as alice@example.com)',
      'cfg.yaml:7:7: warning: bob@example.com is listed twice in group:eng (first at line 5)',
    ]);
  });

  it('reads names that look like numbers, booleans or null as the names they are', () => {
    const { desired } = loaded(VALID['names that look like other things'] ?? '');
    expect(desired.users.map((u) => u.login)).toEqual(['1password@example.com', 'true@example.com', 'null@x']);
    expect(desired.groups.map((g) => g.name)).toEqual([
      'group:2024',
      'group:a.b_c-d',
      'group:x',
      'group:y',
      'group:constructor',
      'group:toString',
    ]);
    expect(desired.groups.find((g) => g.name === 'group:y')?.description).toBe('no');
  });
});

describe('YAML 1.2 core decides what a scalar is', () => {
  const setting = (text: string) => loaded(text).desired.settings;
  it.each([
    ['digits with leading zeros', yaml('version: 01', 'settings:', '  maxChanges: 007'), 7],
    ['a hexadecimal number', yaml('version: 1', 'settings:', '  maxChanges: 0x10'), 16],
    ['an octal number', yaml('version: 1', 'settings:', '  maxChanges: 0o10'), 8],
  ])('%s', (_name, text, maxChanges) => {
    expect(setting(text).maxChanges).toBe(maxChanges);
  });

  it('takes a version written 1.0 as the number 1', () => {
    expect(loaded(yaml('version: 1.0')).desired.version).toBe(1);
  });

  it('reads a key after the non-specific tag ! as the plain string it is', () => {
    const { desired } = loaded(
      yaml(
        'version: 1',
        'users:',
        '  ! alice@example.com: admin',
        '  ! 1@example.com: ! member',
        'groups:',
        '  ! 2024: [alice@example.com]',
      ),
    );
    expect(desired.users.map((u) => [u.login, u.role, u.at.line, u.at.column])).toEqual([
      ['alice@example.com', 'admin', 3, 5],
      ['1@example.com', 'member', 4, 5],
    ]);
    expect(desired.groups.map((g) => g.name)).toEqual(['group:2024']);
  });

  it('still refuses a tagged key that is a list or a mapping', () => {
    expect(errors(yaml('version: 1', 'users:', '  ! [alice@example.com]: admin'))).toEqual([
      'cfg.yaml:3:3: a key must be plain text, not a list, a mapping or an alias',
    ]);
  });

  it('reads YAML 1.1 spellings under a %YAML 1.1 directive only', () => {
    expect(
      setting(yaml('%YAML 1.1', '---', 'version: 1', 'settings:', '  inviteMissingUsers: yes')).inviteMissingUsers,
    ).toBe(true);
    expect(errors(yaml('version: 1', 'settings:', '  inviteMissingUsers: yes'))).toEqual([
      'cfg.yaml:3:23: settings.inviteMissingUsers must be true or false, not the text "yes"',
    ]);
  });
});

describe('what the reader accepts beyond plain YAML', () => {
  it.each([
    ['an anchor and aliases', yaml('version: 1', 'groups:', '  eng: &eng [alice@example.com]', '  sre: *eng')],
    ['a tag', yaml('version: 1', 'tailnet: !!str example.com')],
    [
      'a block scalar',
      yaml('version: 1', 'groups:', '  eng:', '    description: |', '      on call', '    members: []'),
    ],
    [
      'a list over several lines',
      yaml('version: 1', 'groups:', '  eng: [alice@example.com,', '        bob@example.com]'),
    ],
    [
      'text over several lines',
      yaml('version: 1', 'groups:', '  eng:', '    description: on', '      call', '    members: []'),
    ],
    ['an escape in double quotes', yaml('version: 1', 'groups:', '  eng: { description: "tab\\there", members: [] }')],
    ['an explicit document start', yaml('---', 'version: 1')],
    ['a document end marker', yaml('version: 1', '...')],
    ['a %YAML directive', yaml('%YAML 1.2', '---', 'version: 1')],
    ['__proto__ as a group name', yaml('version: 1', 'groups:', '  __proto__: []')],
    ['a tab inside a comment', yaml('version: 1 #\tnote')],
    ['a trailing comma in a list', yaml('version: 1', 'groups:', '  eng: [alice@example.com, ]')],
    ['a byte-order mark inside the text', 'version: 1\n# \uFEFF\n'],
    ['a YAML 1.1 line break', 'version: 1\n# \u2028\n'],
    ['a key starting with a dash', yaml('version: 1', 'users:', '  -a@example.com: member')],
  ])('%s', (_name, text) => {
    expect(loaded(text).desired.version).toBe(1);
  });

  it('keeps the words of a multi-line description', () => {
    expect(
      loaded(yaml('version: 1', 'groups:', '  eng:', '    description: on', '      call', '    members: []')).desired
        .groups[0]?.description,
    ).toBe('on call');
  });
});

describe('what the reader refuses, with a place', () => {
  it.each([
    ['digits with underscores (text in YAML 1.2)', yaml('version: 1', 'settings:', '  maxChanges: 1_000')],
    ['a duplicate key', yaml('version: 1', 'users:', '  a@b.c: admin', '  a@b.c: member')],
    ['a duplicate key in a flow map', yaml('version: 1', 'users: { a@b.c: admin, a@b.c: member }')],
    ['a merge key', yaml('version: 1', 'groups:', '  sre:', '    <<: { members: [] }')],
    ['tabs as indentation', 'version: 1\nusers:\n\talice@example.com: admin\n'],
    ['a second document', yaml('version: 1', '---', 'version: 1')],
    ['a value that is a mapping by mistake', yaml('version: 1', 'users:', '  alice@example.com: admin: yes')],
    ['a schema error', yaml('version: 1', 'users:', '  alice@example.com: admn')],
    ['a second owner', yaml('version: 1', 'users:', '  a@b.c: owner', '  b@b.c: owner')],
    ['one login in two cases', yaml('version: 1', 'users:', '  a@b.c: admin', '  A@b.c: admin')],
    ['a key named like a prototype property', yaml('version: 1', 'settings:', '  constructor: x')],
  ])('%s', (_name, text) => {
    expect(errors(text).every((line) => /^cfg\.yaml:\d+:\d+: /.test(line))).toBe(true);
  });

  it('refuses an alias bomb before expanding it', () => {
    const lines = ['version: 1', 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} ` +
          `[${`*${String.fromCharCode(96 + i)}, `.repeat(8)}*${String.fromCharCode(96 + i)}]`,
      );
    expect(errors(yaml(...lines))).toEqual([
      expect.stringMatching(/^cfg\.yaml:3:8: refusing to expand the YAML aliases/),
    ]);
  });

  it('refuses absurdly deep nesting with a position, without overflowing the stack', () => {
    expect(errors(`version: 1\nusers: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`)[0]).toMatch(
      /^cfg\.yaml:\d+:\d+: /,
    );
    expect(errors(yaml('version: 1', ...Array.from({ length: 5_000 }, (_, i) => `${' '.repeat(i)}k${i}:`)))[0]).toMatch(
      /^cfg\.yaml:\d+:\d+: /,
    );
  });
});

describe('an indentation mistake is reported once, at the line that is wrong', () => {
  const users = (...lines: string[]) => yaml('version: 1', 'users:', ...lines, 'groups:', '  eng: [alice@example.com]');

  it('an over-indented user: one message on its line, none on its siblings', () => {
    const siblings = ['bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'].map(
      (name) => `  ${name}@example.com: member`,
    );
    expect(errors(users('    alice@example.com: admin', ...siblings))).toEqual([
      'cfg.yaml:3:5: line 3 is indented 4 spaces, its siblings 2 (line 4): indent it 2 spaces like them',
    ]);
  });

  it('a user indented under one whose role is on its own line', () => {
    expect(
      errors(users('  alice@example.com: admin', '    bob@example.com: member', '  carol@example.com: member')),
    ).toEqual([
      'cfg.yaml:4:5: line 4 is indented 4 spaces, its siblings 2 (line 3): indent it 2 spaces like them (nothing ' +
        'can go under line 3, whose value is on the same line)',
    ]);
  });

  it('a de-indented list item: one message instead of four from the parser', () => {
    const text = yaml(
      'version: 1',
      'groups:',
      '  eng:',
      '    - alice@example.com',
      '   - bob@example.com',
      '  sre: [alice@example.com]',
    );
    expect(errors(text)).toEqual([
      'cfg.yaml:5:4: line 5 is indented 3 spaces, its siblings 4 (line 4): indent it 4 spaces like them',
    ]);
  });

  it('a list item back at its key’s column after items indented deeper', () => {
    expect(
      errors(yaml('version: 1', 'groups:', '  eng:', '    - alice@example.com', '  - bob@example.com', '  sre: []')),
    ).toEqual(['cfg.yaml:5:3: line 5 is indented 2 spaces, its siblings 4 (line 4): indent it 4 spaces like them']);
  });

  it('a line halfway between two levels names both', () => {
    expect(
      errors(
        users('  alice@example.com:', '    role: admin', '   dave@example.com: member', '  bob@example.com: member'),
      ),
    ).toEqual([
      'cfg.yaml:5:4: line 5 is indented 3 spaces, halfway between line 3 (2) and the entries under it (4, as on ' +
        'line 4): indent it 2 spaces to follow line 3, or 4 to go under it',
    ]);
  });

  it('leaves other syntax errors as the parser words them', () => {
    expect(errors(yaml('version: 1', 'users:', '  "alice@example.com: admin', '  bob@example.com: member'))).toEqual([
      'cfg.yaml:5:1: invalid YAML: missing closing "quote',
    ]);
  });

  it('keeps an error elsewhere in the file beside the indentation message', () => {
    expect(
      errors(
        yaml(
          'version: 1',
          'users:',
          '    alice@example.com: admin',
          '  bob@example.com: member',
          'groups:',
          '  eng: [alice@example.com',
          'settings: {}',
        ),
      ),
    ).toEqual([
      'cfg.yaml:3:5: line 3 is indented 4 spaces, its siblings 2 (line 4): indent it 2 spaces like them',
      expect.stringMatching(/^cfg\.yaml:7:1: invalid YAML: flow sequence/),
    ]);
  });
});

// Random files from the pieces people (and mistakes) put in them, and small edits of valid ones: the
// reader answers every one with a config or with diagnostics inside the file, never with a crash.
// Seeded, so a failure repeats.
const FUZZ_RUNS = Number(process.env['CONFIG_FUZZ_RUNS'] ?? 4000);
const FUZZ_SEED = Number(process.env['CONFIG_FUZZ_SEED'] ?? 20_261_123);

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Mostly what a valid file holds, now and then something tricky in its place.
const LOGINS = [
  'alice@example.com',
  'Alice@Example.com',
  'bob@github',
  '"carol@example.com"',
  "'dave@example.com'",
  "'it''s@x.y'",
  '1pass@x.y',
  'é@ü.de',
  'true@x.y',
];
const ROLE_VALUES = ['admin', 'member', 'owner', 'auditor', 'it-admin', '"admin"', "'member'"];
const GROUP_KEYS = ['eng', 'group:sre', '"ops"', '2024', 'a.b_c-d', 'null', 'true'];
const SETTING_LINES = [
  'unmanagedUsers: report',
  'unmanagedGroups: remove',
  'maxChanges: 0',
  'maxChanges: 100',
  'maxChanges: 012',
  'policyFile: ../p.hujson',
  'onManualEdits: fail',
  'inviteMissingUsers: true',
  'inviteMissingUsers: False',
  'policyFile: "x y"',
];
const TRICKY = [
  '~',
  'null',
  'true',
  'yes',
  'no',
  '0',
  '-1',
  '+5',
  '1.0',
  '1e3',
  '.inf',
  '0o7',
  '0x1F',
  '1_0',
  '-',
  '"-"',
  "''",
  '""',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  'a,b',
  '"a\\"b"',
  '"a\\tb"',
  '&x a@b.c',
  '*x',
  '!!str a@b.c',
  '|',
  '>',
  '@x',
  '`x`',
  '%x',
  '?x',
  ':x',
  '-x@y.z',
  '\u00A0a@b.c',
  'group:sre',
  'tag:ci',
  '"*"',
  '[]',
  '{}',
  '[a@b.c,]',
  '[a@b.c,,b@c.d]',
  '[a@b.c',
  '{ role: }',
  '{ role }',
  '{ "role":admin }',
  '[[a@b.c]]',
  '[{a: b}]',
  '[a: b]',
  '[a #b]',
  'reprt',
  '<<',
  '__proto__',
  'constructor',
  'a b',
  '? a',
  '[a]',
  'x\t',
  'x\r',
  '\ta',
];
const AFTER = ['', '', '', ' ', ' # note', '  #note', '#x', '\t', ' \r'];

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)] as T;
}

function randomFile(next: () => number): string {
  const odd = next() * 0.15;
  const token = (list: readonly string[]): string => (next() < odd ? pick(next, TRICKY) : pick(next, list));
  const step = pick(next, [2, 2, 4, 1, 3]);
  const pad = (level: number): string => ' '.repeat(level * step + (next() < odd / 3 ? 1 : 0));
  const after = (): string => (next() < odd * 2 ? pick(next, AFTER) : '');
  const list = (): string[] => Array.from({ length: Math.floor(next() * 4) }, () => token(LOGINS));
  const flow = (items: string[]): string => `[${items.join(pick(next, [', ', ',', ' , ']))}]`;
  const block = (level: number, items: string[]): string[] =>
    items.map((item) => `${pad(level)}-${pick(next, [' ', ' ', '  '])}${item}${after()}`);
  const sections: Record<string, () => string[]> = {
    tailnet: () => [`tailnet: ${token(['example.com', '"-"', 'tail1234.ts.net'])}${after()}`],
    users: () => [
      `users:${after()}`,
      ...Array.from({ length: Math.floor(next() * 5) }, (): string[] => {
        const login = token(LOGINS);
        const form = next();
        if (form < 0.6) return [`${pad(1)}${login}: ${token(ROLE_VALUES)}${after()}`];
        if (form < 0.8) return [`${pad(1)}${login}: { role: ${token(ROLE_VALUES)} }${after()}`];
        if (form < 0.9) return [`${pad(1)}${login}: {}`];
        return [`${pad(1)}${login}:${after()}`, `${pad(2)}role: ${token(ROLE_VALUES)}${after()}`];
      }).flat(),
    ],
    groups: () => [
      `groups:${after()}`,
      ...Array.from({ length: Math.floor(next() * 4) }, (): string[] => {
        const key = token(GROUP_KEYS);
        const form = next();
        if (form < 0.4) return [`${pad(1)}${key}: ${flow(list())}${after()}`];
        if (form < 0.6) return [`${pad(1)}${key}:${after()}`, ...block(next() < 0.3 ? 1 : 2, list())];
        if (form < 0.8)
          return [`${pad(1)}${key}: { description: ${token(['on call', '"a: b"', "'x'"])}, members: ${flow(list())} }`];
        return [
          `${pad(1)}${key}:`,
          `${pad(2)}description: ${token(['on call', 'x, y', 'a#b'])}${after()}`,
          `${pad(2)}members:`,
          ...block(3, list()),
        ];
      }).flat(),
    ],
    settings: () => [
      `settings:${after()}`,
      ...Array.from({ length: Math.floor(next() * 4) }, () => `${pad(1)}${token(SETTING_LINES)}${after()}`),
    ],
  };
  const lines = next() < 0.95 ? [`version: ${token(['1', '1', '01'])}${after()}`] : [];
  for (const name of Object.keys(sections)) if (next() < 0.7) lines.push(...(sections[name]?.() ?? []));
  for (let i = Math.floor(next() * 3 * odd * 10); i > 0; i--) {
    lines.splice(
      Math.floor(next() * (lines.length + 1)),
      0,
      pick(next, ['', '# comment', '   # comment', '  ', '---', '...', '%YAML 1.2']),
    );
  }
  return lines.join(next() < 0.1 ? '\r\n' : '\n') + (next() < 0.9 ? '\n' : '');
}

const EDITS = [
  ' ',
  '  ',
  ':',
  '#',
  '-',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  "'",
  '&',
  '*',
  '!',
  '|',
  '>',
  '\t',
  '\r',
  '\n',
  '\n  ',
  'a',
  '@',
  '\\',
  '?',
  '%',
];

function mutated(next: () => number, text: string): string {
  let out = text;
  for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
    const at = Math.floor(next() * (out.length + 1));
    const cut = next() < 0.5 ? Math.floor(next() * 3) : 0;
    out = out.slice(0, at) + (next() < 0.8 ? pick(next, EDITS) : '') + out.slice(at + cut);
  }
  return out;
}

/** A config, or diagnostics that each point at a line of the text. */
function sane(text: string): boolean {
  const outcome = load(text);
  if ('ok' in outcome) return true;
  const lines = text.split(/\r\n|\n|\r/).length;
  for (const error of outcome.errors) {
    const match = /^cfg\.yaml:(\d+):(\d+): ./.exec(error);
    expect(match, error).not.toBeNull();
    expect(Number(match?.[1]), error).toBeLessThanOrEqual(lines);
  }
  return false;
}

describe('the reader answers every file with a config or placed diagnostics', () => {
  const seeds = Object.values(VALID).filter((text) => text.length < 5_000);

  it(`on ${FUZZ_RUNS} random files`, () => {
    const next = random(FUZZ_SEED);
    let valid = 0;
    for (let run = 0; run < FUZZ_RUNS; run++) if (sane(randomFile(next))) valid++;
    // Enough of them are valid for the run to mean something.
    expect(valid).toBeGreaterThan(FUZZ_RUNS / 5);
  });

  it(`on ${FUZZ_RUNS} small edits of valid files`, () => {
    const next = random(FUZZ_SEED + 1);
    let valid = 0;
    for (let run = 0; run < FUZZ_RUNS; run++) if (sane(mutated(next, pick(next, seeds)))) valid++;
    expect(valid).toBeGreaterThan(FUZZ_RUNS / 10);
  });
});
