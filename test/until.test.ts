// `until:` and `--now` values: what each accepted spelling means, and the message for each mistake.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PARSE_OPTIONS } from '../src/config/yaml-source.js';
import { endsWithin, hasEnded, parseNow, parseUntil, TimeValueError } from '../src/config/until.js';

const utc = (text: string): number => Date.parse(text);

function refusal(value: unknown, parser = parseUntil): string {
  try {
    parser(value);
  } catch (error) {
    expect(error).toBeInstanceOf(TimeValueError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

describe('dates', () => {
  it('reads an until date as the last millisecond of that day, UTC', () => {
    expect(parseUntil('2026-12-31')).toEqual({
      epochMs: utc('2026-12-31T23:59:59.999Z'),
      kind: 'date',
      display: '2026-12-31',
    });
  });

  it('reads a --now date as the first millisecond of that day, so what ended the day before has ended', () => {
    const now = parseNow('2027-01-01');
    expect(now).toEqual({ epochMs: utc('2027-01-01T00:00:00Z'), kind: 'date', display: '2027-01-01' });
    expect(hasEnded(parseUntil('2026-12-31'), now.epochMs)).toBe(true);
    expect(hasEnded(parseUntil('2027-01-01'), now.epochMs)).toBe(false);
  });

  it('reads a YAML date the same quoted or not, with the options the loader parses with', () => {
    const doc = parse('plain: 2026-12-31\nquoted: "2026-12-31"\nsingle: \'2026-12-31\'\n', PARSE_OPTIONS) as Record<
      string,
      unknown
    >;
    expect(doc.plain).toBe('2026-12-31');
    for (const value of Object.values(doc)) expect(parseUntil(value).epochMs).toBe(utc('2026-12-31T23:59:59.999Z'));
  });

  it('accepts 29 February in a leap year, including 2000, and the last day of each month', () => {
    expect(parseUntil('2028-02-29').display).toBe('2028-02-29');
    expect(parseUntil('2000-02-29').epochMs).toBe(utc('2000-02-29T23:59:59.999Z'));
    for (const last of ['2026-01-31', '2026-04-30', '2026-06-30', '2026-09-30', '2026-11-30', '2026-12-31'])
      expect(parseUntil(last).display).toBe(last);
  });

  it('refuses impossible dates, saying why', () => {
    expect(refusal('2026-02-30')).toBe('"2026-02-30" is not a real date: February 2026 has 28 days');
    expect(refusal('2025-02-29')).toBe(
      '"2025-02-29" is not a real date: 2025 is not a leap year, so February has 28 days',
    );
    expect(refusal('2026-04-31')).toBe('"2026-04-31" is not a real date: April 2026 has 30 days');
    expect(refusal('2026-13-01')).toBe('"2026-13-01" is not a real date: there is no month 13 (months are 01 to 12)');
    expect(refusal('2026-00-10')).toMatch(/there is no month 0 /);
    expect(refusal('2026-01-00')).toMatch(/January 2026 has 31 days/);
    expect(refusal('2100-02-29')).toMatch(/2100 is not a leap year/);
  });

  it('refuses years outside 2000 to 2099 as the typos they are, pointing until at its way to say "never"', () => {
    expect(refusal('3026-12-31')).toBe(
      '"3026-12-31" is outside the years 2000 to 2099 (UTC), most likely a typo; for access that does not end, ' +
        'leave "until" out',
    );
    expect(refusal('1999-12-31', parseNow)).toBe(
      '"1999-12-31" is outside the years 2000 to 2099 (UTC), most likely a typo',
    );
    expect(refusal('0026-01-01')).toMatch(/outside the years/);
    expect(parseUntil('2099-12-31').display).toBe('2099-12-31');
    expect(parseNow('2000-01-01').epochMs).toBe(utc('2000-01-01T00:00:00Z'));
  });
});

describe('date-times', () => {
  it('reads RFC 3339 with Z, an offset or fractional seconds as that moment, shown in UTC', () => {
    expect(parseUntil('2026-12-05T18:00:00Z')).toEqual({
      epochMs: utc('2026-12-05T18:00:00Z'),
      kind: 'date-time',
      display: '2026-12-05T18:00:00Z',
    });
    expect(parseUntil('2026-12-05T18:00:00+01:00').display).toBe('2026-12-05T17:00:00Z');
    expect(parseUntil('2026-12-05T18:00:00-05:30').display).toBe('2026-12-05T23:30:00Z');
    expect(parseUntil('2026-12-31T23:30:00-01:00').display).toBe('2027-01-01T00:30:00Z');
    expect(parseUntil('2026-12-05T18:00:00.5Z').display).toBe('2026-12-05T18:00:00.500Z');
    expect(parseUntil('2026-12-05T18:00:00.123456789Z').epochMs).toBe(utc('2026-12-05T18:00:00.123Z'));
    expect(parseNow('2026-12-05t18:00:00z').display).toBe('2026-12-05T18:00:00Z');
  });

  it('means the same moment by a date-time under until and under --now (only dates differ)', () => {
    expect(parseNow('2026-12-05T18:00:00+01:00').epochMs).toBe(parseUntil('2026-12-05T18:00:00+01:00').epochMs);
  });

  it('reads -00:00 as UTC, as RFC 3339 says (offset unknown)', () => {
    expect(parseUntil('2026-12-05T18:00:00-00:00').epochMs).toBe(utc('2026-12-05T18:00:00Z'));
  });

  it('refuses a date-time without an offset as ambiguous, showing both fixes', () => {
    expect(refusal('2026-12-05T18:00:00')).toBe(
      '"2026-12-05T18:00:00" has no UTC offset, so the moment it means is ambiguous: add Z for UTC ' +
        '(2026-12-05T18:00:00Z) or the offset meant (2026-12-05T18:00:00+01:00)',
    );
    expect(refusal('2026-12-05T18:00:00.250', parseNow)).toMatch(/has no UTC offset/);
  });

  it('refuses impossible times and offsets', () => {
    expect(refusal('2026-12-05T24:00:00Z')).toMatch(
      /hours run from 00 to 23 \(write the next day's 00:00:00 for midnight\)$/,
    );
    expect(refusal('2026-12-05T18:60:00Z')).toMatch(/minutes run from 00 to 59$/);
    expect(refusal('2026-12-05T18:00:61Z')).toMatch(/seconds run from 00 to 59$/);
    expect(refusal('2016-12-31T23:59:60Z')).toBe(
      '"2016-12-31T23:59:60Z" names a leap second, which cannot be used here: write :59 instead',
    );
    expect(refusal('2026-12-05T18:00:00+24:00')).toBe(
      '"2026-12-05T18:00:00+24:00" has an impossible UTC offset +24:00: write it as ±HH:MM, at most ±23:59',
    );
    expect(refusal('2026-12-05T18:00:00+01:60')).toMatch(/impossible UTC offset \+01:60/);
    expect(refusal('2026-02-30T18:00:00Z')).toMatch(/February 2026 has 28 days/);
  });

  it('judges the year range on the moment itself, so what it displays always reads back', () => {
    expect(refusal('2099-12-31T23:00:00-05:00')).toMatch(/outside the years 2000 to 2099 \(UTC\)/);
    expect(parseUntil('2099-12-31T23:59:59.999Z').display).toBe('2099-12-31T23:59:59.999Z');
  });
});

describe('other spellings', () => {
  it('names the fix for the usual near misses of RFC 3339', () => {
    expect(refusal('2026-12-05 18:00:00Z')).toBe(
      '"2026-12-05 18:00:00Z" is not a date or a date-time: separate the date and the time with T, as in ' +
        '2026-12-05T18:00:00Z',
    );
    expect(refusal('2026-12-05T18:00Z')).toMatch(/RFC 3339 needs the seconds too/);
    expect(refusal('2026-12-05T18:00')).toMatch(/RFC 3339 needs the seconds too/);
    expect(refusal('2026-12-05T18:00:00+0100')).toMatch(/write the UTC offset with a colon, as in \+01:00$/);
    expect(refusal('2026-12-05T18:00:00+01')).toMatch(/with a colon/);
    expect(refusal('2026-3-5')).toMatch(/four-digit year and two-digit month and day/);
  });

  it('refuses other formats with the two it takes', () => {
    const formats =
      'write a date as YYYY-MM-DD (2026-12-31) or a date-time as RFC 3339 with its offset (2026-12-05T18:00:00Z)';
    expect(refusal('12/31/2026')).toBe(`"12/31/2026" is not a date or a date-time: ${formats}`);
    expect(refusal('tomorrow', parseNow)).toBe(`"tomorrow" is not a date or a date-time: ${formats}`);
    expect(refusal('31.12.2026')).toMatch(/is not a date or a date-time/);
    expect(refusal('2026-12-31Z')).toMatch(/is not a date or a date-time/);
    expect(refusal('')).toBe(`the value is empty; ${formats}`);
    expect(refusal('   ')).toBe(`the value is empty; ${formats}`);
  });

  it('takes surrounding spaces off, and shows hidden characters escaped', () => {
    expect(parseUntil(' 2026-12-31 ').display).toBe('2026-12-31');
    expect(refusal('2026\u201012\u201031')).toMatch(/^"2026\\u201012\\u201031" is not a date/);
    expect(refusal('2026-12-31\u001b[2J')).toMatch(/^"2026-12-31\\u001b\[2J"/);
    expect(refusal('x'.repeat(200))).toMatch(new RegExp(`^"${'x'.repeat(60)}"… is not`));
  });

  it('refuses values that are not text, naming what YAML made of them', () => {
    expect(refusal(20261231)).toMatch(
      /^expected a date or a date-time, not the number 20261231; write a date as YYYY-MM-DD/,
    );
    expect(refusal(null)).toMatch(/^expected a date or a date-time, not an empty value;/);
    expect(refusal(undefined)).toMatch(/not an empty value/);
    expect(refusal(true)).toMatch(/not true;/);
    expect(refusal(['2026-12-31'])).toMatch(/not a list;/);
    expect(refusal({ date: '2026-12-31' })).toMatch(/not a mapping;/);
  });
});

describe('end dates against a clock', () => {
  const until = parseUntil('2026-12-05T18:00:00Z');

  it('holds through its last moment and has ended one millisecond later', () => {
    expect(hasEnded(until, until.epochMs)).toBe(false);
    expect(hasEnded(until, until.epochMs + 1)).toBe(true);
  });

  it('warns within the window, not before it and not once ended', () => {
    const day = 86_400_000;
    expect(endsWithin(until, until.epochMs - 7 * day, 7)).toBe(true);
    expect(endsWithin(until, until.epochMs - 7 * day - 1, 7)).toBe(false);
    expect(endsWithin(until, until.epochMs, 7)).toBe(true);
    expect(endsWithin(until, until.epochMs + 1, 7)).toBe(false);
    expect(endsWithin(until, until.epochMs - 1, 0)).toBe(false);
  });
});

describe('properties', () => {
  const validDate = fc
    .date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10));
  const offset = fc.oneof(
    fc.constant('Z'),
    fc
      .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([sign, hours, minutes]) => `${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`),
  );
  const validDateTime = fc
    .tuple(
      fc.date({ min: new Date(Date.UTC(2000, 0, 2)), max: new Date(Date.UTC(2099, 11, 30)), noInvalidDate: true }),
      fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
      offset,
    )
    .map(
      ([date, fraction, zone]) =>
        `${date.toISOString().slice(0, 19)}${fraction === undefined ? '' : `.${fraction}`}${zone}`,
    );

  it('round-trips every valid date through its display, as the end or the start of that day', () => {
    fc.assert(
      fc.property(validDate, (text) => {
        const start = Date.parse(`${text}T00:00:00Z`);
        expect(parseUntil(text)).toEqual({ epochMs: start + 86_399_999, kind: 'date', display: text });
        expect(parseNow(text)).toEqual({ epochMs: start, kind: 'date', display: text });
      }),
    );
  });

  it(
    'reads every valid date-time as the moment Date.parse sees (to the millisecond), and its display back as the ' +
      'same',
    () => {
      fc.assert(
        fc.property(validDateTime, (text) => {
          const value = parseUntil(text);
          const truncated = text.replace(/(\.\d{3})\d+/, '$1');
          expect(value.epochMs).toBe(Date.parse(truncated));
          expect(parseUntil(value.display)).toEqual(value);
          expect(parseNow(value.display).epochMs).toBe(value.epochMs);
        }),
      );
    },
  );

  it('on any input either answers a moment in range or throws a TimeValueError, never anything else', () => {
    const lowest = Date.UTC(2000, 0, 1);
    const highest = Date.UTC(2100, 0, 1) - 1;
    const inputs = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.stringMatching(/^[0-9T:.+\-Zz ]{0,30}$/),
      fc.anything(),
    );
    fc.assert(
      fc.property(inputs, fc.boolean(), (input, asNow) => {
        try {
          const value = (asNow ? parseNow : parseUntil)(input);
          expect(value.epochMs).toBeGreaterThanOrEqual(lowest);
          expect(value.epochMs).toBeLessThanOrEqual(highest);
          expect((asNow ? parseNow : parseUntil)(value.display)).toEqual(value);
        } catch (error) {
          expect(error).toBeInstanceOf(TimeValueError);
          expect((error as Error).message).not.toBe('');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
