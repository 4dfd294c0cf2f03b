// mode: create-oauth-app (workflow_dispatch): runCreateOAuthAppMode does the work (and sets the app-id
// and client-id outputs); this adds the connection and a line in the job summary.
import { writeJobSummary } from '../github/job-summary.js';
import * as core from '@actions/core';
import { escapeMarkdownInline, inlineCode } from '../escape.js';
import { redact } from '../secrets.js';
import { runCreateOAuthAppMode, type CreateOAuthAppModeResult } from './create-oauth-app-mode.js';
import { withTailscale } from './session.js';
import type { ActionSettings } from './settings.js';

const SAID: Record<CreateOAuthAppModeResult['outcome'], string> = {
  created: 'Created the OAuth app',
  updated: 'Updated the OAuth app',
  unchanged: 'Found the OAuth app, unchanged:',
  differs: 'Found the OAuth app',
};

export async function runOAuthAppMode(settings: ActionSettings): Promise<void> {
  const result = await withTailscale(settings, settings.tailnet ?? '-', (client) =>
    runCreateOAuthAppMode(settings.oauthApp, {
      client,
      github: { apiUrl: settings.github.apiUrl, repository: settings.github.repository },
      baseUrl: settings.baseUrl,
      setOutput: core.setOutput,
      info: (line) => core.info(redact(line)),
    }),
  );
  const name = escapeMarkdownInline(settings.oauthApp.name ?? '');
  await writeJobSummary(
    `### tailnet-access create-oauth-app\n\n${SAID[result.outcome]} ${name} (ID ${inlineCode(result.appId)}). Its ` +
      `client secret is never printed.\n`,
  );
}
