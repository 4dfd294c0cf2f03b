import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { HujsonSyntaxError, parseHujson } from '../src/policy/hujson.js';
import { PolicyShapeError, isScimGroup, readPolicyGroups } from '../src/policy/groups.js';

const fixture = (name: string): string => readFileSync(new URL(`fixtures/policy/${name}`, import.meta.url), 'utf8');
const crlf = (text: string): string => text.replaceAll('\n', '\r\n');

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('readPolicyGroups', () => {
  it('reads names, members and leading comments, and ignores "groups" in comments and nested objects', () => {
    expect(readPolicyGroups(fixture('commented.hujson'))).toEqual({
      present: true,
      groups: [
        {
          name: 'group:eng',
          members: ['alice@example.com', 'bob@example.com', 'carol@example.com'],
          comment: 'Engineers.\nEveryone who ships code.',
        },
        { name: 'group:sre', members: ['alice@example.com', 'dave@example.com'] },
        {
          name: 'group:finance',
          members: ['erin@example.com', 'frank@example.com'],
          comment: 'Finance team.\nTwo people.',
        },
        { name: 'group:empty', members: [] },
      ],
    });
  });

  it('reads the same groups from CRLF, tab-free and newline-less variants', () => {
    const text = fixture('spaces-last.hujson');
    const expected = {
      present: true,
      groups: [
        { name: 'group:ops', members: ['ops1@example.com', 'ops2@example.com'] },
        { name: 'group:dev', members: ['dev1@example.com'] },
      ],
    };
    expect(readPolicyGroups(text)).toEqual(expected);
    expect(readPolicyGroups(crlf(text))).toEqual(expected);
    expect(readPolicyGroups(text.trimEnd())).toEqual(expected);
    expect(readPolicyGroups(crlf(text).trimEnd())).toEqual(expected);
  });

  it('says present:false when only comments and nested objects mention groups', () => {
    expect(readPolicyGroups(fixture('template-no-groups.hujson'))).toEqual({ present: false, groups: [] });
  });

  it('says present:true for an empty groups object', () => {
    expect(readPolicyGroups('{"acls": [], "groups": {}}')).toEqual({ present: true, groups: [] });
  });

  it('does not take a trailing comment of the line above, or the opening line, as a group comment', () => {
    const text =
      '{\n  "groups": { // all groups\n    "group:a": ["x@example.com"], // about a\n    "group:b": [],\n  },\n}\n';
    expect(readPolicyGroups(text).groups).toEqual([
      { name: 'group:a', members: ['x@example.com'] },
      { name: 'group:b', members: [] },
    ]);
  });

  it('reads a block comment on the key line and a comment in a CRLF file without the carriage return', () => {
    const text = crlf(
      '{\n\t"groups": {\n\t\t// Ops, on call\n\t\t"group:ops": [],\n\t\t/* Devs */ "group:dev": [],\n\t},\n}\n',
    );
    expect(readPolicyGroups(text).groups.map((g) => g.comment)).toEqual(['Ops, on call', 'Devs']);
  });

  it('reads escaped names and logins as their values', () => {
    const text = '{"groups": {"group:a\\"b": ["x\\u0040example.com"]}}';
    expect(readPolicyGroups(text).groups).toEqual([{ name: 'group:a"b', members: ['x@example.com'] }]);
  });
});

describe('readPolicyGroups errors', () => {
  it('refuses invalid HuJSON with a line and column', () => {
    const error = thrown(() =>
      readPolicyGroups('{\n\t"groups": {\n\t\t"group:a": ["x@example.com"]\n\t\t"group:b": [],\n\t},\n}\n'),
    );
    expect(error).toBeInstanceOf(HujsonSyntaxError);
    expect(error).toMatchObject({ line: 4, column: 3 });
  });

  it('refuses a top level that is not an object', () => {
    const error = thrown(() => readPolicyGroups('// policy\n["group:a"]\n'));
    expect(error).toBeInstanceOf(PolicyShapeError);
    expect(error).toMatchObject({ line: 2, column: 1 });
    expect(String(error)).toMatch(/line 2, column 1: the policy must be a JSON object .*found a list/);
  });

  it('refuses groups that are not an object', () => {
    const error = thrown(() => readPolicyGroups('{\n  "groups": ["group:a"]\n}'));
    expect(error).toMatchObject({ name: 'PolicyShapeError', line: 2, column: 13 });
    expect(String(error)).toMatch(/"groups" must be an object of group names to lists of logins, found a list/);
  });

  it('refuses a group that is not a list, naming the group', () => {
    const text = '{\n  "groups": {\n    "group:ok": [],\n    "group:eng": "alice@example.com",\n  },\n}\n';
    expect((thrown(() => readPolicyGroups(text)) as Error).message).toBe(
      'line 4, column 18: groups["group:eng"] must be a list of logins, found the string "alice@example.com"',
    );
  });

  it('refuses a member that is not a string, naming its index', () => {
    const text =
      '{\n  "groups": {\n    "group:eng": [\n      "alice@example.com",\n      {"login": "bob"},\n    ],\n  },\n}\n';
    expect((thrown(() => readPolicyGroups(text)) as Error).message).toBe(
      'line 5, column 7: groups["group:eng"][1] must be a login (a string), found an object',
    );
  });
});

describe('HuJSON line comments (fix in hujson.ts)', () => {
  it('refuses a final line comment ended by a lone carriage return', () => {
    const error = thrown(() => parseHujson('{}\r\n// end\r'));
    expect(error).toMatchObject({ name: 'HujsonSyntaxError', line: 2, column: 1 });
    expect(String(error)).toMatch(/must end with a newline/);
  });

  it('refuses a line comment that a lone carriage return ends inside the document', () => {
    const error = thrown(() => parseHujson('{\n  // note\r  "a": 1\n}\n'));
    expect(error).toMatchObject({ name: 'HujsonSyntaxError', line: 2, column: 3 });
    expect(String(error)).toMatch(/lone carriage return/);
  });

  it('accepts line comments ended by CRLF anywhere, including the last line', () => {
    expect(parseHujson('// head\r\n{\r\n  // a\r\n  "a": 1\r\n}\r\n// tail\r\n').root.type).toBe('object');
  });
});

describe('isScimGroup', () => {
  it('tells SCIM-synced groups from groups defined in the file', () => {
    expect(isScimGroup('group:eng@example.com')).toBe(true);
    expect(isScimGroup('group:eng')).toBe(false);
    expect(isScimGroup('group:@example.com')).toBe(false);
    expect(isScimGroup('autogroup:member')).toBe(false);
    expect(isScimGroup('group:eng@example.com@more')).toBe(false);
    expect(isScimGroup('my-group:eng@example.com')).toBe(false);
  });
});

describe('what a malformed group is said to be', () => {
  const message = (value: string): string =>
    (thrown(() => readPolicyGroups(`{"groups": {"group:a": ${value}}}`)) as Error).message;

  it('names numbers, booleans, null and objects as such', () => {
    expect(message('5')).toBe('line 1, column 24: groups["group:a"] must be a list of logins, found the number 5');
    expect(message('true')).toBe('line 1, column 24: groups["group:a"] must be a list of logins, found true');
    expect(message('null')).toBe('line 1, column 24: groups["group:a"] must be a list of logins, found null');
    expect(message('[false]')).toBe('line 1, column 25: groups["group:a"][0] must be a login (a string), found false');
  });

  it('quotes a long string only in part', () => {
    expect(message(JSON.stringify('x'.repeat(40)))).toMatch(/found the string "x{40}"$/);
    expect(message(JSON.stringify('y'.repeat(41)))).toMatch(/found the string "y{40}…"$/);
  });
});

describe('the comment above a group', () => {
  it('is its text: markers, continuation stars and blank edges removed', () => {
    const text =
      '{"groups": {\n  /* First line\n   * second line\n   *third\n   */\n  "group:a": [],\n  //\n  // only ' +
      'this\n  //\n  "group:b": [],\n  /**/\n  "group:c": [],\n}}\n';
    expect(readPolicyGroups(text).groups).toEqual([
      { name: 'group:a', members: [], comment: 'First line\nsecond line\n*third' },
      { name: 'group:b', members: [], comment: 'only this' },
      { name: 'group:c', members: [] },
    ]);
  });
});

const corpus = new URL('../../shared/corpus/policies/', import.meta.url);

const corpusPresent = existsSync(new URL('SOURCES.tsv', corpus));

describe.skipIf(!corpusPresent)('readPolicyGroups over the policy corpus', () => {
  // vitest runs a skipped describe's body too (to collect its tests), so it must read nothing then.
  const validity = new Map(
    (corpusPresent ? readFileSync(new URL('SOURCES.tsv', corpus), 'utf8') : '')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'))
      .map((cells) => [cells[0] ?? '', cells[4] === 'yes'] as const),
  );
  const files = corpusPresent ? readdirSync(corpus).filter((name) => name.endsWith('.hujson')) : [];

  it('knows whether each file is valid', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect(validity.has(name), name).toBe(true);
  });

  it.each(files)('%s', (name) => {
    const text = readFileSync(new URL(name, corpus), 'utf8');
    if (validity.get(name)) {
      // jsonc-parser's plain parse is the oracle: same names and members, in the same order.
      const plain = parse(text, [], { allowTrailingComma: true }) as { groups?: Record<string, string[]> };
      const read = readPolicyGroups(text);
      expect(read.present).toBe(plain.groups !== undefined);
      expect(read.groups.map(({ name, members }) => [name, members])).toEqual(Object.entries(plain.groups ?? {}));
    } else {
      const error = thrown(() => readPolicyGroups(text));
      expect(error).toBeInstanceOf(HujsonSyntaxError);
      expect((error as HujsonSyntaxError).line).toBeGreaterThan(0);
      expect(String(error)).toMatch(/^HujsonSyntaxError: line \d+, column \d+: /);
    }
  });
});
