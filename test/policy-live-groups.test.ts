// The live policy's groups are read by a reader that looks only at `groups` (src/policy/live-groups.ts);
// every text the product writes is read strictly (groups.ts). The plan must not change with the
// reader: on every policy fixture, on the corpus of real policies (when ../shared is there) and on
// generated policies, both give the same groups, or the same error.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPolicyGroups } from '../src/policy/groups.js';
import { parseHujson, topLevelProperty } from '../src/policy/hujson.js';
import { readLivePolicyGroups } from '../src/policy/live-groups.js';
import type { PolicyGroups } from '../src/policy/types.js';

type Outcome = { groups: PolicyGroups } | { error: string };

function outcome(read: (text: string) => PolicyGroups, text: string): Outcome {
  try {
    return { groups: read(text) };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

const same = (text: string): void =>
  expect(outcome(readLivePolicyGroups, text)).toEqual(outcome(readPolicyGroups, text));

const fixtures = new URL('./fixtures/policy/', import.meta.url);

describe('the live reader and the strict reader agree', () => {
  it.each(readdirSync(fixtures).filter((f) => f.endsWith('.hujson')))('on the fixture %s', (name) => {
    const text = readFileSync(new URL(name, fixtures), 'utf8');
    same(text);
    same(text.replace(/\n/g, '\r\n'));
  });

  it.each([
    ['no groups', '{"acls": []}'],
    ['empty groups', '{"groups": {}}'],
    [
      'groups after other keys, with "groups" inside them',
      '{"hosts": {"groups": "100.64.0.1"}, "acls": [{"src": ["groups"]}], // "groups": {"group:x": []}\n"groups": ' +
        '{"group:a": ["a@example.com",],},}',
    ],
    [
      'a one-line group with block comments',
      '{"groups": {/* lead */ "group:a": ["a@example.com", /* mid */ "b@example.com"], /* tail */}}',
    ],
    ['escapes in names and members', '{"groups": {"group:a\\"b\\u00e9": ["x\\u0040example.com"]}}'],
  ])('on %s', (_what, text) => same(text));

  it.each([
    ['a top level that is not an object', '["group:a"]'],
    ['groups that are not an object', '{"groups": ["group:a"]}'],
    ['a group that is not a list', '{"groups": {"group:a": "a@example.com"}}'],
    ['a member that is not a string', '{"groups": {"group:a": ["a@example.com", {"b": 1}]}}'],
    ['a group named twice', '{"groups": {"group:a": [], "group:a": ["b@example.com"]}}'],
    ['a missing comma between groups', '{"groups": {"group:a": ["a@example.com"]\n"group:b": []}}'],
    ['a missing comma between members', '{"groups": {"group:a": ["a@example.com" "b@example.com"]}}'],
    ['an unterminated string before groups', '{"acls": ["oops], "groups": {}}'],
    ['a broken brace before groups', '{"acls": [}, "groups": {"group:a": []}}'],
    ['text that is not HuJSON', 'not a policy'],
    ['an empty text', ''],
  ])('on %s: the same error', (_what, text) => {
    expect(outcome(readPolicyGroups, text)).toHaveProperty('error');
    same(text);
  });

  it.each([
    ['a duplicate key', '"hosts": {"x": "100.64.0.1", "x": "100.64.0.2"}', 'duplicate key "x"'],
    ['a second groups', '"groups": {}', 'duplicate key "groups"'],
    ['a missing brace', '"hosts": {"x": "100.64.0.1"', "expected '}'"],
  ])(
    'does not look past the groups: %s after them, which Tailscale would have refused, is not checked again',
    (_what, rest, error) => {
      const text = `{"groups": {"group:a": ["a@example.com"]}, ${rest}}`;
      expect(outcome(readPolicyGroups, text)).toEqual({ error: expect.stringContaining(error) });
      expect(readLivePolicyGroups(text)).toEqual({
        present: true,
        groups: [{ name: 'group:a', members: ['a@example.com'] }],
      });
    },
  );
});

// ../shared beside the repository; from a worktree (/work/wt/NAME) one level further up.
const corpus = ['../../shared/corpus/policies/', '../../../shared/corpus/policies/']
  .map((where) => new URL(where, import.meta.url))
  .find((url) => existsSync(new URL('SOURCES.tsv', url)));

describe.skipIf(!corpus)('the live reader and the strict reader agree on the policy corpus', () => {
  const files = corpus ? readdirSync(corpus).filter((name) => name.endsWith('.hujson')) : [];
  it.each(files)('%s', (name) => {
    const text = readFileSync(new URL(name, corpus), 'utf8');
    same(text);
  });
});

const NEWLINES = ['\n', '\r\n'] as const;

const login = fc.oneof(
  fc.constantFrom(
    'alice@example.com',
    'Bob@Example.com',
    'carol@example.org',
    'dave+ops@example.com',
    'émile@example.fr',
    'quote"d@example.com',
  ),
  fc.stringMatching(/^[a-z]{1,6}@[a-z]{1,5}\.com$/),
);
const groupName = fc.oneof(
  fc.stringMatching(/^group:[a-z][a-z0-9-]{0,6}$/),
  fc.constantFrom('group:eng@example.com', 'group:a"b', 'group:back\\slash'),
);
const comment = fc.constantFrom(
  '',
  '// one line',
  '/* block */',
  '// first\n// second',
  '/* two\n * lines */',
  '// heading\n\n// attached',
);

const group = fc.record({
  name: groupName,
  members: fc.array(login, { maxLength: 4 }),
  comment,
  blankBefore: fc.boolean(),
  oneLine: fc.boolean(),
  trailing: fc.boolean(),
});

const policy = fc
  .record({
    groups: fc.uniqueArray(group, { selector: (g) => g.name, maxLength: 6 }),
    before: fc.constantFrom(
      '',
      '"acls": [{"action": "accept", "src": ["group:x"], "dst": ["*:*"]}],',
      '"hosts": {"groups": "100.64.0.1"}, // "groups": {}',
      '"tagOwners": {"tag:a": ["autogroup:admin"]},',
    ),
    after: fc.constantFrom('', '"tests": [{"src": "a@example.com", "accept": ["b:22"]}],', '"ssh": [],'),
    withGroups: fc.boolean(),
    trailing: fc.boolean(),
    nl: fc.constantFrom(...NEWLINES),
  })
  .map(({ groups, before, after, withGroups, trailing, nl }) => {
    const entries = groups.map((g, i) => {
      const members = g.members.map((m) => JSON.stringify(m));
      const list = g.oneLine
        ? `[${members.join(', ')}${g.trailing && members.length > 0 ? ',' : ''}]`
        : `[${members.map((m) => `${nl}\t\t\t${m},`).join('')}${nl}\t\t]`;
      const lead = `${g.blankBefore ? nl : ''}${g.comment ? `\t\t${g.comment.replace(/\n/g, `${nl}\t\t`)}${nl}` : ''}`;
      return `${lead}\t\t${JSON.stringify(g.name)}: ${list}${i < groups.length - 1 || trailing ? ',' : ''}`;
    });
    const body = withGroups ? `\t"groups": {${nl}${entries.join(nl)}${nl}\t},` : '';
    return `// policy${nl}{${nl}\t${before}${nl}${body}${nl}\t${after}${nl}}${nl}`;
  });

describe('the live reader and the strict reader agree on generated policies', () => {
  it('on well-formed ones', () => {
    fc.assert(
      fc.property(policy, (text) => {
        expect(outcome(readPolicyGroups, text)).toHaveProperty('groups');
        same(text);
      }),
      { numRuns: 400 },
    );
  });

  it('on ones broken inside or before the groups', () => {
    const breakage = fc.constantFrom<[string, string]>(
      ['": [', '": "'],
      ['",', '" '],
      ['],', '] '],
      ['"group:', '{"group:'],
      ['{', '{{'],
      ['"', "'"],
    );
    fc.assert(
      fc.property(policy, breakage, fc.nat(), (text, [find, replace], pick) => {
        const at = [...text.matchAll(new RegExp(find.replace(/[[\]{}()*+?.\\^$|]/g, '\\$&'), 'g'))].map((m) => m.index);
        const index = at.length > 0 ? (at[pick % at.length] ?? 0) : -1;
        const broken = index < 0 ? text : text.slice(0, index) + replace + text.slice(index + find.length);
        const live = outcome(readLivePolicyGroups, broken);
        const strict = outcome(readPolicyGroups, broken);
        if (JSON.stringify(live) === JSON.stringify(strict)) return;
        // They may differ only where the live reader does not look: outside the groups, in a value it
        // skips (within which it only matches brackets) or after them. Then it reads the groups as they were.
        const groups = topLevelProperty(parseHujson(text), 'groups');
        const inside = groups !== undefined && index >= groups.offset && index < groups.offset + groups.length;
        expect(inside).toBe(false);
        expect(strict).toHaveProperty('error');
        expect(live).toEqual(outcome(readPolicyGroups, text));
      }),
      { numRuns: 400 },
    );
  });
});
