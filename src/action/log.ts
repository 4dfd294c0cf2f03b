// The action's log lines. The runner masks registered secrets itself; redact() is the second line
// of defence, for values it never saw (a secret echoed back in an API error, say).
import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import { escapeControlsByLine } from '../escape.js';
import { redact } from '../secrets.js';

// A line can quote a server (an API error, a GitHub answer): its controls are shown as escapes, as in
// the summary and the comment, never passed to the log viewer.
const shown = (text: string): string => escapeControlsByLine(redact(text));

export const log = {
  info: (text: string): void => core.info(shown(text)),
  notice: (text: string): void => core.notice(shown(text)),
  warning: (text: string): void => core.warning(shown(text)),
  /** Shown only when the run is re-run with debug logging (core.isDebug). */
  debug: (text: string): void => core.debug(shown(text)),
  /**
   * One phase of the run (read, plan, validate, apply, report) as a collapsed group of the log, as
   * create-pull-request does: the plan itself is printed outside any group, so it shows at once.
   */
  phase: <T>(title: string, run: () => Promise<T>): Promise<T> => core.group(shown(title), run),
  /**
   * A plan or report: its lines hold logins and group names other people chose, so workflow commands
   * are switched off around it and no line of it can act as one (`::add-mask::`, `::error::`, …).
   * @actions/core has no call for this guard, so its two lines are written here.
   */
  block(text: string): void {
    const token = randomUUID();
    core.info(`::stop-commands::${token}`);
    core.info(redact(text));
    core.info(`::${token}::`);
  },
};
