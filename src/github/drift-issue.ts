// One open issue per tailnet (and config file) while its live state differs from the file: created
// on the first drift, edited on the next ones, closed with a comment once a run finds no drift.
import { isMarked } from './marker.js';
import { repoPath, type GitHubRest, type RepoRef } from './rest.js';

export const DRIFT_LABEL = 'tailnet-access-drift';

export interface DriftIssueTarget {
  repo: RepoRef;
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
  body?: string | null;
  html_url: string;
  labels: ({ name?: string } | string)[];
  pull_request?: unknown;
}

const labelNames = (issue: Issue): string[] => issue.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? '')));

export async function findDriftIssue(rest: GitHubRest, target: DriftIssueTarget): Promise<Issue | undefined> {
  const path = `${repoPath(target.repo)}/issues?state=open&labels=${encodeURIComponent(DRIFT_LABEL)}`;
  for await (const page of rest.pages<Issue>(`list the open issues labelled ${DRIFT_LABEL}`, path)) {
    // The issues list includes pull requests; a PR that quotes the marker is not our issue.
    const found = page.find((issue) => issue.pull_request === undefined && isMarked(issue.body, target.marker));
    if (found) return found;
  }
  return undefined;
}

export async function syncDriftIssue(rest: GitHubRest, target: DriftIssueTarget, state: DriftIssueState): Promise<DriftIssueResult> {
  const existing = await findDriftIssue(rest, target);
  const issues = `${repoPath(target.repo)}/issues`;
  if (!state.drift) {
    if (existing === undefined) return { action: 'none' };
    await rest.request(`comment on drift issue #${existing.number}`, 'POST', `${issues}/${existing.number}/comments`, { body: state.closingComment });
    await rest.request(`close drift issue #${existing.number}`, 'PATCH', `${issues}/${existing.number}`, { state: 'closed', state_reason: 'completed' });
    return { action: 'closed', number: existing.number, url: existing.html_url };
  }
  if (existing === undefined) {
    const created = await rest.request<Issue>('open a drift issue', 'POST', issues, { title: target.title, body: state.body, labels: [DRIFT_LABEL] });
    const result: DriftIssueResult = { action: 'created', number: created.number, url: created.html_url };
    if (!labelNames(created).includes(DRIFT_LABEL)) result.labelMissing = true;
    return result;
  }
  if (existing.body === state.body && existing.title === target.title) return { action: 'unchanged', number: existing.number, url: existing.html_url };
  const updated = await rest.request<Issue>(`update drift issue #${existing.number}`, 'PATCH', `${issues}/${existing.number}`, { title: target.title, body: state.body });
  return { action: 'updated', number: updated.number, url: updated.html_url };
}
