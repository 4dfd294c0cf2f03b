import { describe, expect, it } from 'vitest';
import { HujsonSyntaxError, parseHujson } from '../src/policy/hujson.js';

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

  it.each([500, 2_000, 10_000])('refuses %i levels below the root as nested too deeply, at the first opening too deep', (levels) => {
    const e = errorOf(nested(levels));
    expect(e.reason).toBe('nested too deeply: more than 500 levels of objects and lists');
    expect([e.line, e.column]).toEqual([2, column(levels)]);
  });
});
