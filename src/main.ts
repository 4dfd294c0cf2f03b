// The GitHub Action: inputs -> one settings object -> the mode's runner. One try/catch turns every
// failure into annotations, a job summary and a failed step, with secrets redacted.
import * as core from '@actions/core';
import { readSettings } from './action/inputs.js';
import { reportFailure } from './action/failure.js';
import { MODE_RUNNERS } from './action/modes.js';
import type { ActionSettings } from './action/settings.js';

export async function run(): Promise<void> {
  let settings: ActionSettings | undefined;
  try {
    settings = readSettings();
    core.info(`tailnet-access: mode ${settings.mode} (from ${settings.modeFrom}), config ${settings.config.shownAs}`);
    const runMode = await MODE_RUNNERS[settings.mode]();
    await runMode(settings);
  } catch (error) {
    await reportFailure(error, settings);
  }
}
