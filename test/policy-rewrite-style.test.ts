// The rewriter writes groups the way the file already writes them: each case is a policy, a change
// to its groups, and the exact text that must come out (every byte outside the changed lists kept).
import { describe, expect, it } from 'vitest';
import { readPolicyGroups } from '../src/policy/groups.js';
import { rewritePolicyGroups } from '../src/policy/rewrite.js';
import type { TargetGroup } from '../src/domain/policy.js';

const targetOf = (text: string): TargetGroup[] =>
  readPolicyGroups(text).groups.map(({ name, members }) => ({ name, members: [...members] }));
/** The policy with `groups` appended to its own. */
const add = (text: string, ...groups: TargetGroup[]): string =>
  rewritePolicyGroups(text, [...targetOf(text), ...groups]);
/** The policy without group `name`. */
const drop = (text: string, name: string): string =>
  rewritePolicyGroups(
    text,
    targetOf(text).filter((g) => g.name !== name),
  );
/** The policy with the members of group `name` set. */
const set = (text: string, name: string, members: string[]): string =>
  rewritePolicyGroups(
    text,
    targetOf(text).map((g) => (g.name === name ? { ...g, members } : g)),
  );

describe('the rewriter keeps the file\u2019s style', () => {
  it('a new group follows a file that writes every list on one line', () => {
    expect(
      add('{\n\t"groups": {\n\t\t"group:a": ["a1@e.com", "a2@e.com"],\n\t\t"group:b": ["b1@e.com"],\n\t},\n}\n', {
        name: 'group:new',
        members: ['n1@e.com', 'n2@e.com', 'n3@e.com'],
      }),
    ).toBe(
      [
        '{',
        '\t"groups": {',
        '\t\t"group:a": ["a1@e.com", "a2@e.com"],',
        '\t\t"group:b": ["b1@e.com"],',
        '\t\t"group:new": ["n1@e.com", "n2@e.com", "n3@e.com"],',
        '\t},',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a new group of one member goes on one line, of two on lines, where the file does both', () => {
    expect(
      add(
        '{\n  "groups": {\n    "group:a": [\n      "a1@e.com",\n      "a2@e.com"\n    ],\n    "group:b": ' +
          '["b1@e.com"],\n    "group:c": ["c1@e.com"]\n  }\n}\n',
        { name: 'group:one', members: ['o@e.com'] },
        { name: 'group:two', members: ['t1@e.com', 't2@e.com'] },
      ),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": [',
        '      "a1@e.com",',
        '      "a2@e.com"',
        '    ],',
        '    "group:b": ["b1@e.com"],',
        '    "group:c": ["c1@e.com"],',
        '    "group:one": ["o@e.com"],',
        '    "group:two": [',
        '      "t1@e.com",',
        '      "t2@e.com"',
        '    ]',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('groups inserted into a policy without them take its indentation and trailing commas', () => {
    expect(
      add(
        '{\n    "acls": [\n        {"action": "accept", "src": ["*"], "dst": ["*:*"]},\n    ],\n    "tagOwners": ' +
          '{\n        "tag:x": ["autogroup:admin"],\n    },\n}\n',
        { name: 'group:new', members: ['n1@e.com', 'n2@e.com'] },
      ),
    ).toBe(
      [
        '{',
        '    "groups": {',
        '        "group:new": ["n1@e.com", "n2@e.com"],',
        '    },',
        '    "acls": [',
        '        {"action": "accept", "src": ["*"], "dst": ["*:*"]},',
        '    ],',
        '    "tagOwners": {',
        '        "tag:x": ["autogroup:admin"],',
        '    },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it("a new group copies the file's spacing inside one-line lists", () => {
    expect(
      add('{"groups": {\n  "group:a": [ "a1@e.com","a2@e.com" ],\n  "group:b": [ "b1@e.com","b2@e.com" ]\n}}\n', {
        name: 'group:new',
        members: ['n1@e.com', 'n2@e.com'],
      }),
    ).toBe(
      [
        '{"groups": {',
        '  "group:a": [ "a1@e.com","a2@e.com" ],',
        '  "group:b": [ "b1@e.com","b2@e.com" ],',
        '  "group:new": [ "n1@e.com","n2@e.com" ]',
        '}}',
        '',
      ].join('\n'),
    );
  });

  it('a new group lines its value up with the aligned ones, unless its name is too long for the column', () => {
    expect(
      add(
        '{\n\t"groups": {\n\t\t"group:a":    ["a1@e.com"],\n\t\t"group:bbbb": ["b1@e.com"],\n\t},\n}\n',
        { name: 'group:cc', members: ['c1@e.com'] },
        { name: 'group:a-very-long-name', members: ['d@e.com'] },
      ),
    ).toBe(
      [
        '{',
        '\t"groups": {',
        '\t\t"group:a":    ["a1@e.com"],',
        '\t\t"group:bbbb": ["b1@e.com"],',
        '\t\t"group:cc":   ["c1@e.com"],',
        '\t\t"group:a-very-long-name": ["d@e.com"],',
        '\t},',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a one-line policy without spaces after colons stays so', () => {
    expect(add('{"groups":{"group:a":["a1@e.com"]},"acls":[]}', { name: 'group:new', members: ['n@e.com'] })).toBe(
      '{"groups":{"group:a":["a1@e.com"], "group:new":["n@e.com"]},"acls":[]}',
    );
  });

  it('CRLF files get CRLF lines, a description as // lines above the group', () => {
    expect(
      add('{\r\n  "groups": {\r\n    "group:a": [\r\n      "a1@e.com",\r\n    ],\r\n  },\r\n}\r\n', {
        name: 'group:new',
        members: ['n1@e.com', 'n2@e.com'],
        description: 'Line one\nline two',
      }),
    ).toBe(
      [
        '{\r',
        '  "groups": {\r',
        '    "group:a": [\r',
        '      "a1@e.com",\r',
        '    ],\r',
        '    // Line one\r',
        '    // line two\r',
        '    "group:new": [\r',
        '      "n1@e.com",\r',
        '      "n2@e.com",\r',
        '    ],\r',
        '  },\r',
        '}\r',
        '',
      ].join('\n'),
    );
  });

  it(
    'a one-line policy ending in a newline stays one line; a description becomes a block comment that cannot close ' +
      'early',
    () => {
      expect(
        add('{"groups": {"group:a": ["a1@e.com"]}, "acls": []}\n', {
          name: 'group:new',
          members: ['n1@e.com', 'n2@e.com'],
          description: 'new */ team',
        }),
      ).toBe(
        [
          '{"groups": {"group:a": ["a1@e.com"], /* new * / team */ "group:new": ["n1@e.com", "n2@e.com"]}, "acls": []}',
          '',
        ].join('\n'),
      );
    },
  );

  it('a one-line list keeps its own padding, separators and trailing comma', () => {
    expect(
      set(
        '{\n  "groups": {\n    "group:a": [ "a1@e.com","a2@e.com", ],\n    "group:b": ["b1@e.com", "b2@e.com"],\n ' +
          ' },\n}\n',
        'group:a',
        ['a1@e.com', 'a2@e.com', 'a3@e.com'],
      ),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": [ "a1@e.com","a2@e.com","a3@e.com", ],',
        '    "group:b": ["b1@e.com", "b2@e.com"],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a list on lines without a trailing comma gets none', () => {
    expect(
      set('{\n\t"groups": {\n\t\t"group:a": [\n\t\t\t"a1@e.com",\n\t\t\t"a2@e.com"\n\t\t]\n\t}\n}\n', 'group:a', [
        'a2@e.com',
        'a3@e.com',
      ]),
    ).toBe(
      ['{', '\t"groups": {', '\t\t"group:a": [', '\t\t\t"a2@e.com",', '\t\t\t"a3@e.com"', '\t\t]', '\t}', '}', ''].join(
        '\n',
      ),
    );
  });

  it("a list emptied loses its members' comments with them", () => {
    expect(
      set(
        '{\n  "groups": {\n    "group:a": [\n      // nobody yet\n      "a1@e.com",\n    ],\n  },\n}\n',
        'group:a',
        [],
      ),
    ).toBe(['{', '  "groups": {', '    "group:a": [],', '  },', '}', ''].join('\n'));
  });

  it('a list emptied is []', () => {
    expect(set('{\n  "groups": {\n    "group:a": [\n      "a1@e.com",\n    ],\n  },\n}\n', 'group:a', [])).toBe(
      ['{', '  "groups": {', '    "group:a": [],', '  },', '}', ''].join('\n'),
    );
  });

  it('a one-line list emptied is [] and the policy stays on one line', () => {
    expect(set('{"groups": {"group:a": [/* x */ "a1@e.com"]}}\n', 'group:a', [])).toBe(
      ['{"groups": {"group:a": []}}', ''].join('\n'),
    );
  });

  it('a list shrinking to one member stays on lines when a kept member has a comment', () => {
    expect(
      set(
        '{\n  "groups": {\n    "group:a": [\n      "a1@e.com", // the lead\n      "a2@e.com",\n    ],\n    ' +
          '"group:b": ["b1@e.com"],\n    "group:c": ["c1@e.com"],\n  },\n}\n',
        'group:a',
        ['a1@e.com'],
      ),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": [',
        '      "a1@e.com", // the lead',
        '    ],',
        '    "group:b": ["b1@e.com"],',
        '    "group:c": ["c1@e.com"],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a list shrinking to one member goes onto one line where the file writes such lists so', () => {
    expect(
      set(
        '{\n  "groups": {\n    "group:a": [\n      "a1@e.com",\n      "a2@e.com",\n    ],\n    "group:b": ' +
          '["b1@e.com"],\n    "group:c": ["c1@e.com"],\n  },\n}\n',
        'group:a',
        ['a1@e.com'],
      ),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": ["a1@e.com"],',
        '    "group:b": ["b1@e.com"],',
        '    "group:c": ["c1@e.com"],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a login listed twice is kept once, with the comment around it', () => {
    expect(
      set('{"groups": {"group:a": ["a@e.com", "b@e.com", "a@e.com" /* again */]}}\n', 'group:a', [
        'b@e.com',
        'a@e.com',
      ]),
    ).toBe(['{"groups": {"group:a": ["b@e.com", "a@e.com" /* again */]}}', ''].join('\n'));
  });

  it('a login respelled keeps its comment; new members follow', () => {
    expect(
      set('{"groups": {"group:a": ["Alice@E.com" /* lead */, "bob@e.com"]}}\n', 'group:a', [
        'alice@e.com',
        'bob@e.com',
        'carol@e.com',
      ]),
    ).toBe(['{"groups": {"group:a": ["alice@e.com" /* lead */, "bob@e.com", "carol@e.com"]}}', ''].join('\n'));
  });

  it('a one-line list growing to two members goes onto lines where the file writes such lists so', () => {
    expect(
      set(
        '{\n  "groups": {\n    "group:a": ["a1@e.com"],\n    "group:b": [\n      "b1@e.com",\n      "b2@e.com",\n ' +
          '   ],\n  },\n}\n',
        'group:a',
        ['a1@e.com', 'a2@e.com'],
      ),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": [',
        '      "a1@e.com",',
        '      "a2@e.com",',
        '    ],',
        '    "group:b": [',
        '      "b1@e.com",',
        '      "b2@e.com",',
        '    ],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });
});

describe('the rewriter keeps comments where they belong', () => {
  it('a deleted group takes its own comment with it and leaves the heading above the blank line', () => {
    expect(
      drop(
        '{\n  "groups": {\n    // Teams\n\n    // The A team.\n    "group:a": ["a@e.com"],\n    "group:b": ' +
          '["b@e.com"],\n  },\n}\n',
        'group:a',
      ),
    ).toBe(['{', '  "groups": {', '    // Teams', '', '    "group:b": ["b@e.com"],', '  },', '}', ''].join('\n'));
  });

  it('deleting the last group keeps a note that stood apart above it', () => {
    expect(
      drop(
        '{\n  "groups": {\n    "group:a": ["a@e.com"],\n\n    // Notes for later.\n\n    "group:b": ' +
          '["b@e.com"],\n  },\n}\n',
        'group:b',
      ),
    ).toBe(
      ['{', '  "groups": {', '    "group:a": ["a@e.com"],', '', '    // Notes for later.', '', '  },', '}', ''].join(
        '\n',
      ),
    );
  });

  it('a one-line groups object of a multi-line policy goes onto lines with its comments', () => {
    expect(
      set(
        '{\n  "groups": {/* open */ "group:a": ["a@e.com"] /* after a */, "group:b": ["b@e.com"] /* close */},\n  ' +
          '"acls": [],\n}\n',
        'group:a',
        ['a@e.com', 'c@e.com'],
      ),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    /* open */ "group:a": ["a@e.com", "c@e.com"] /* after a */,',
        '    "group:b": ["b@e.com"],',
        '    /* close */',
        '  },',
        '  "acls": [],',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a one-line list keeps the comments around its members', () => {
    expect(
      set('{"groups": {"group:a": ["a@e.com" /* A */, /* B */ "b@e.com"]}}\n', 'group:a', [
        'a@e.com',
        'b@e.com',
        'c@e.com',
      ]),
    ).toBe(['{"groups": {"group:a": ["a@e.com" /* A */, /* B */ "b@e.com", "c@e.com"]}}', ''].join('\n'));
  });

  it('a one-line list with comments growing onto lines keeps them', () => {
    expect(
      set(
        '{\n  "groups": {\n    "group:a": [/* first */ "a@e.com" /* A */],\n    "group:b": [\n      "b1@e.com",\n ' +
          '     "b2@e.com",\n    ],\n  },\n}\n',
        'group:a',
        ['a@e.com', 'n@e.com'],
      ),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": [',
        '      /* first */ "a@e.com",',
        '      "n@e.com",',
        '      /* A */',
        '    ],',
        '    "group:b": [',
        '      "b1@e.com",',
        '      "b2@e.com",',
        '    ],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it("a member's comment goes with it, and no trailing comma appears where there was none", () => {
    expect(
      set(
        '{\n  "groups": {\n    "group:a": [\n      "a@e.com",\n      "b@e.com" // last one\n    ],\n  },\n}\n',
        'group:a',
        ['a@e.com'],
      ),
    ).toBe(['{', '  "groups": {', '    "group:a": [', '      "a@e.com"', '    ],', '  },', '}', ''].join('\n'));
  });

  it("a member's comment directly above it goes with it", () => {
    expect(
      set(
        '{\n  "groups": {\n    "group:a": [\n      // Leads\n      "a@e.com",\n\n      // Others\n      ' +
          '"b@e.com",\n      "c@e.com",\n    ],\n  },\n}\n',
        'group:a',
        ['a@e.com', 'c@e.com'],
      ),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": [',
        '      // Leads',
        '      "a@e.com",',
        '      "c@e.com",',
        '    ],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a one-line list growing onto lines in a CRLF file gets CRLF lines', () => {
    expect(
      set(
        '{\r\n  "groups": {\r\n    "group:a": ["a@e.com"],\r\n    "group:b": [\r\n      "b1@e.com",\r\n      ' +
          '"b2@e.com",\r\n    ],\r\n  },\r\n}\r\n',
        'group:a',
        ['a@e.com', 'n@e.com'],
      ),
    ).toBe(
      [
        '{\r',
        '  "groups": {\r',
        '    "group:a": [\r',
        '      "a@e.com",\r',
        '      "n@e.com",\r',
        '    ],\r',
        '    "group:b": [\r',
        '      "b1@e.com",\r',
        '      "b2@e.com",\r',
        '    ],\r',
        '  },\r',
        '}\r',
        '',
      ].join('\n'),
    );
  });

  it('a comment between a member and its comma moves with the member', () => {
    expect(
      set(
        '{\n  "groups": {\n    "group:a": [\n      "a@e.com" /* why */,\n      "b@e.com",\n    ],\n  },\n}\n',
        'group:a',
        ['b@e.com', 'a@e.com'],
      ),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": [',
        '      "b@e.com",',
        '      "a@e.com" /* why */,',
        '    ],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a list emptied keeps a comment that belongs to no member', () => {
    expect(
      set('{\n  "groups": {\n    "group:a": [\n      "a@e.com",\n      // keep me\n    ],\n  },\n}\n', 'group:a', []),
    ).toBe(['{', '  "groups": {', '    "group:a": [', '      // keep me', '    ],', '  },', '}', ''].join('\n'));
  });

  it('a one-line list emptied keeps a comment before its bracket', () => {
    expect(set('{\n  "groups": {\n    "group:a": ["a@e.com" /* keep */],\n  },\n}\n', 'group:a', [])).toBe(
      ['{', '  "groups": {', '    "group:a": [ /* keep */],', '  },', '}', ''].join('\n'),
    );
  });
});

describe('the rewriter reads the file\u2019s habits', () => {
  const one: TargetGroup = { name: 'group:new', members: ['n1@e.com'] };
  const two: TargetGroup = { name: 'group:new', members: ['n1@e.com', 'n2@e.com'] };

  it('members of a new list are indented as the file indents members, however deep', () => {
    expect(
      add('{\n  "groups": {\n    "group:a": [\n          "a1@e.com",\n          "a2@e.com",\n    ],\n  },\n}\n', two),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": [',
        '          "a1@e.com",',
        '          "a2@e.com",',
        '    ],',
        '    "group:new": [',
        '          "n1@e.com",',
        '          "n2@e.com",',
        '    ],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('groups go one step inside the "groups" key, wherever that key is indented', () => {
    expect(add('{\n  "acls": [],\n    "groups": {},\n}\n', two)).toBe(
      ['{', '  "acls": [],', '    "groups": {', '      "group:new": ["n1@e.com", "n2@e.com"],', '    },', '}', ''].join(
        '\n',
      ),
    );
  });

  it('one-member lists written both ways: a new one goes on one line', () => {
    expect(
      add('{\n  "groups": {\n    "group:a": ["a@e.com"],\n    "group:b": [\n      "b@e.com",\n    ],\n  },\n}\n', one),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": ["a@e.com"],',
        '    "group:b": [',
        '      "b@e.com",',
        '    ],',
        '    "group:new": ["n1@e.com"],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('one padded value is not an aligned column', () => {
    expect(add('{\n\t"groups": {\n\t\t"group:a":   ["a1@e.com"],\n\t\t"group:bb": ["b1@e.com"],\n\t},\n}\n', one)).toBe(
      [
        '{',
        '\t"groups": {',
        '\t\t"group:a":   ["a1@e.com"],',
        '\t\t"group:bb": ["b1@e.com"],',
        '\t\t"group:new": ["n1@e.com"],',
        '\t},',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('padded values at different columns are not an aligned column', () => {
    expect(
      add('{\n\t"groups": {\n\t\t"group:a":   ["a1@e.com"],\n\t\t"group:bb":    ["b1@e.com"],\n\t},\n}\n', one),
    ).toBe(
      [
        '{',
        '\t"groups": {',
        '\t\t"group:a":   ["a1@e.com"],',
        '\t\t"group:bb":    ["b1@e.com"],',
        '\t\t"group:new": ["n1@e.com"],',
        '\t},',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a file that writes both ":" and ": " gets ": "', () => {
    expect(add('{\n  "groups": {\n    "group:a":["a@e.com"],\n    "group:b": ["b@e.com"],\n  },\n}\n', one)).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a":["a@e.com"],',
        '    "group:b": ["b@e.com"],',
        '    "group:new": ["n1@e.com"],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('the separator of one-line lists is copied, two spaces included', () => {
    expect(add('{\n  "groups": {\n    "group:a": ["a1@e.com",  "a2@e.com"],\n  },\n}\n', two)).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": ["a1@e.com",  "a2@e.com"],',
        '    "group:new": ["n1@e.com",  "n2@e.com"],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('lists on lines get a trailing comma as most of the file\u2019s do', () => {
    expect(
      add(
        '{\n  "groups": {\n    "group:a": [\n      "a1@e.com",\n      "a2@e.com"\n    ],\n    "group:b": [\n      ' +
          '"b1@e.com",\n      "b2@e.com"\n    ],\n    "group:c": [\n      "c1@e.com",\n      "c2@e.com",\n    ],\n  ' +
          '},\n}\n',
        two,
      ),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": [',
        '      "a1@e.com",',
        '      "a2@e.com"',
        '    ],',
        '    "group:b": [',
        '      "b1@e.com",',
        '      "b2@e.com"',
        '    ],',
        '    "group:c": [',
        '      "c1@e.com",',
        '      "c2@e.com",',
        '    ],',
        '    "group:new": [',
        '      "n1@e.com",',
        '      "n2@e.com"',
        '    ],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('one-line lists get a trailing comma as most of the file\u2019s do', () => {
    expect(
      add('{\n  "groups": {\n    "group:a": ["a1@e.com", "a2@e.com",],\n    "group:b": ["b1@e.com",],\n  },\n}\n', two),
    ).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": ["a1@e.com", "a2@e.com",],',
        '    "group:b": ["b1@e.com",],',
        '    "group:new": ["n1@e.com", "n2@e.com",],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('the padding inside one-line lists is copied', () => {
    expect(add('{\n  "groups": {\n    "group:a": [ "a1@e.com", "a2@e.com" ],\n  },\n}\n', two)).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": [ "a1@e.com", "a2@e.com" ],',
        '    "group:new": [ "n1@e.com", "n2@e.com" ],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('groups inserted into a tab-indented policy without trailing commas get none', () => {
    expect(add('{\n\t"acls": [\n\t\t{"action": "accept", "src": ["*"], "dst": ["*:*"]}\n\t]\n}\n', two)).toBe(
      [
        '{',
        '\t"groups": {',
        '\t\t"group:new": ["n1@e.com", "n2@e.com"]',
        '\t},',
        '\t"acls": [',
        '\t\t{"action": "accept", "src": ["*"], "dst": ["*:*"]}',
        '\t]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('empty lists say nothing of how the file writes lists', () => {
    expect(add('{\n  "groups": {\n    "group:a": [],\n    "group:b": [],\n  },\n}\n', two)).toBe(
      [
        '{',
        '  "groups": {',
        '    "group:a": [],',
        '    "group:b": [],',
        '    "group:new": ["n1@e.com", "n2@e.com"],',
        '  },',
        '}',
        '',
      ].join('\n'),
    );
  });
});
