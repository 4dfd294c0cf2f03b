// `--now TIME` on plan, apply and drift: the moment the plan is made for (issue 14).
import { parseNow, TimeValueError } from '../config/until.js';
import { UsageError } from '../errors.js';
import { flag, type CommandContext } from './io.js';

/** The moment given with --now (ms since the epoch), or undefined for the current time. */
export function nowFlag(ctx: CommandContext): number | undefined {
  const value = flag(ctx, 'now');
  if (value === undefined) return undefined;
  try {
    return parseNow(value).epochMs;
  } catch (error) {
    if (error instanceof TimeValueError) throw new UsageError(`--now: ${error.message}`);
    throw error;
  }
}

/** The loaded file planned as of `now` (the --now flag), or as it is when no moment was given. */
export function atNow<T extends object>(config: T, now: number | undefined): T {
  return now === undefined ? config : { ...config, now };
}
