import { describe, expect, it } from 'vitest';
import { HujsonSyntaxError, MAX_NESTING, parseHujson } from '../src/policy/hujson.js';

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

describe('parseHujson on deep nesting', () => {
  const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const TOO_DEEP = `nested too deeply: more than ${MAX_NESTING} levels of [ and {`;

  it(`reads ${MAX_NESTING} levels of brackets`, () => {
    expect(parseHujson(`{"a": ${nested(MAX_NESTING - 1)}}`).root.type).toBe('object');
  });

  it('refuses one level more at the bracket that opens it', () => {
    const e = errorOf(`{\n"a": ${nested(MAX_NESTING)}}`);
    expect([e.line, e.column, e.reason]).toEqual([2, 5 + MAX_NESTING, TOO_DEEP]);
  });

  it('refuses nesting deep enough to overflow the parser the same way, instead of crashing', () => {
    const e = errorOf(`{\n"a": ${nested(300_000)}}`);
    expect([e.line, e.column, e.reason]).toEqual([2, 5 + MAX_NESTING, TOO_DEEP]);
  });

  it('counts only the containers still open when it finds nesting that overflowed the parser', () => {
    const before = '{"x": [{}, [], {"y": []}], "a": ';
    const e = errorOf(`${before}${nested(300_000)}}`);
    expect(e.column).toBe(before.length + MAX_NESTING);
  });

  it('reports the first container too deep in the text when several are', () => {
    const e = errorOf(`{"a": [{"b": ${nested(MAX_NESTING)}}, ${nested(MAX_NESTING)}]}`);
    expect(e.column).toBe(`{"a": [{"b": `.length + MAX_NESTING - 2);
  });
});
