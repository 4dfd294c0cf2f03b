// Apply what was reviewed. The plan mode records, in the plan comment's marker,
// the digest of the plan's changes and one short digest per change (what it is about, and the change
// itself). On a push to the default branch, apply finds the pull request the commit came from
// (GET /repos/{o}/{r}/commits/{sha}/pulls), reads that comment (marker and author, as the sticky
// comment is found), and compares the plan about to be applied with it, change by change:
// settings.onUnreviewedChanges warn applies and lists what nobody saw; fail applies nothing.
// GitHub that cannot be read makes an unreviewed apply, said plainly; it never stops the run itself.
import type { OnUnreviewedChanges } from '../config/types.js';
import { deniedWarning, GitHubApiError } from '../github/errors.js';
import type { GitHubClient } from '../github/client.js';
import { markerFields, withFields } from '../github/marker.js';
import { findMarkedComment } from '../github/sticky-comment.js';
import {
  changeDigest,
  changesDigest,
  describeChange,
  sha256,
  subjectDigest,
  type SavedPlanGuard,
} from '../plan/saved-plan.js';
import { isGroupChange, type Change, type Plan } from '../domain/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { escapeMarkdownInline, inlineCode } from '../escape.js';
import { githubFor, markerFor } from './github.js';
import { log } from './log.js';
import type { ActionSettings } from './settings.js';

/** Short enough for a comment's first line, long enough that two changes never share one. */
const SHORT = 16;
/** Beyond this many changes the marker keeps the whole digest only (a comment holds 65,536 characters). */
const MAX_LISTED = 1000;

const short = (digest: string): string => digest.replace(/^sha256:/, '').slice(0, SHORT);

function policyDigest(section: PolicyFilePlan | undefined): string | undefined {
  return section?.changed ? sha256(section.diff.text) : undefined;
}

/**
 * The plan comment's marker with the plan's digest (`reviewed`), each change's (`changes`) and the policy write's
 * (`policy`).
 */
export function reviewedMarker(mark: string, plan: Plan, section: PolicyFilePlan | undefined): string {
  const policy = policyDigest(section);
  const each =
    plan.changes.length <= MAX_LISTED
      ? plan.changes.map((c) => `${short(subjectDigest(c))}.${short(changeDigest(c))}`).join(',')
      : 'omitted';
  return withFields(mark, {
    reviewed: changesDigest(plan.changes, policy),
    changes: each,
    ...(policy ? { policy: short(policy) } : {}),
  });
}

export interface ReviewedPlan {
  digest: string;
  /** Subject digest -> change digest; undefined when the comment had too many to list. */
  changes: Map<string, string> | undefined;
  policy: string | undefined;
}

function readMarker(fields: Record<string, string>): ReviewedPlan | undefined {
  const digest = fields.reviewed;
  if (digest === undefined || !/^sha256:[0-9a-f]{64}$/.test(digest)) return undefined;
  const each = fields.changes ?? '';
  const changes =
    each === 'omitted'
      ? undefined
      : new Map(
          each
            .split(',')
            .filter(Boolean)
            .map((pair) => pair.split('.') as [string, string]),
        );
  return { digest, changes, policy: fields.policy };
}

export interface PullRequestRef {
  number: number;
  url: string | undefined;
}

/** What the push's review was: the plan shown on its pull request, or why there is none. */
export type Review =
  { reviewed: ReviewedPlan; pr: PullRequestRef } | { reviewed: undefined; pr: PullRequestRef | undefined; why: string };

interface CommitPull {
  number: number;
  html_url?: string;
  merged_at: string | null;
  merge_commit_sha: string | null;
}

const PERMISSION = 'pull-requests: read';

/** The merged pull request `sha` came from: the one whose merge commit it is, else the first merged one. */
export async function pullRequestOf(github: GitHubClient, sha: string): Promise<PullRequestRef | undefined> {
  const { owner, repo } = github.repo;
  const merged: CommitPull[] = [];
  const pages = github.pages<CommitPull>(`list the pull requests of commit ${sha.slice(0, 12)}`, (octokit) =>
    octokit.paginate.iterator(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
      owner,
      repo,
      commit_sha: sha,
      per_page: 100,
    }),
  );
  for await (const page of pages) {
    for (const pr of page) {
      if (pr.merged_at === null) continue;
      if (pr.merge_commit_sha === sha) return { number: pr.number, url: pr.html_url };
      merged.push(pr);
    }
  }
  const first = merged[0];
  return first ? { number: first.number, url: first.html_url } : undefined;
}

/** Finds the review of this push. Never throws for GitHub: a failure is an unreviewed push, with the reason. */
export async function findReview(settings: ActionSettings): Promise<Review> {
  const sha = settings.github.sha;
  const connect = githubFor(settings);
  if (connect === undefined) {
    return {
      reviewed: undefined,
      pr: undefined,
      why:
        'there is no github-token (or no GITHUB_REPOSITORY), so the pull request this commit came from cannot be ' +
        'looked up',
    };
  }
  if (sha === undefined)
    return {
      reviewed: undefined,
      pr: undefined,
      why: 'the run names no commit (GITHUB_SHA), so the pull request it came from cannot be looked up',
    };
  let pr: PullRequestRef | undefined;
  try {
    const github = await connect();
    pr = await pullRequestOf(github, sha);
    if (pr === undefined)
      return {
        reviewed: undefined,
        pr,
        why:
          `commit ${sha.slice(0, 12)} was pushed directly, not merged from a pull request, so no plan of it was ` +
          `reviewed`,
      };
    const comment = await findMarkedComment(github, { number: pr.number, marker: markerFor('plan', settings) });
    if (comment === undefined)
      return {
        reviewed: undefined,
        pr,
        why:
          `pull request #${pr.number} has no plan comment by tailnet-access for ${settings.config.shownAs}, so no ` +
          `plan of it was reviewed`,
      };
    const reviewed = readMarker(markerFields(comment.body, markerFor('plan', settings)) ?? {});
    if (reviewed === undefined) {
      return {
        reviewed: undefined,
        pr,
        why:
          `the plan comment on pull request #${pr.number} records no plan (its last plan failed, or it was made by ` +
          `an older tailnet-access)`,
      };
    }
    return { reviewed, pr };
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    return {
      reviewed: undefined,
      pr,
      why:
        `GitHub could not be read, so what was reviewed is unknown: ` +
        `${deniedWarning('', error, PERMISSION).replace(/^: /, '')}`,
    };
  }
}

/** The changes of `changes` (and the policy write) that no plan on the pull request showed, one line each. */
export function unreviewedChanges(
  review: Review,
  changes: readonly Change[],
  section: PolicyFilePlan | undefined,
): string[] {
  const policy = policyDigest(section);
  const write =
    section && policy
      ? [`${section.file}: the policy write (${section.diff.text.split('\n').length} lines of diff)`]
      : [];
  const reviewed = review.reviewed;
  if (reviewed === undefined) return [...changes.map(describeChange), ...write];
  if (reviewed.digest === changesDigest(changes, policy)) return [];
  const lines: string[] = [];
  for (const change of changes) {
    const was = reviewed.changes?.get(short(subjectDigest(change)));
    if (was === short(changeDigest(change))) continue;
    lines.push(
      `${describeChange(change)} — ` +
        `${was === undefined ? 'not in the reviewed plan' : 'differs from the change the reviewed plan showed'}`,
    );
  }
  if (policy && reviewed.policy !== short(policy))
    lines.push(`${section?.file ?? 'the policy file'}: the policy write differs from the reviewed one`);
  return lines;
}

const where = (review: Review): string => (review.pr ? `pull request #${review.pr.number}` : 'no pull request');

/**
 * The apply's guard (the hook `apply --plan` uses): under fail it refuses, before any write, a plan
 * with changes nobody reviewed; under warn it lets it through and remembers them for the report.
 */
export class ReviewGuard implements SavedPlanGuard {
  readonly rail = 'reviewed-plan' as const;
  /** The changes that nobody reviewed, as last planned (roles as first planned, groups as last read). */
  unreviewed: string[] = [];
  private roles: Change[] = [];
  constructor(
    readonly review: Review,
    readonly mode: OnUnreviewedChanges,
  ) {}

  private message(): string {
    const why =
      this.review.reviewed === undefined
        ? `${this.review.why}. `
        : `The plan differs from the one reviewed on ${where(this.review)}. `;
    return (
      `settings.onUnreviewedChanges is fail, and this apply would make changes that no plan showed. ${why}Not ` +
      `reviewed:\n${this.unreviewed.map((l) => `  ${l}`).join('\n')}\nOpen a pull request so its plan is reviewed, ` +
      `or set onUnreviewedChanges: warn.`
    );
  }

  refusal(plan: Plan, _live: unknown, section?: PolicyFilePlan): string | undefined {
    this.roles = plan.changes.filter((c) => !isGroupChange(c));
    this.unreviewed = unreviewedChanges(this.review, plan.changes, section);
    return this.mode === 'fail' && this.unreviewed.length > 0 ? this.message() : undefined;
  }

  groupsDiffer(plan: Plan, section?: PolicyFilePlan): string | undefined {
    this.unreviewed = unreviewedChanges(this.review, [...this.roles, ...plan.changes.filter(isGroupChange)], section);
    return this.mode === 'fail' && this.unreviewed.length > 0 ? this.message() : undefined;
  }
}

/** The job summary's and the PR comment's section on what was applied unreviewed. */
export function unreviewedMarkdown(guard: ReviewGuard, applied: boolean): string {
  const review = guard.review;
  const why =
    review.reviewed === undefined ? review.why : `the plan applied differs from the one shown on ${where(review)}`;
  const head = applied
    ? 'tailnet-access applied changes nobody reviewed'
    : 'tailnet-access refused changes nobody reviewed';
  const lines = guard.unreviewed.map((l) => `- ${inlineCode(l)}`).join('\n');
  const after = applied
    ? 'They were applied (settings.onUnreviewedChanges: warn).'
    : 'Nothing was written (settings.onUnreviewedChanges: fail).';
  return (
    `### ` +
    `${head}\n\n${escapeMarkdownInline(`${why.charAt(0).toUpperCase()}${why.slice(1)}`)}.\n\n${lines}\n\n${after}\n`
  );
}

export function logReview(guard: ReviewGuard): void {
  const review = guard.review;
  if (guard.unreviewed.length > 0) return;
  if (review.reviewed !== undefined)
    log.info(`The plan applied is the one reviewed on pull request #${review.pr.number}.`);
  else log.info(`Unreviewed push (${review.why}), but it applies no change.`);
}
