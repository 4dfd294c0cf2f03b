// `--now TIME` on plan, apply and drift: the moment the plan is made for.
import { parseNow, TimeValueError } from '../config/until.js';
import { UsageError } from '../errors.js';
import { flag, type CommandContext } from './context.js';

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

export { atNow } from '../config/until.js';
