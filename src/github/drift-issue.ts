// One open issue per tailnet (and config file) while its live state differs from the file: created
// on the first drift, edited on the next ones, closed with a comment once a run finds no drift. It is
// found by label, marker and author (the token's own account), so an issue someone else opened with
// the marker is never edited or closed.
import type { GitHubClient } from './client.js';
import { isOwnAuthor, tokenIdentity, type Author } from './identity.js';
import { isMarked } from './marker.js';

export const DRIFT_LABEL = 'tailnet-access-drift';

export interface DriftIssueTarget {
  marker: string;
  title: string;
}

export type DriftIssueState =
  /** Drift found: the issue should be open with this body (which starts with the marker). */
  | { drift: true; body: string }
  /** No drift: an open issue is closed with this comment. */
  | { drift: false; closingComment: string };

export interface DriftIssueResult {
  action: 'created' | 'updated' | 'unchanged' | 'closed' | 'none';
  number?: number;
  url?: string;
  /** Set when GitHub dropped the label (the token may not set labels): the next run cannot find the issue. */
  labelMissing?: boolean;
}

interface Issue {
  number: number;
  title: string;
  body?: string | null | undefined;
  html_url: string;
  labels: ({ name?: string | undefined } | string)[];
  pull_request?: unknown;
  user: Author | null;
}

const labelNames = (issue: Issue): string[] =>
  issue.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? '')));

export async function findDriftIssue(github: GitHubClient, target: DriftIssueTarget): Promise<Issue | undefined> {
  const identity = await tokenIdentity(github);
  const { owner, repo } = github.repo;
  const pages = github.pages<Issue>(`list the open issues labelled ${DRIFT_LABEL}`, (octokit) =>
    octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      state: 'open',
      labels: DRIFT_LABEL,
      per_page: 100,
    }),
  );
  for await (const page of pages) {
    // The issues list includes pull requests; a PR that quotes the marker is not our issue.
    const found = page.find(
      (issue) =>
        issue.pull_request === undefined && isMarked(issue.body, target.marker) && isOwnAuthor(issue.user, identity),
    );
    if (found) return found;
  }
  return undefined;
}

export async function syncDriftIssue(
  github: GitHubClient,
  target: DriftIssueTarget,
  state: DriftIssueState,
): Promise<DriftIssueResult> {
  const existing = await findDriftIssue(github, target);
  const { owner, repo } = github.repo;
  if (!state.drift) {
    if (existing === undefined) return { action: 'none' };
    const issue_number = existing.number;
    await github.call(`comment on drift issue #${issue_number}`, (octokit) =>
      octokit.rest.issues.createComment({ owner, repo, issue_number, body: state.closingComment }),
    );
    await github.call(`close drift issue #${issue_number}`, (octokit) =>
      octokit.rest.issues.update({ owner, repo, issue_number, state: 'closed', state_reason: 'completed' }),
    );
    return { action: 'closed', number: issue_number, url: existing.html_url };
  }
  if (existing === undefined) {
    const created = await github.call('open a drift issue', (octokit) =>
      octokit.rest.issues.create({ owner, repo, title: target.title, body: state.body, labels: [DRIFT_LABEL] }),
    );
    const result: DriftIssueResult = { action: 'created', number: created.number, url: created.html_url };
    if (!labelNames(created).includes(DRIFT_LABEL)) result.labelMissing = true;
    return result;
  }
  if (existing.body === state.body && existing.title === target.title)
    return { action: 'unchanged', number: existing.number, url: existing.html_url };
  const issue_number = existing.number;
  const updated = await github.call(`update drift issue #${issue_number}`, (octokit) =>
    octokit.rest.issues.update({ owner, repo, issue_number, title: target.title, body: state.body }),
  );
  return { action: 'updated', number: updated.number, url: updated.html_url };
}
