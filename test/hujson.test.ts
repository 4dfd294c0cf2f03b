import { describe, expect, it } from 'vitest';
import { HujsonSyntaxError, MAX_DEPTH, parseHujson } from '../src/policy/hujson.js';

function errorOf(text: string): HujsonSyntaxError {
  try {
    parseHujson(text);
  } catch (e) {
    if (e instanceof HujsonSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a syntax error');
}

describe('parseHujson', () => {
  it('accepts comments, one trailing comma, CRLF and a final newline-less block comment', () => {
    const doc = parseHujson('// head\r\n{\r\n\t"a": [1, 2,], /* x */\r\n}\r\n/* tail */');
    expect(doc.root.type).toBe('object');
  });
  it('refuses a duplicate key at the second key', () => {
    const e = errorOf('{\n  "a": 1,\n  "b": {"c": 1, "c": 2}\n}\n');
    expect([e.line, e.column, e.reason]).toEqual([3, 17, 'duplicate key "c"']);
  });
  it('refuses a final line comment without a newline', () => {
    const e = errorOf('{}\n// end');
    expect([e.line, e.column]).toEqual([2, 1]);
    expect(e.message).toMatch(/must end with a newline/);
  });
  it('refuses two trailing commas with a position', () => {
    const e = errorOf('{\n  "a": [1,,],\n}');
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/^line 2, column \d+: expected a value/);
  });
  it('refuses a missing comma and names what it found', () => {
    const e = errorOf('{\n  "a": 1\n  "b": 2\n}');
    expect(e.line).toBe(3);
    expect(e.reason).toMatch(/expected ',' .*found "\\"b\\""/);
  });
  it('treats // inside strings as text', () => {
    const doc = parseHujson('{"u": "https://x//y", "c": "/* no */"}');
    expect(doc.root.children).toHaveLength(2);
  });
});

describe('deep nesting', () => {
  // `{"a": ` and `[` alternately, `levels` deep, then closed: a valid document.
  const nested = (levels: number): string => {
    const opens = Array.from({ length: levels }, (_, i) => (i % 2 === 0 ? '{"a": ' : '['));
    const closes = opens.map((open) => (open === '[' ? ']' : '}')).reverse();
    return `{\n  "acls": ${opens.join('')}1${closes.join('')}\n}\n`;
  };
  // The root object is level 1, so `acls` holds levels 2 and deeper: the 500th of its openings is level 501.
  const column = (levels: number): number => {
    const opens = Array.from({ length: levels }, (_, i) => (i % 2 === 0 ? '{"a": ' : '['));
    return '  "acls": '.length + opens.slice(0, 499).join('').length + 1;
  };

  it('accepts 500 levels', () => {
    expect(parseHujson(nested(499)).root.type).toBe('object');
  });

  it.each([500, 2_000, 10_000])(
    'refuses %i levels below the root as nested too deeply, at the first opening too deep',
    (levels) => {
      const e = errorOf(nested(levels));
      expect(e.reason).toBe('nested too deeply: more than 500 levels of objects and lists');
      expect([e.line, e.column]).toEqual([2, column(levels)]);
    },
  );
});

describe('deep nesting, where the error points', () => {
  const brackets = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const TOO_DEEP = `nested too deeply: more than ${MAX_DEPTH} levels of objects and lists`;

  it(
    'refuses nesting deep enough to overflow the parser at the bracket one level too deep, instead of ' + 'crashing',
    () => {
      const e = errorOf(`{\n"a": ${brackets(300_000)}}`);
      expect([e.line, e.column, e.reason]).toEqual([2, 5 + MAX_DEPTH, TOO_DEEP]);
    },
  );

  it('counts only the containers still open when it finds nesting that overflowed the parser', () => {
    const before = '{"x": [{}, [], {"y": []}], "a": ';
    const e = errorOf(`${before}${brackets(300_000)}}`);
    expect(e.column).toBe(before.length + MAX_DEPTH);
  });

  it('reports the first container too deep in the text when several are', () => {
    const e = errorOf(`{"a": [{"b": ${brackets(MAX_DEPTH)}}, ${brackets(MAX_DEPTH)}]}`);
    expect(e.column).toBe(`{"a": [{"b": `.length + MAX_DEPTH - 2);
  });
});

describe('what each kind of broken HuJSON is called, and where', () => {
  it.each([
    ['{1: 2}', 'line 1, column 2: expected a double-quoted key, found "1"'],
    ['{"a": 1', "line 1, column 8: expected '}' to close the object, found the end of the file"],
    ['[1', "line 1, column 3: expected ']' to close the array, found the end of the file"],
    ['{"a": 1e}', 'line 1, column 7: unterminated number, found "1e"'],
    ['{"a": 1, }', 'ok'],
    ['{"a": [1, ],}', 'ok'],
    ['{"a": @}', 'line 1, column 7: invalid character, found "@"'],
    ['{"a": 01}', 'line 1, column 8: expected \',\' between values, found "1"'],
    ['{a: 1}', 'line 1, column 2: invalid character, found "a"'],
    ['{"a" 1}', 'line 1, column 6: expected \':\' after the key, found "1"'],
    ['{"a": 1 "b": 2}', 'line 1, column 9: expected \',\' between values, found "\\"b\\""'],
    ['{"a": [1, 2}', 'line 1, column 12: expected \',\' between values, found "}"'],
    ['{"a": {"b": 1]', 'line 1, column 14: expected \',\' between values, found "]"'],
    ['{} {}', 'line 1, column 4: unexpected text after the end of the document, found "{"'],
    ['{"a": 1} /* end', 'line 1, column 10: unterminated /* comment, found "/* end"'],
    ['{"a": "x', 'line 1, column 7: unterminated string, found "\\"x"'],
    ['{"a": 1.}', 'line 1, column 7: unterminated number, found "1."'],
    ['{"a": "\\u12"}', 'line 1, column 7: invalid \\u escape in string, found "\\"\\\\u12\\""'],
    ['{"a": "\\q"}', 'line 1, column 7: invalid escape in string, found "\\"\\\\q\\""'],
    ['{"a": "x\ty"}', 'line 1, column 7: invalid control character in string, found "\\"x\\ty\\""'],
    ['', 'line 1, column 1: expected a value, found the end of the file'],
    ['   ', 'line 1, column 4: expected a value, found the end of the file'],
    ['// only a comment\n', 'line 2, column 1: expected a value, found the end of the file'],
    ['{"a": -}', 'line 1, column 7: invalid character, found "-"'],
    ['{"a": [1,,2]}', 'line 1, column 10: expected a value, found ","'],
    ['{"a": 1}\r// c\rx', 'line 1, column 15: invalid character, found "x"'],
    ['{"a": [{"b": 1, "b": 2}]}', 'line 1, column 17: duplicate key "b"'],
    ['[{"x": 1}, {"x": 2, "x": 3}]', 'line 1, column 21: duplicate key "x"'],
    ['{"a": 1}\n// tail', 'line 2, column 1: a // comment at the end of the file must end with a newline'],
    ['{"a": 1}\n// tail\r', 'line 2, column 1: a // comment at the end of the file must end with a newline'],
    ['{\r"a": 1 // c\r}', 'line 1, column 10: a // comment must end with a newline (\\n), not a lone carriage return'],
  ])('%j: %s', (text, message) => {
    if (message === 'ok') expect(parseHujson(text).root).toBeDefined();
    else expect(errorOf(text).message).toBe(message);
  });
});
