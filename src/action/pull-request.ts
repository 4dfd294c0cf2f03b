// The pull request side of plan mode: the sticky comment, and the honest skip for pull requests that
// cannot be planned (from a fork, or without credentials).
import * as core from '@actions/core';
import { deniedWarning, GitHubApiError } from '../github/errors.js';
import { writeJobSummary } from '../github/job-summary.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import { escapeMarkdownInline } from '../plan/escape.js';
import { redact } from '../secrets.js';
import { githubFor, markerFor } from './github.js';
import { log } from './log.js';
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
    log.warning('no github-token (or no GITHUB_REPOSITORY): the plan is in the job summary only, not in a pull request comment');
    return undefined;
  }
  const target = { number: pr.number, marker: markerFor('plan', settings) };
  return {
    marker: target.marker,
    async post(body) {
      try {
        const result = await upsertStickyComment(await github(), target, redact(body));
        log.info(`Plan comment ${result.action}: ${result.url}`);
      } catch (error) {
        if (!(error instanceof GitHubApiError)) throw error;
        log.warning(deniedWarning(`could not update the plan comment on pull request #${pr.number}`, error, 'pull-requests: write'));
      }
    },
  };
}

/** The pull request, when this run has nothing to plan with (it comes from a fork, or got no credential). */
export function cannotPlan(settings: ActionSettings): PullRequestInfo | undefined {
  const pr = settings.event.pullRequest;
  return pr !== undefined && (pr.fromFork || !settings.credential.given) ? pr : undefined;
}

/** Says why no plan was made, in the log and the job summary, and lets the job succeed. */
export async function skipPullRequest(pr: PullRequestInfo): Promise<void> {
  const why = pr.fromFork
    ? `This pull request comes from ${pr.headRepo ? `the fork ${pr.headRepo}` : 'a fork that no longer exists'}. GitHub runs workflows for pull requests from forks without the repository's secrets and with a read-only token`
    : 'No Tailscale credential reached this job: the api-key, oauth-client-id, oauth-client-secret and audience inputs are all empty (pull requests opened by Dependabot get no repository secrets either)';
  const text = `${why}, so tailnet-access cannot read the tailnet and no plan was made. Review the change to the file itself; after merge, the apply workflow plans afresh before it writes anything.`;
  log.notice(text);
  await writeJobSummary(`### tailnet-access plan skipped\n\n${escapeMarkdownInline(text)}\n`);
  core.setOutput('summary', pr.fromFork ? 'Skipped: pull request from a fork, no plan was made.' : 'Skipped: no Tailscale credential, no plan was made.');
}
