// One comment per pull request, config file and tailnet, edited in place on every run, so the
// conversation shows the current plan instead of a new comment per push. It is found by its marker
// and by its author, the token's own account: a comment anyone else wrote is never edited.
import type { GitHubClient } from './client.js';
import { isOwnAuthor, tokenIdentity, type Author } from './identity.js';
import { isMarked } from './marker.js';

export interface StickyCommentTarget {
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
  body?: string | undefined;
  html_url: string;
  user: Author | null;
}

/** The oldest comment of ours carrying the marker, found by reading every page of the pull request's comments. */
export async function findMarkedComment(
  github: GitHubClient,
  target: StickyCommentTarget,
): Promise<IssueComment | undefined> {
  const identity = await tokenIdentity(github);
  const { owner, repo } = github.repo;
  const pages = github.pages<IssueComment>(`list the comments of pull request #${target.number}`, (octokit) =>
    octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: target.number,
      per_page: 100,
    }),
  );
  for await (const page of pages) {
    const found = page.find((comment) => isMarked(comment.body, target.marker) && isOwnAuthor(comment.user, identity));
    if (found) return found;
  }
  return undefined;
}

/** Creates the comment once, then edits it; an identical body is left alone (no edit, no notification). */
export async function upsertStickyComment(
  github: GitHubClient,
  target: StickyCommentTarget,
  body: string,
): Promise<CommentResult> {
  if (!isMarked(body, target.marker)) throw new Error('the sticky comment body must start with its marker');
  const { owner, repo } = github.repo;
  const existing = await findMarkedComment(github, target);
  if (existing === undefined) {
    const created = await github.call(`comment on pull request #${target.number}`, (octokit) =>
      octokit.rest.issues.createComment({ owner, repo, issue_number: target.number, body }),
    );
    return { action: 'created', id: created.id, url: created.html_url };
  }
  if (existing.body === body) return { action: 'unchanged', id: existing.id, url: existing.html_url };
  const updated = await github.call(`edit the plan comment on pull request #${target.number}`, (octokit) =>
    octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body }),
  );
  return { action: 'updated', id: updated.id, url: updated.html_url };
}
