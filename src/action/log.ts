// The action's log lines. The runner masks registered secrets itself; redact() is the second line
// of defence, for values it never saw (a secret echoed back in an API error, say).
import { randomUUID } from 'node:crypto';
import * as runner from '../github/runner.js';
import { escapeControlsByLine } from '../plan/escape.js';
import { redact } from '../secrets.js';

// A line can quote a server (an API error, a GitHub answer): its controls are shown as escapes, as in
// the summary and the comment, never passed to the log viewer.
const shown = (text: string): string => escapeControlsByLine(redact(text));

export const log = {
  info: (text: string): void => runner.info(shown(text)),
  notice: (text: string): void => runner.notice(shown(text)),
  warning: (text: string): void => runner.warning(shown(text)),
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
