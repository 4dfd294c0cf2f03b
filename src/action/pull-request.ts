// The pull request side of plan mode: the sticky comment, and for pull requests that cannot be planned
// (from a fork, or without credentials) the check of the files alone, with an honest word on the skip.
import * as core from '@actions/core';
import { loadConfig } from '../config/load.js';
import { DiagnosticsError } from '../diagnostics.js';
import { annotate, diagnosticFindings } from '../github/annotations.js';
import { deniedWarning, GitHubApiError } from '../github/errors.js';
import { writeJobSummary } from '../github/job-summary.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import { escapeMarkdownInline } from '../escape.js';
import { renderCommandFor } from '../policy-file/not-rendered.js';
import { redact } from '../secrets.js';
import { checkFiles } from '../validate/check-files.js';
import { renderValidationMarkdown } from '../render/validation.js';
import { githubFor, markerFor } from './github.js';
import { log } from './log.js';
import { readActionPolicyFile } from './policy-file.js';
import type { ActionSettings, PullRequestInfo } from './settings.js';

export interface StickyComment {
  marker: string;
  /** Creates or edits the comment; a GitHub failure is a warning (the plan is in the job summary anyway). */
  post(body: string): Promise<void>;
}

export function stickyComment(settings: ActionSettings): StickyComment | undefined {
  const pr = settings.event.pullRequest;
  if (pr === undefined || !settings.comment) return undefined;
  const github = githubFor(settings);
  if (github === undefined) {
    log.warning(
      'no github-token (or no GITHUB_REPOSITORY): the plan is in the job summary only, not in a pull request comment',
    );
    return undefined;
  }
  const target = { number: pr.number, marker: markerFor('plan', settings) };
  return {
    marker: target.marker,
    async post(body) {
      try {
        const result = await upsertStickyComment(await github(), target, redact(body));
        // GitHub leaves html_url out of some answers (a proxy, an older Enterprise Server): name the PR then.
        log.info(`Plan comment ${result.action} on pull request #${pr.number}${result.url ? `: ${result.url}` : ''}`);
      } catch (error) {
        if (!(error instanceof GitHubApiError)) throw error;
        log.warning(
          deniedWarning(
            `could not update the plan comment on pull request #${pr.number}`,
            error,
            'pull-requests: write',
          ),
        );
      }
    },
  };
}

/** The pull request, when this run has nothing to plan with (it comes from a fork, or got no credential). */
export function cannotPlan(settings: ActionSettings): PullRequestInfo | undefined {
  const pr = settings.event.pullRequest;
  return pr !== undefined && (pr.fromFork || !settings.credential.given) ? pr : undefined;
}

/**
 * A pull request that cannot be planned still gets the check that needs no secret: the files' errors
 * are annotated at their lines and fail the step, as on any other pull request. The log and the job
 * summary say plainly that the live plan was skipped, and why.
 */
export async function checkFilesOnly(settings: ActionSettings, pr: PullRequestInfo): Promise<void> {
  const configPath = settings.config.shownAs;
  const check = await checkFiles({
    config: configPath,
    load: () => loadConfig(settings.config.path, configPath),
    readPolicyFile: (config) => readActionPolicyFile(settings, config),
    renderCommand: renderCommandFor(configPath),
  });
  const why = pr.fromFork
    ? `This pull request comes from ${pr.headRepo ? `the fork ${pr.headRepo}` : 'a fork that no longer exists'}. ` +
      `GitHub runs workflows for pull requests from forks without the repository's secrets and with a read-only ` +
      `token`
    : 'No Tailscale credential reached this job: the api-key, oauth-client-id, oauth-client-secret and audience ' +
      'inputs are all empty (pull requests opened by Dependabot get no repository secrets either)';
  const found =
    check.errors.length === 0
      ? 'found no problems'
      : `found ${check.errors.length === 1 ? 'a problem' : `${check.errors.length} problems`}, annotated at ` +
        `${check.errors.length === 1 ? 'its line' : 'their lines'}`;
  const text =
    `${why}, so tailnet-access cannot read the tailnet: the live plan was skipped, and only the files were checked ` +
    `(${found}). Review the change itself; after merge, the apply workflow plans afresh before it writes anything.`;
  log.notice(text);
  annotate(diagnosticFindings(check.warnings));
  await writeJobSummary(
    `### tailnet-access plan skipped\n\n${escapeMarkdownInline(text)}\n\n${renderValidationMarkdown(check)}\n`,
  );
  // A check with errors fails like any other failure, which sets the outputs itself.
  if (check.errors.length > 0) throw new DiagnosticsError(check.errors);
  core.setOutput(
    'summary',
    pr.fromFork
      ? 'Skipped: pull request from a fork, no plan was made.'
      : 'Skipped: no Tailscale credential, no plan was made.',
  );
}
