// The action's log lines. The runner masks registered secrets itself; redact() is the second line
// of defence, for values it never saw (a secret echoed back in an API error, say).
import { randomUUID } from 'node:crypto';
import * as runner from '../github/runner.js';
import { redact } from '../secrets.js';

export const log = {
  info: (text: string): void => runner.info(redact(text)),
  notice: (text: string): void => runner.notice(redact(text)),
  warning: (text: string): void => runner.warning(redact(text)),
  /**
   * A plan or report: its lines hold logins and group names other people chose, so workflow commands
   * are switched off around it and no line of it can act as one (`::add-mask::`, `::error::`, …).
   */
  block(text: string): void {
    const token = randomUUID();
    runner.info(`::stop-commands::${token}`);
    runner.info(redact(text));
    runner.info(`::${token}::`);
  },
};
