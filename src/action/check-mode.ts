// mode: check (workflow_dispatch): test the connection the way plan and apply use it, explain each
// failure in the job summary, and fail the job when apply could not run.
import { existsSync } from 'node:fs';
import * as core from '@actions/core';
import { checkConnection } from '../check/index.js';
import { checkVerdict, renderCheckMarkdown, renderCheckText } from '../render/check.js';
import { loadConfig } from '../config/load.js';
import { writeJobSummary } from '../github/job-summary.js';
import { redact } from '../secrets.js';
import { log } from './log.js';
import { withTailscale } from './session.js';
import type { ActionSettings } from './settings.js';

/** The tailnet input, else the file's (check often runs before the file exists), else `-`. */
async function checkedTailnet(settings: ActionSettings): Promise<string> {
  if (settings.tailnet !== undefined) return settings.tailnet;
  if (!existsSync(settings.config.path)) return '-';
  return (await loadConfig(settings.config.path, settings.config.shownAs)).desired.tailnet ?? '-';
}

export async function runCheckMode(settings: ActionSettings): Promise<void> {
  const tailnet = await checkedTailnet(settings);
  const report = await log.phase('Check the connection', () =>
    withTailscale(settings, tailnet, (client, credential) =>
      checkConnection(client, { credential, transport: { baseUrl: settings.baseUrl }, need: 'apply' }),
    ),
  );
  log.block(renderCheckText(report, { color: false }));
  const verdict = checkVerdict(report);
  await log.phase('Report: outputs and job summary', async () => {
    await writeJobSummary(renderCheckMarkdown(report, { heading: 'tailnet-access check' }));
    core.setOutput('summary', redact(verdict));
  });
  if (!report.ok) core.setFailed(redact(verdict));
}
