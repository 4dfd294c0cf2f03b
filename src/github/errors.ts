// A GitHub API call that failed, in words a workflow author can act on: what the call was for, what
// GitHub said (its message, each entry of `errors[]`, the documentation link), and what it means. A
// 403 or 429 is "rate limited" or "permission missing" only when GitHub's headers say so; otherwise
// the message is GitHub's own, without a guess. No runtime dependency, so reporting a failure never
// loads Octokit.
import { redact } from '../secrets.js';

/** GitHub refuses comment and issue bodies over 65,536 characters; this leaves room to spare. */
export const MAX_BODY_LENGTH = 65_000;

export interface RepoRef {
  owner: string;
  repo: string;
}

/** What came back from a failed call, read off Octokit's RequestError (or the lack of an answer). */
export interface GitHubFailure {
  /** 0 when no answer came. */
  status: number;
  /** GitHub's `message`; without an answer, why there was none. */
  message: string;
  /** `errors[]` of a 422 and the like, one line each. */
  errors: string[];
  documentationUrl?: string | undefined;
  /** Lower-case names. */
  headers: Readonly<Record<string, string | undefined>>;
}

export interface RateLimit {
  /** `primary`: the token's hourly quota is used up; `secondary`: too much too fast. */
  kind: 'primary' | 'secondary';
  /** When the quota comes back (`x-ratelimit-reset`). */
  resetsAt?: Date;
  /** What GitHub asked for (`retry-after`), in seconds. */
  retryAfterSeconds?: number;
}

/** The rate limit a failure reports, from its headers and message only. */
export function rateLimitOf(failure: GitHubFailure): RateLimit | undefined {
  if (failure.status !== 403 && failure.status !== 429) return undefined;
  const { headers } = failure;
  const retryAfter = Number(headers['retry-after']);
  const limit: Partial<RateLimit> =
    Number.isFinite(retryAfter) && headers['retry-after'] !== undefined ? { retryAfterSeconds: retryAfter } : {};
  if (headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    return {
      kind: 'primary',
      ...limit,
      ...(Number.isFinite(reset) && reset > 0 ? { resetsAt: new Date(reset * 1000) } : {}),
    };
  }
  if (
    /\bsecondary rate limit\b/i.test(failure.message) ||
    failure.status === 429 ||
    limit.retryAfterSeconds !== undefined
  ) {
    return { kind: 'secondary', ...limit };
  }
  return undefined;
}

/** `issues=write; pull_requests=write` -> `issues: write` (the first set, as a workflow spells it). */
export function neededPermission(header: string | undefined): string | undefined {
  const first = header?.split(';')[0]?.split(',')[0]?.trim();
  const match = first ? /^([a-z_]+)=([a-z]+)$/.exec(first) : null;
  return match ? `${(match[1] as string).replace(/_/g, '-')}: ${match[2] as string}` : undefined;
}

const at = (date: Date): string => `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

function minutesFrom(date: Date, now: number): string {
  const minutes = Math.max(0, Math.ceil((date.getTime() - now) / 60_000));
  return minutes === 1 ? 'in 1 minute' : `in ${minutes} minutes`;
}

export function rateLimitHint(limit: RateLimit, now: number = Date.now()): string {
  if (limit.kind === 'primary') {
    const when = limit.resetsAt ? ` until ${at(limit.resetsAt)} (${minutesFrom(limit.resetsAt, now)})` : '';
    return `rate limited: the token's API rate limit is used up${when}; run the job again after that`;
  }
  const wait = limit.retryAfterSeconds === undefined ? '' : `; GitHub asks to wait ${limit.retryAfterSeconds} s`;
  return (
    `rate limited: GitHub's secondary rate limit (too many requests in a short time)${wait}; run the job again ` +
    `later`
  );
}

function hintFor(
  failure: GitHubFailure,
  limit: RateLimit | undefined,
  permission: string | undefined,
  now: number,
): string | undefined {
  if (limit !== undefined) return rateLimitHint(limit, now);
  if (failure.status === 401) return 'the github-token input is not a valid token';
  if ((failure.status === 403 || failure.status === 404) && permission !== undefined) {
    return `permission missing: the token lacks "${permission}"; add \`permissions: { ${permission} }\` to the job`;
  }
  return undefined;
}

function detailOf(failure: GitHubFailure): string {
  if (failure.status === 0) return failure.message;
  const errors = failure.errors.length > 0 ? `: ${failure.errors.join('; ')}` : '';
  return `${failure.status} ${failure.message}${errors}`;
}

/** GitHub answered with a failure status (or not at all). */
export class GitHubApiError extends Error {
  readonly status: number;
  readonly operation: string;
  /** From `x-accepted-github-permissions`, in workflow spelling: `issues: write`. */
  readonly neededPermission: string | undefined;
  readonly rateLimit: RateLimit | undefined;
  readonly errors: readonly string[];
  readonly documentationUrl: string | undefined;
  constructor(operation: string, failure: GitHubFailure, now: number = Date.now()) {
    const permission = neededPermission(failure.headers['x-accepted-github-permissions']);
    const limit = rateLimitOf(failure);
    const hint = hintFor(failure, limit, permission, now);
    const docs = failure.documentationUrl ? ` (${failure.documentationUrl})` : '';
    super(redact(`GitHub API: cannot ${operation}: ${detailOf(failure)}${hint ? ` — ${hint}` : ''}${docs}`));
    this.name = 'GitHubApiError';
    this.status = failure.status;
    this.operation = operation;
    this.neededPermission = permission;
    this.rateLimit = limit;
    this.errors = failure.errors;
    this.documentationUrl = failure.documentationUrl;
  }
}

/**
 * The error's message, and the permission the call needs when GitHub refused it without naming one (a
 * token without a permission cannot tell a forbidden resource from a missing one, so GitHub answers
 * 404 too). A rate limit is no matter of permissions and gets no such line.
 */
export function withPermission(error: GitHubApiError, permission: string): string {
  const refused =
    (error.status === 403 || error.status === 404) &&
    error.neededPermission === undefined &&
    error.rateLimit === undefined;
  return `${error.message}${refused ? ` (this call needs \`permissions: ${permission}\` in the workflow)` : ''}`;
}

/** A failed call as a warning: what could not be done, and why. */
export function deniedWarning(what: string, error: GitHubApiError, permission: string): string {
  return `${what}: ${withPermission(error, permission)}`;
}

/** Storing an Actions secret failed; the message says what to do. `status` is absent when no answer came. */
export class ActionsSecretError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(redact(message));
    this.name = 'ActionsSecretError';
    this.status = status;
  }
}
