// One comment per pull request, config file and tailnet, edited in place on every run, so the
// conversation shows the current plan instead of a new comment per push.
import { isMarked } from './marker.js';
import { repoPath, type GitHubRest, type RepoRef } from './rest.js';

export interface StickyCommentTarget {
  repo: RepoRef;
  /** The pull request's number (comments on a PR are issue comments). */
  number: number;
  marker: string;
}

export interface CommentResult {
  action: 'created' | 'updated' | 'unchanged';
  id: number;
  url: string;
}

interface IssueComment {
  id: number;
  body?: string | null;
  html_url: string;
}

/** The oldest comment carrying the marker, found by reading the pull request's comments page by page. */
export async function findMarkedComment(rest: GitHubRest, target: StickyCommentTarget): Promise<IssueComment | undefined> {
  const path = `${repoPath(target.repo)}/issues/${target.number}/comments`;
  for await (const page of rest.pages<IssueComment>(`list the comments of pull request #${target.number}`, path)) {
    const found = page.find((comment) => isMarked(comment.body, target.marker));
    if (found) return found;
  }
  return undefined;
}

/** Creates the comment once, then edits it; an identical body is left alone (no edit, no notification). */
export async function upsertStickyComment(rest: GitHubRest, target: StickyCommentTarget, body: string): Promise<CommentResult> {
  if (!isMarked(body, target.marker)) throw new Error('the sticky comment body must start with its marker');
  const existing = await findMarkedComment(rest, target);
  if (existing === undefined) {
    const path = `${repoPath(target.repo)}/issues/${target.number}/comments`;
    const created = await rest.request<IssueComment>(`comment on pull request #${target.number}`, 'POST', path, { body });
    return { action: 'created', id: created.id, url: created.html_url };
  }
  if (existing.body === body) return { action: 'unchanged', id: existing.id, url: existing.html_url };
  const path = `${repoPath(target.repo)}/issues/comments/${existing.id}`;
  const updated = await rest.request<IssueComment>(`edit the plan comment on pull request #${target.number}`, 'PATCH', path, { body });
  return { action: 'updated', id: updated.id, url: updated.html_url };
}
