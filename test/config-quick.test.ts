// The loader's two paths must agree: the quick path (plain-yaml + plain-config) may only answer for a
// file when its answer is exactly the precise path's (same Desired, same places, same warnings), and
// must leave every other file to the precise path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig, parsePrecisely, parseQuickly } from '../src/config/load.js';
import type { LoadedConfig } from '../src/config/load.js';
import { DiagnosticsError, formatDiagnostic } from '../src/diagnostics.js';
import schema from '../schema/tailnet-access.schema.json' with { type: 'json' };

const FILE = 'cfg.yaml';

function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

type Outcome = { ok: LoadedConfig } | { errors: string[] };

function precisely(text: string): Outcome {
  try {
    return { ok: parsePrecisely(text, FILE) };
  } catch (error) {
    if (error instanceof DiagnosticsError) return { errors: error.diagnostics.map(formatDiagnostic) };
    throw error;
  }
}

/** The quick path's answer, after checking it is the precise path's; undefined when it left the file alone. */
function agreed(text: string): LoadedConfig | undefined {
  const quick = parseQuickly(text, FILE);
  if (quick !== undefined) expect({ text, outcome: precisely(text) }).toEqual({ text, outcome: { ok: quick } });
  return quick;
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

// Every valid file of the config tests, and the forms the quick path is meant to read.
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
    "  'bob@example.com': { \"role\": member }",
    'groups:',
    '  "eng": ["alice@example.com", \'bob@example.com\']',
    "  sre: { description: 'it''s on call', members: [] }",
    '  ops: { members: [ alice@example.com , bob@example.com ] }',
  ),
  'lists at the key’s indentation': yaml('version: 1', 'groups:', '  eng:', '  - alice@example.com', '  - bob@example.com', '  sre: []'),
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
  'text outside ASCII': yaml('version: 1', 'groups:', '  eng:', '    description: Zürich — 日本 🚀 équipe', '    members: [ünïcödé@exämple.com]'),
  'leading zeros': yaml('version: 01', 'settings:', '  maxChanges: 007'),
  'a bench-shaped tailnet': benchTailnet(300, 40),
  'a block-shaped tailnet': blockTailnet(200, 30),
};

describe('the quick path reads every valid plain file exactly as the precise path does', () => {
  it.each(Object.entries(VALID))('%s', (_name, text) => {
    expect(agreed(text)).toBeDefined();
  });

  it('places every user, group and member of 10,000 users in 1,000 groups', () => {
    const text = benchTailnet(10_000, 1_000);
    const quick = agreed(text);
    expect(quick?.desired.users).toHaveLength(10_000);
    expect(quick?.desired.groups[999]?.members[19]?.at).toEqual({ file: FILE, line: 10_004 + 999, column: expect.any(Number) });
    expect(agreed(blockTailnet(10_000, 1_000))).toBeDefined();
  });

  it('warns about repeated members from the quick path, in file order', () => {
    expect(parseQuickly(VALID['members listed twice (warnings)'] ?? '', FILE)?.warnings.map(formatDiagnostic)).toEqual([
      'cfg.yaml:6:7: warning: Alice@Example.com is listed twice in group:eng (first at line 4 as alice@example.com)',
      'cfg.yaml:7:7: warning: bob@example.com is listed twice in group:eng (first at line 5)',
    ]);
  });
});

describe('the quick path leaves to the precise path what it cannot be sure of', () => {
  // Valid for the precise path, with values or places the quick path does not try to reproduce.
  it.each([
    ['an anchor and aliases', yaml('version: 1', 'groups:', '  eng: &eng [alice@example.com]', '  sre: *eng')],
    ['a tag', yaml('version: 1', 'tailnet: !!str example.com')],
    ['a block scalar', yaml('version: 1', 'groups:', '  eng:', '    description: |', '      on call', '    members: []')],
    ['a list over several lines', yaml('version: 1', 'groups:', '  eng: [alice@example.com,', '        bob@example.com]')],
    ['text over several lines', yaml('version: 1', 'groups:', '  eng:', '    description: on', '      call', '    members: []')],
    ['an escape in double quotes', yaml('version: 1', 'groups:', '  eng: { description: "tab\\there", members: [] }')],
    ['a hexadecimal number (16 in YAML 1.2)', yaml('version: 1', 'settings:', '  maxChanges: 0x10')],
    ['an octal number (8 in YAML 1.2)', yaml('version: 1', 'settings:', '  maxChanges: 0o10')],
    ['a version written 1.0 (the number 1)', yaml('version: 1.0')],
    ['an explicit document start', yaml('---', 'version: 1')],
    ['a document end marker', yaml('version: 1', '...')],
    ['a %YAML directive', yaml('%YAML 1.2', '---', 'version: 1')],
    ['a YAML 1.1 directive, which makes yes a boolean', yaml('%YAML 1.1', '---', 'version: 1', 'settings:', '  inviteMissingUsers: yes')],
    ['__proto__ as a group name', yaml('version: 1', 'groups:', '  __proto__: []')],
    ['a tab inside a comment', yaml('version: 1 #\tnote')],
    ['a key starting with a dash', yaml('version: 1', 'users:', '  -a@example.com: member')],
    ['a trailing comma in a list', yaml('version: 1', 'groups:', '  eng: [alice@example.com, ]')],
    ['a byte-order mark inside the text', 'version: 1\n# \uFEFF\n'],
    ['a YAML 1.1 line break', 'version: 1\n# \u2028\n'],
  ])('%s', (_name, text) => {
    expect(parseQuickly(text, FILE)).toBeUndefined();
    expect(precisely(text)).toEqual({ ok: expect.anything() });
  });

  // Refused by the precise path, with its own wording and place; the quick path must not accept them.
  it.each([
    ['YAML 1.1 booleans (text in YAML 1.2)', yaml('version: 1', 'settings:', '  inviteMissingUsers: yes')],
    ['digits with underscores (text in YAML 1.2)', yaml('version: 1', 'settings:', '  maxChanges: 1_000')],
    ['a duplicate key', yaml('version: 1', 'users:', '  a@b.c: admin', '  a@b.c: member')],
    ['a duplicate key in a flow map', yaml('version: 1', 'users: { a@b.c: admin, a@b.c: member }')],
    ['a merge key', yaml('version: 1', 'groups:', '  sre:', '    <<: { members: [] }')],
    ['tabs as indentation', 'version: 1\nusers:\n\talice@example.com: admin\n'],
    ['a second document', yaml('version: 1', '---', 'version: 1')],
    ['a value that is a mapping by mistake', yaml('version: 1', 'users:', '  alice@example.com: admin: yes')],
    ['a continuation that is an error', yaml('version: 1', 'users:', '  alice@example.com: admin', '    bob@example.com: member')],
    ['a schema error', yaml('version: 1', 'users:', '  alice@example.com: admn')],
    ['a second owner', yaml('version: 1', 'users:', '  a@b.c: owner', '  b@b.c: owner')],
    ['one login in two cases', yaml('version: 1', 'users:', '  a@b.c: admin', '  A@b.c: admin')],
    ['a key named like a prototype property', yaml('version: 1', 'settings:', '  constructor: x')],
  ])('%s', (_name, text) => {
    expect(parseQuickly(text, FILE)).toBeUndefined();
    expect(precisely(text)).toEqual({ errors: expect.any(Array) });
  });

  it('declines an alias bomb at once, and the precise path still refuses it before expanding it', () => {
    const lines = ['version: 1', 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${`*${String.fromCharCode(96 + i)}, `.repeat(8)}*${String.fromCharCode(96 + i)}]`);
    const text = yaml(...lines);
    const start = performance.now();
    expect(parseQuickly(text, FILE)).toBeUndefined();
    expect(() => parseConfig(text, FILE)).toThrow(/refusing to expand the YAML aliases/);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('declines absurdly deep nesting without overflowing the stack', () => {
    expect(parseQuickly(`version: 1\nusers: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`, FILE)).toBeUndefined();
    expect(parseQuickly(yaml('version: 1', ...Array.from({ length: 5_000 }, (_, i) => `${' '.repeat(i)}k${i}:`)), FILE)).toBeUndefined();
  });
});

// Random files from the pieces people (and mistakes) put in them. Whenever the quick path answers,
// the precise path must give the same answer; most of these files are wrong in some way, and the
// quick path must decline every one of those. Seeded, so a failure repeats.
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
const LOGINS = ['alice@example.com', 'Alice@Example.com', 'bob@github', '"carol@example.com"', "'dave@example.com'", "'it''s@x.y'", '1pass@x.y', 'é@ü.de', 'true@x.y'];
const ROLE_VALUES = ['admin', 'member', 'owner', 'auditor', 'it-admin', '"admin"', "'member'"];
const GROUP_KEYS = ['eng', 'group:sre', '"ops"', '2024', 'a.b_c-d', 'null', 'true'];
const SETTING_LINES = [
  'unmanagedUsers: report', 'unmanagedGroups: remove', 'maxChanges: 0', 'maxChanges: 100', 'maxChanges: 012', 'policyFile: ../p.hujson',
  'onManualEdits: fail', 'inviteMissingUsers: true', 'inviteMissingUsers: False', 'policyFile: "x y"',
];
const TRICKY = [
  '~', 'null', 'true', 'yes', 'no', '0', '-1', '+5', '1.0', '1e3', '.inf', '0o7', '0x1F', '1_0', '-', '"-"', "''", '""', 'a: b',
  'a:b', 'a #b', 'a#b', 'a,b', '"a\\"b"', '"a\\tb"', '&x a@b.c', '*x', '!!str a@b.c', '|', '>', '@x', '`x`', '%x', '?x', ':x',
  '-x@y.z', '\u00A0a@b.c', 'group:sre', 'tag:ci', '"*"', '[]', '{}', '[a@b.c,]', '[a@b.c,,b@c.d]', '[a@b.c', '{ role: }',
  '{ role }', '{ "role":admin }', '[[a@b.c]]', '[{a: b}]', '[a: b]', '[a #b]', 'reprt', '<<', '__proto__', 'constructor', 'a b',
  '? a', '[a]', 'x\t', 'x\r', '\ta',
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
  const block = (level: number, items: string[]): string[] => items.map((item) => `${pad(level)}-${pick(next, [' ', ' ', '  '])}${item}${after()}`);
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
        if (form < 0.8) return [`${pad(1)}${key}: { description: ${token(['on call', '"a: b"', "'x'"])}, members: ${flow(list())} }`];
        return [`${pad(1)}${key}:`, `${pad(2)}description: ${token(['on call', 'x, y', 'a#b'])}${after()}`, `${pad(2)}members:`, ...block(3, list())];
      }).flat(),
    ],
    settings: () => [`settings:${after()}`, ...Array.from({ length: Math.floor(next() * 4) }, () => `${pad(1)}${token(SETTING_LINES)}${after()}`)],
  };
  const lines = next() < 0.95 ? [`version: ${token(['1', '1', '01'])}${after()}`] : [];
  for (const name of Object.keys(sections)) if (next() < 0.7) lines.push(...(sections[name]?.() ?? []));
  for (let i = Math.floor(next() * 3 * odd * 10); i > 0; i--) {
    lines.splice(Math.floor(next() * (lines.length + 1)), 0, pick(next, ['', '# comment', '   # comment', '  ', '---', '...', '%YAML 1.2']));
  }
  return lines.join(next() < 0.1 ? '\r\n' : '\n') + (next() < 0.9 ? '\n' : '');
}

const EDITS = [' ', '  ', ':', '#', '-', '[', ']', '{', '}', ',', '"', "'", '&', '*', '!', '|', '>', '\t', '\r', '\n', '\n  ', 'a', '@', '\\', '?', '%'];

function mutated(next: () => number, text: string): string {
  let out = text;
  for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
    const at = Math.floor(next() * (out.length + 1));
    const cut = next() < 0.5 ? Math.floor(next() * 3) : 0;
    out = out.slice(0, at) + (next() < 0.8 ? pick(next, EDITS) : '') + out.slice(at + cut);
  }
  return out;
}

describe('the quick path never answers differently from the precise path', () => {
  const seeds = Object.values(VALID).filter((text) => text.length < 5_000);

  it(`on ${FUZZ_RUNS} random files`, () => {
    const next = random(FUZZ_SEED);
    let answered = 0;
    for (let run = 0; run < FUZZ_RUNS; run++) if (agreed(randomFile(next)) !== undefined) answered++;
    // Enough of them are valid for the comparison to mean something.
    expect(answered).toBeGreaterThan(FUZZ_RUNS / 5);
  });

  it(`on ${FUZZ_RUNS} small edits of valid files`, () => {
    const next = random(FUZZ_SEED + 1);
    let answered = 0;
    for (let run = 0; run < FUZZ_RUNS; run++) if (agreed(mutated(next, pick(next, seeds))) !== undefined) answered++;
    expect(answered).toBeGreaterThan(FUZZ_RUNS / 10);
  });
});

/** Every validation rule of a JSON schema, one line per place, without titles, descriptions and defaults. */
function schemaRules(node: unknown, path = ''): string[] {
  if (typeof node !== 'object' || node === null) return [];
  const rules: string[] = [];
  const nested: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (['$schema', 'title', 'description', 'default'].includes(key)) continue;
    if (['properties', 'patternProperties', '$defs'].includes(key) && typeof value === 'object' && value !== null) {
      for (const [name, child] of Object.entries(value)) nested.push(...schemaRules(child, `${path}/${key}/${name}`));
    } else if (key === 'anyOf' && Array.isArray(value)) value.forEach((child, i) => nested.push(...schemaRules(child, `${path}/anyOf/${i}`)));
    else if (key === 'items') nested.push(...schemaRules(value, `${path}/items`));
    else rules.push(`${key}=${JSON.stringify(value)}`);
  }
  return rules.length > 0 ? [`${path || '#'}: ${rules.join(' ')}`, ...nested] : nested;
}

describe('the schema check of the quick path', () => {
  // plain-config.ts checks these rules itself (ajv takes longer to compile than the quick path takes
  // in all). Changing the schema changes this list: then change plain-config.ts to match.
  it('covers exactly the rules of schema/tailnet-access.schema.json', () => {
    expect(schemaRules(schema)).toEqual([
      '#: type="object" required=["version"] additionalProperties=false',
      '/properties/version: enum=[1]',
      '/properties/tailnet: type="string" minLength=1',
      '/properties/users: type=["object","null"] additionalProperties=false',
      '/properties/users/patternProperties/^[^\\s@:,]+@[^\\s@:,]+$: $ref="#/$defs/userEntry"',
      '/properties/groups: type=["object","null"] additionalProperties=false',
      '/properties/groups/patternProperties/^(group:)?[A-Za-z0-9._-]+$: $ref="#/$defs/groupEntry"',
      '/properties/settings: type=["object","null"] additionalProperties=false',
      '/properties/settings/properties/unmanagedUsers: enum=["ignore","report","demote"]',
      '/properties/settings/properties/unmanagedGroups: enum=["keep","remove"]',
      '/properties/settings/properties/maxChanges: type="integer" minimum=0',
      '/properties/settings/properties/policyFile: type="string" minLength=1',
      '/properties/settings/properties/onManualEdits: enum=["warn","fail"]',
      '/properties/settings/properties/inviteMissingUsers: type="boolean"',
      '/$defs/role: type="string" enum=["owner","admin","member","it-admin","network-admin","billing-admin","auditor"]',
      '/$defs/userEntry/anyOf/0: $ref="#/$defs/role"',
      '/$defs/userEntry/anyOf/1: type="object" additionalProperties=false',
      '/$defs/userEntry/anyOf/1/properties/role: $ref="#/$defs/role"',
      '/$defs/login: type="string" pattern="^[^\\\\s@:,]+@[^\\\\s@:,]+$"',
      '/$defs/members: type="array"',
      '/$defs/members/items: $ref="#/$defs/login"',
      '/$defs/groupEntry/anyOf/0: $ref="#/$defs/members"',
      '/$defs/groupEntry/anyOf/1: type="object" required=["members"] additionalProperties=false',
      '/$defs/groupEntry/anyOf/1/properties/description: type="string"',
      '/$defs/groupEntry/anyOf/1/properties/members: $ref="#/$defs/members"',
    ]);
  });
});
