// Where a policy uses a group: every section, the rule's place and its one-line
// rendering, lookalikes that are not uses, layouts (CRLF, tabs, comments) and bad input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HujsonSyntaxError, parseHujson } from '../src/policy/hujson.js';
import { PolicyShapeError } from '../src/policy/groups.js';
import { findGroupReferences, referencePlace } from '../src/policy/impact.js';
import type { GroupReference } from '../src/domain/policy.js';
import { RULE_TEXT_MAX } from '../src/policy/rule-text.js';

const FIXTURE = readFileSync(new URL('fixtures/policy/impact-every-section.hujson', import.meta.url), 'utf8');

type Expected = Omit<GroupReference, 'group' | 'column'> & { column?: number };
const ref = (group: string, e: Expected): GroupReference => ({ group, column: 3, ...e });

const ENG: GroupReference[] = [
  ref('group:eng', { section: 'acls', index: 0, line: 10, rule: 'accept group:eng -> tag:server:22', fields: ['src'] }),
  ref('group:eng', {
    section: 'acls',
    index: 2,
    line: 13,
    rule: 'accept tag:ci -> group:eng:*, group:eng-oncall:8000-8100',
    fields: ['dst'],
  }),
  ref('group:eng', { section: 'acls', index: 3, line: 14, rule: 'accept group:eng -> tag:db:5432', fields: ['users'] }),
  ref('group:eng', {
    section: 'grants',
    index: 0,
    line: 17,
    rule: 'group:eng -> tag:db ip tcp:5432 if posture:latestMac',
    fields: ['src'],
  }),
  ref('group:eng', {
    section: 'grants',
    index: 1,
    line: 23,
    rule: 'tag:monitor -> group:eng ip icmp:* via tag:exit-us',
    fields: ['dst'],
  }),
  ref('group:eng', {
    section: 'grants',
    index: 2,
    line: 24,
    rule: 'group:eng -> tag:k8s app tailscale.com/cap/kubernetes',
    fields: ['src'],
  }),
  ref('group:eng', {
    section: 'ssh',
    index: 0,
    line: 27,
    rule: 'check group:eng -> tag:server as root, autogroup:nonroot checkPeriod 12h',
    fields: ['src'],
  }),
  ref('group:eng', {
    section: 'tagOwners',
    index: 'tag:server',
    line: 31,
    rule: 'tag:server owned by group:eng, alice@example.com',
    fields: [],
  }),
  ref('group:eng', {
    section: 'autoApprovers.routes',
    index: '10.0.0.0/8',
    line: 36,
    column: 4,
    rule: 'route 10.0.0.0/8 auto-approved for group:eng, tag:router',
    fields: [],
  }),
  ref('group:eng', {
    section: 'autoApprovers.exitNode',
    index: null,
    line: 38,
    rule: 'exit nodes auto-approved for tag:exit, group:eng',
    fields: [],
  }),
  ref('group:eng', { section: 'nodeAttrs', index: 0, line: 41, rule: 'group:eng get funnel', fields: ['target'] }),
  ref('group:eng', {
    section: 'tests',
    index: 0,
    line: 49,
    rule: 'test from group:eng: accepts tag:server:22; denies tag:db:22',
    fields: ['src'],
  }),
  ref('group:eng', {
    section: 'sshTests',
    index: 0,
    line: 53,
    rule: 'ssh test from group:eng to tag:server: checks root; denies ubuntu',
    fields: ['src'],
  }),
];

const ONCALL: GroupReference[] = [
  ref('group:eng-oncall', {
    section: 'acls',
    index: 1,
    line: 12,
    rule: 'accept autogroup:member, group:eng-oncall -> tag:web:80,443',
    fields: ['src'],
  }),
  ref('group:eng-oncall', {
    section: 'acls',
    index: 2,
    line: 13,
    rule: 'accept tag:ci -> group:eng:*, group:eng-oncall:8000-8100',
    fields: ['dst'],
  }),
  ref('group:eng-oncall', {
    section: 'tests',
    index: 1,
    line: 50,
    rule: 'test from alice@example.com: accepts group:eng-oncall:8000 (proto tcp)',
    fields: ['accept'],
  }),
];

describe('findGroupReferences on a policy that uses a group in every section', () => {
  it('finds each rule that names group:eng, with its section, index, line, column and text', () => {
    expect(findGroupReferences(FIXTURE, ['group:eng'])).toEqual({ references: ENG, unused: [] });
  });

  it('does not take group:eng-oncall for group:eng, nor the other way round; ports after a name are a use', () => {
    expect(findGroupReferences(FIXTURE, ['group:eng-oncall']).references).toEqual(ONCALL);
  });

  it('orders by group, then by place in the text, and names the groups used nowhere', () => {
    const impact = findGroupReferences(FIXTURE, ['group:unused', 'group:eng-oncall', 'group:ghost', 'group:eng']);
    expect(impact.references).toEqual([...ENG, ...ONCALL]);
    expect(impact.unused).toEqual(['group:ghost', 'group:unused']);
  });

  it('orders by name even when the text uses the groups in another order', () => {
    const text =
      '{"acls": [{"src": ["group:b"], "dst": ["*:*"]}, {"src": ["group:a"], "dst": ["*:*"]}, {"src": ["group:b"], ' +
      '"dst": ["tag:x:1"]}]}';
    expect(findGroupReferences(text, ['group:b', 'group:a']).references.map((r) => `${r.group} ${r.index}`)).toEqual([
      'group:a 1',
      'group:b 0',
      'group:b 2',
    ]);
  });

  it('looks only for group names, not tags or users asked about by mistake', () => {
    expect(findGroupReferences(FIXTURE, ['tag:server', 'alice@example.com']).unused).toEqual([
      'alice@example.com',
      'tag:server',
    ]);
  });

  it('does not take autogroups, tags or comments for groups of the same name', () => {
    const impact = findGroupReferences(FIXTURE, [
      'group:member',
      'group:self',
      'group:nonroot',
      'group:server',
      'group:admin',
      'group:latestMac',
    ]);
    expect(impact.references).toEqual([]);
    expect(impact.unused).toHaveLength(6);
  });

  it('reads a document already parsed the same as its text', () => {
    expect(findGroupReferences(parseHujson(FIXTURE), ['group:eng'])).toEqual(
      findGroupReferences(FIXTURE, ['group:eng']),
    );
  });

  it('asks nothing of an empty set of groups', () => {
    expect(findGroupReferences(FIXTURE, [])).toEqual({ references: [], unused: [] });
  });
});

describe('findGroupReferences across layouts', () => {
  it('gives the same lines and columns in a CRLF file', () => {
    const crlf = FIXTURE.replace(/\n/g, '\r\n');
    expect(findGroupReferences(crlf, ['group:eng']).references).toEqual(ENG);
  });

  it('counts a tab as one column and spaces as one each', () => {
    const spaces = FIXTURE.replace(/\t/g, '    ');
    const columns = findGroupReferences(spaces, ['group:eng']).references.map((r) => r.column);
    expect(columns).toEqual(ENG.map((r) => 1 + (r.column - 1) * 4));
  });

  it('finds rules in a minified policy, each at its column on the one line', () => {
    const text =
      '{"acls":[{"action":"accept","src":["*"],"dst":["*:*"]},{"action":"accept","src":["group:a"],"dst":["tag:x:1"]}]}';
    expect(findGroupReferences(text, ['group:a']).references).toEqual([
      {
        group: 'group:a',
        section: 'acls',
        index: 1,
        line: 1,
        column: 56,
        rule: 'accept group:a -> tag:x:1',
        fields: ['src'],
      },
    ]);
  });

  it('ignores rules and names inside comments, and keeps counting lines through them', () => {
    const text = [
      '{',
      '  "acls": [',
      '    // {"action": "accept", "src": ["group:a"], "dst": ["*:*"]},',
      '    /* {"action": "accept", "src": ["group:a"], "dst": ["*:*"]}, */',
      '    {"action": "accept", /* "group:a" */ "src": ["tag:x"], "dst": ["*:22"]},',
      '    {',
      '      "action": "accept", // group:a used to be here',
      '      "src": [/* first */ "group:a"],',
      '      "dst": ["tag:y:443"],',
      '    },',
      '  ],',
      '}',
      '',
    ].join('\n');
    expect(findGroupReferences(text, ['group:a'])).toEqual({
      references: [
        {
          group: 'group:a',
          section: 'acls',
          index: 1,
          line: 6,
          column: 5,
          rule: 'accept group:a -> tag:y:443',
          fields: ['src'],
        },
      ],
      unused: [],
    });
  });
});

describe('findGroupReferences on uses the documentation does not list', () => {
  it('finds a group in any field and any section but groups, and says which field', () => {
    const text = `{
  "groups": {"group:a": ["alice@example.com"], "group:b": ["bob@example.com"]},
  "ssh": [{"action": "accept", "src": ["group:a"], "dst": ["tag:x"], "users": ["group:b"]}],
  "attrConfig": {"custom:team": {"type": "string", "broadcastToPeers": ["group:b"]}},
  "autoApprovers": {"services": {"svc:web": ["group:b"]}},
  "somethingNew": [{"who": {"deep": [["group:b"]]}}],
}
`;
    expect(findGroupReferences(text, ['group:a', 'group:b']).references).toEqual([
      {
        group: 'group:a',
        section: 'ssh',
        index: 0,
        line: 3,
        column: 11,
        rule: 'accept group:a -> tag:x as group:b',
        fields: ['src'],
      },
      {
        group: 'group:b',
        section: 'ssh',
        index: 0,
        line: 3,
        column: 11,
        rule: 'accept group:a -> tag:x as group:b',
        fields: ['users'],
      },
      {
        group: 'group:b',
        section: 'attrConfig',
        index: 'custom:team',
        line: 4,
        column: 18,
        rule: 'custom:team: {"type":"string","broadcastToPeers":["group:b"]}',
        fields: ['broadcastToPeers'],
      },
      {
        group: 'group:b',
        section: 'autoApprovers.services',
        index: 'svc:web',
        line: 5,
        column: 34,
        rule: 'service svc:web auto-approved for group:b',
        fields: [],
      },
      {
        group: 'group:b',
        section: 'somethingNew',
        index: 0,
        line: 6,
        column: 20,
        rule: '{"who":{"deep":[["group:b"]]}}',
        fields: ['who'],
      },
    ]);
  });

  it('reads a section that is a single value, and an autoApprovers that is not an object, as one rule each', () => {
    const text = '{\n  "owner": "group:a",\n  "autoApprovers": ["group:a"]\n}';
    expect(findGroupReferences(text, ['group:a']).references).toEqual([
      { group: 'group:a', section: 'owner', index: null, line: 2, column: 3, rule: '"group:a"', fields: [] },
      { group: 'group:a', section: 'autoApprovers', index: 0, line: 3, column: 21, rule: '"group:a"', fields: [] },
    ]);
  });

  it('lists one rule once per group, with every field that names it', () => {
    const text = '{"acls": [{"action": "accept", "src": ["group:a", "tag:x"], "dst": ["group:a:22", "group:a:*"]}]}';
    const [only, ...rest] = findGroupReferences(text, ['group:a']).references;
    expect(rest).toEqual([]);
    expect(only?.fields).toEqual(['src', 'dst']);
  });

  it('reads SCIM groups with ports, and names that only start like a group as no use', () => {
    const text =
      '{"acls": [{"action": "accept", "src": ["tag:x"], "dst": ["group:eng@example.com:22", ' +
      '"group:engineering:22", "group:eng:22x", "group:eng:"]}]}';
    expect(findGroupReferences(text, ['group:eng@example.com', 'group:eng'])).toMatchObject({
      references: [{ group: 'group:eng@example.com', fields: ['dst'] }],
      unused: ['group:eng'],
    });
  });

  it('takes a name with ports only when what follows the colon is ports', () => {
    const dst = [
      'group:a:22,80',
      'group:b:22,80-90',
      'group:c:*',
      'group:d:x22',
      'group:e:22,ab',
      'group:f:22,8-',
      'group:g:1-2-3',
    ];
    const text = `{"acls": [${dst.map((d) => `{"src": ["tag:x"], "dst": ["${d}"]}`).join(', ')}]}`;
    const impact = findGroupReferences(text, [
      'group:a',
      'group:b',
      'group:c',
      'group:d',
      'group:e',
      'group:f',
      'group:g',
    ]);
    expect(impact.references.map((r) => r.group)).toEqual(['group:a', 'group:b', 'group:c']);
  });

  it('never takes an object key for a use', () => {
    const text =
      '{"tagOwners": {"group:a": ["alice@example.com"]}, "grants": [{"src": ["*"], "dst": ["*"], "app": ' +
      '{"group:a": [{}]}}]}';
    expect(findGroupReferences(text, ['group:a']).unused).toEqual(['group:a']);
  });

  it('skips the groups section, where groups are defined', () => {
    expect(
      findGroupReferences('{"groups": {"group:a": ["group:b"], "group:b": []}}', ['group:a', 'group:b']).unused,
    ).toEqual(['group:a', 'group:b']);
  });
});

describe('the one-line rule', () => {
  it('is cut at RULE_TEXT_MAX characters with an ellipsis', () => {
    const many = Array.from({ length: 100 }, (_, i) => `"tag:server-${i}:22"`).join(', ');
    const [hit] = findGroupReferences(`{"acls": [{"action": "accept", "src": ["group:a"], "dst": [${many}]}]}`, [
      'group:a',
    ]).references;
    expect(hit?.rule).toHaveLength(RULE_TEXT_MAX);
    expect(hit?.rule).toMatch(/^accept group:a -> tag:server-0:22, tag:server-1:22, .*…$/);
  });

  it('never splits a character outside the BMP when it cuts', () => {
    const pad = 'x'.repeat(RULE_TEXT_MAX - 'accept group:a -> '.length - 2);
    const [hit] = findGroupReferences(`{"acls": [{"action": "accept", "src": ["group:a"], "dst": ["${pad}😀xxxx"]}]}`, [
      'group:a',
    ]).references;
    expect(hit?.rule).toBe(`accept group:a -> ${pad}…`);
  });

  it('shows line breaks and other controls in names as escapes, so the rule stays on one line', () => {
    const text = '{"tagOwners": {"tag:a\\nb": ["group:a", "evil\\u2028name\\u0085"]}}';
    const [hit] = findGroupReferences(text, ['group:a']).references;
    expect(hit?.rule).toBe('tag:a\\u000ab owned by group:a, evil\\u2028name\\u0085');
    expect(hit?.index).toBe('tag:a\nb');
  });

  it('says (none) for a missing list, and falls back to JSON for a rule that is not an object', () => {
    const text = '{"acls": [{"src": ["group:a"]}, "group:a"], "tests": [{"src": "group:a"}]}';
    expect(findGroupReferences(text, ['group:a']).references.map((r) => r.rule)).toEqual([
      'accept group:a -> (none)',
      '"group:a"',
      'test from group:a',
    ]);
  });

  it('phrases the optional parts of rules only when they are there', () => {
    const rules = [
      '{"acls": [{"action": "accept", "proto": "tcp", "src": ["group:a"], "dst": ["tag:x:22"], "srcPosture": ' +
        '["posture:mac"]}]}',
      '{"grants": [{"src": ["group:a"], "dst": [], "ip": ["*"], "via": [], "app": null}]}',
      '{"sshTests": [{"src": "group:a", "dst": ["tag:x"], "accept": ["root"]}]}',
      '{"ssh": [{"src": ["group:a", {"odd": 1}], "dst": ["tag:x"], "users": ["root"]}]}',
      '{"tagOwners": ["group:a"]}',
    ];
    expect(rules.map((text) => findGroupReferences(text, ['group:a']).references[0]?.rule)).toEqual([
      'accept group:a -> tag:x:22 proto tcp if posture:mac',
      'group:a -> (none) ip *',
      'ssh test from group:a to tag:x: accepts root',
      'accept group:a, {"odd":1} -> tag:x as root',
      '"group:a"',
    ]);
  });

  it('keeps a rule of exactly RULE_TEXT_MAX characters whole', () => {
    const head = 'accept group:a -> ';
    const dst = 'y'.repeat(RULE_TEXT_MAX - head.length);
    const [hit] = findGroupReferences(`{"acls": [{"action": "accept", "src": ["group:a"], "dst": ["${dst}"]}]}`, [
      'group:a',
    ]).references;
    expect(hit?.rule).toBe(`${head}${dst}`);
  });

  it('cuts a long rule at the same place when a character outside the BMP comes earlier', () => {
    const [hit] = findGroupReferences(
      `{"acls": [{"action": "accept", "src": ["group:a", "😀"], "dst": ["${'z'.repeat(300)}"]}]}`,
      ['group:a'],
    ).references;
    expect(hit?.rule).toHaveLength(RULE_TEXT_MAX);
    expect(hit?.rule.endsWith('zz…')).toBe(true);
  });

  it('says where a reference stands', () => {
    expect(ENG.map(referencePlace).slice(0, 1)).toEqual(['acls[0]']);
    expect(referencePlace({ section: 'tagOwners', index: 'tag:server' })).toBe('tagOwners["tag:server"]');
    expect(referencePlace({ section: 'autoApprovers.exitNode', index: null })).toBe('autoApprovers.exitNode');
  });
});

describe('findGroupReferences on a policy it cannot read', () => {
  const errorOf = (text: string): unknown => {
    try {
      findGroupReferences(text, ['group:a']);
    } catch (e) {
      return e;
    }
    throw new Error('expected an error');
  };

  it('refuses invalid HuJSON with its line and column', () => {
    const e = errorOf('{\n  "acls": [\n    {"src": ["group:a"] "dst": []},\n  ],\n}\n');
    expect(e).toBeInstanceOf(HujsonSyntaxError);
    expect(e).toMatchObject({ line: 3, column: 25 });
  });

  it('refuses a duplicate key, as Tailscale does', () => {
    expect(errorOf('{"acls": [], "acls": []}')).toMatchObject({
      name: 'HujsonSyntaxError',
      line: 1,
      column: 14,
      reason: 'duplicate key "acls"',
    });
  });

  it('refuses a policy that is not an object', () => {
    const e = errorOf('\n["group:a"]');
    expect(e).toBeInstanceOf(PolicyShapeError);
    expect(e).toMatchObject({
      line: 2,
      column: 1,
      message: 'line 2, column 1: the policy must be a JSON object ({ … })',
    });
  });

  it('refuses nesting too deep to walk, instead of overflowing the stack', () => {
    const deep = `{"acls": [${'['.repeat(200_000)}${']'.repeat(200_000)}]}`;
    expect(errorOf(deep)).toMatchObject({
      name: 'HujsonSyntaxError',
      reason: expect.stringMatching(/^nested too deeply/),
    });
  });
});
