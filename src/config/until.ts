// Moments in the file and on the command line: `until:` on a role or a group membership, and
// `--now TIME`. Both take a date (`2026-12-31`) or an RFC 3339 date-time with its offset
// (`2026-12-05T18:00:00Z`, `2026-12-05T19:00:00+01:00`). A date is a whole UTC day, so which end of
// it is meant depends on the use: `until` runs to the day's last millisecond (access lasts all of
// that day); `--now` starts at its first (planning "as of 1 January" sees the tailnet as the new
// year begins, with everything that ended on 31 December gone). The loader reads YAML with the 1.2
// core schema, where an unquoted date stays a string, so quoted and unquoted values read alike.
// Pure: no clock, no I/O; errors are TimeValueError, whose message the caller prefixes with a place.

export type TimeValueKind = 'date' | 'date-time';

export interface TimeValue {
  /** Milliseconds since the epoch (UTC); sub-millisecond digits are dropped. */
  epochMs: number;
  kind: TimeValueKind;
  /**
   * One spelling per value, which parses back to the same moment: `2026-12-31` for a date, the
   * moment in UTC for a date-time (`2026-12-05T17:00:00Z`, with `.mmm` only when it is not zero).
   */
  display: string;
}

/** A value that is not a moment we accept; the message says why and how to write it. */
export class TimeValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeValueError';
  }
}

/** A year outside these is a typo (3026 for 2026) far more often than a plan. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2099;
const EARLIEST = Date.UTC(FIRST_YEAR, 0, 1);
const LATEST = Date.UTC(LAST_YEAR + 1, 0, 1) - 1;
const DAY_MS = 86_400_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})?$/;
const FORMATS =
  'write a date as YYYY-MM-DD (2026-12-31) or a date-time as RFC 3339 with its offset (2026-12-05T18:00:00Z)';
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

type Use = 'until' | 'now';

/** `until:` in the file: a date means the end of that day, 23:59:59.999 UTC. */
export function parseUntil(value: unknown): TimeValue {
  return parseTimeValue(value, 'until');
}

/** `--now TIME` (and the action's `now` input): a date means the start of that day, 00:00 UTC. */
export function parseNow(value: unknown): TimeValue {
  return parseTimeValue(value, 'now');
}

/** Access with this end is over at `now`: an end is the last moment that access still holds. */
export function hasEnded(until: TimeValue, now: number): boolean {
  return now > until.epochMs;
}

/** Still in force at `now`, and ending within `days` days of it (for `expiryWarningDays`). */
export function endsWithin(until: TimeValue, now: number, days: number): boolean {
  return !hasEnded(until, now) && until.epochMs - now <= days * DAY_MS;
}

function parseTimeValue(value: unknown, use: Use): TimeValue {
  if (typeof value !== 'string')
    throw new TimeValueError(`expected a date or a date-time, not ${describeNonText(value)}; ${FORMATS}`);
  const text = value.trim();
  if (text === '') throw new TimeValueError(`the value is empty; ${FORMATS}`);
  const date = DATE.exec(text);
  if (date) {
    const start = dayStart(text, date.slice(1, 4).map(Number) as [number, number, number]);
    return checked(text, { epochMs: use === 'until' ? start + DAY_MS - 1 : start, kind: 'date', display: text }, use);
  }
  const dateTime = DATE_TIME.exec(text);
  if (!dateTime) throw new TimeValueError(`${show(text)} is not a date or a date-time: ${nearMiss(text) ?? FORMATS}`);
  const [, year, month, day, hour, minute, second, fraction, offset] = dateTime;
  if (offset === undefined) {
    throw new TimeValueError(
      `${show(text)} has no UTC offset, so the moment it means is ambiguous: add Z for UTC (${text}Z) or the ` +
        `offset meant (${text}+01:00)`,
    );
  }
  const start = dayStart(text, [Number(year), Number(month), Number(day)]);
  const clock = timeOfDay(text, Number(hour), Number(minute), Number(second));
  const millis = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
  const epochMs = start + clock + millis - offsetMs(text, offset);
  return checked(text, { epochMs, kind: 'date-time', display: utcDisplay(epochMs) }, use);
}

function dayStart(text: string, [year, month, day]: [number, number, number]): number {
  if (month < 1 || month > 12)
    throw new TimeValueError(`${show(text)} is not a real date: there is no month ${month} (months are 01 to 12)`);
  const days = daysIn(year, month);
  if (day < 1 || day > days) {
    const why =
      month === 2 && day === 29
        ? `${year} is not a leap year, so February has 28 days`
        : `${MONTHS[month - 1]} ${year} has ${days} days`;
    throw new TimeValueError(`${show(text)} is not a real date: ${why}`);
  }
  return Date.UTC(year, month - 1, day);
}

function timeOfDay(text: string, hour: number, minute: number, second: number): number {
  if (hour > 23)
    throw new TimeValueError(
      `${show(text)} is not a real time: hours run from 00 to 23 (write the next day's 00:00:00 for midnight)`,
    );
  if (minute > 59) throw new TimeValueError(`${show(text)} is not a real time: minutes run from 00 to 59`);
  if (second === 60)
    throw new TimeValueError(`${show(text)} names a leap second, which cannot be used here: write :59 instead`);
  if (second > 59) throw new TimeValueError(`${show(text)} is not a real time: seconds run from 00 to 59`);
  return ((hour * 60 + minute) * 60 + second) * 1000;
}

/** `-00:00` is RFC 3339's "UTC, local offset unknown" (section 4.3): the same moment as `Z`. */
function offsetMs(text: string, offset: string): number {
  if (offset === 'Z' || offset === 'z') return 0;
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(4, 6));
  if (hours > 23 || minutes > 59)
    throw new TimeValueError(
      `${show(text)} has an impossible UTC offset ${offset}: write it as ±HH:MM, at most ±23:59`,
    );
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

function checked(text: string, value: TimeValue, use: Use): TimeValue {
  if (value.epochMs >= EARLIEST && value.epochMs <= LATEST) return value;
  const advice = use === 'until' ? '; for access that does not end, leave "until" out' : '';
  throw new TimeValueError(
    `${show(text)} is outside the years ${FIRST_YEAR} to ${LAST_YEAR} (UTC), most likely a typo${advice}`,
  );
}

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function utcDisplay(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.000Z$/, 'Z');
}

/** The common ways of almost writing RFC 3339, each with its fix. */
function nearMiss(text: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text))
    return 'separate the date and the time with T, as in 2026-12-05T18:00:00Z';
  if (/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/.test(text))
    return 'RFC 3339 needs the seconds too, as in 2026-12-05T18:00:00Z';
  if (/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?[+-]\d{2}(?:\d{2})?$/.test(text))
    return 'write the UTC offset with a colon, as in +01:00';
  if (/^\d{1,4}-\d{1,2}-\d{1,2}$/.test(text))
    return 'write the date with a four-digit year and two-digit month and day, as in 2026-03-05';
  return undefined;
}

function describeNonText(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/** Quoted, with anything outside printable ASCII escaped (a look-alike dash, a control character). */
function show(text: string): string {
  const quoted = JSON.stringify(text.slice(0, 60)).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > 60 ? `${quoted}…` : quoted;
}

/** The loaded file planned as of `now` (--now, the now input), or as it is when no moment was given. */
export function atNow<T extends object>(config: T, now: number | undefined): T {
  return now === undefined ? config : { ...config, now };
}
