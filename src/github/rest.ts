// A thin client for the handful of GitHub REST calls the action makes (comments, issues, deployments
// and a file's contents), on
// Node's built-in fetch. Octokit would bring hundreds of endpoint definitions and a second HTTP stack
// into a bundle whose start-up time is part of every workflow run; these few calls need neither.
// Every body sent is passed through redact(), so no registered secret can be posted by accident.
import { setTimeout as sleep } from 'node:timers/promises';
import { redact } from '../secrets.js';

/** GitHub refuses comment and issue bodies over 65,536 characters; this leaves room to spare. */
export const MAX_BODY_LENGTH = 65_000;

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface GitHubRestOptions {
  /** `GITHUB_API_URL`: `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server. */
  apiUrl: string;
  token: string;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  /** Pause before the first retry, doubled after; default 1 s. Tests shorten it. */
  retryDelayMs?: number;
}

export type GitHubMethod = 'GET' | 'POST' | 'PATCH';

/** GitHub answered with a failure status (or not at all). The message says what to do when we can tell. */
export class GitHubApiError extends Error {
  readonly status: number;
  readonly operation: string;
  /** From `x-accepted-github-permissions`, in workflow spelling: `issues: write`. */
  readonly neededPermission?: string;
  constructor(operation: string, status: number, detail: string, neededPermission?: string) {
    const hint = permissionHint(status, neededPermission);
    super(redact(`GitHub API: cannot ${operation}: ${detail}${hint ? ` — ${hint}` : ''}`));
    this.name = 'GitHubApiError';
    this.status = status;
    this.operation = operation;
    if (neededPermission !== undefined) this.neededPermission = neededPermission;
  }
}

function permissionHint(status: number, permission: string | undefined): string | undefined {
  if (status === 401) return 'the github-token input is not a valid token';
  if (status !== 403 && status !== 404) return undefined;
  if (permission === undefined) return status === 403 ? 'the token lacks a permission this call needs' : undefined;
  return `the token lacks "${permission}": add \`permissions: { ${permission} }\` to the job`;
}

/**
 * A failed call as a warning: the message, and the permission the job needs when GitHub did not name
 * it (a 403 or 404 without `x-accepted-github-permissions`: a token without the permission cannot tell
 * a forbidden resource from a missing one).
 */
export function deniedWarning(what: string, error: GitHubApiError, permission: string): string {
  return `${what}: ${withPermission(error, permission)}`;
}

/** The error's message, and the permission the job needs when GitHub did not name it. */
export function withPermission(error: GitHubApiError, permission: string): string {
  const denied = (error.status === 403 || error.status === 404) && error.neededPermission === undefined;
  return `${error.message}${denied ? ` (this needs \`permissions: ${permission}\` in the workflow)` : ''}`;
}

/** `issues=write; pull_requests=write` -> `issues: write` (the first set, as a workflow spells it). */
export function neededPermission(header: string | null): string | undefined {
  const first = header?.split(';')[0]?.split(',')[0]?.trim();
  const match = first ? /^([a-z_]+)=([a-z]+)$/.exec(first) : null;
  return match ? `${(match[1] as string).replace(/_/g, '-')}: ${match[2] as string}` : undefined;
}

/** The URL of the next page from a `Link` header, or undefined on the last page. */
export function nextPageUrl(link: string | null): string | undefined {
  for (const part of link?.split(',') ?? []) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

// Only idempotent calls are retried, and only for answers that say "try again later".
const RETRYABLE = new Set([500, 502, 503, 504]);
const ATTEMPTS = 3;
// The most pages read while searching for a comment or an issue: 10,000 items.
const MAX_PAGES = 100;

export class GitHubRest {
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retryDelayMs: number;

  constructor(options: GitHubRestOptions) {
    this.base = new URL(options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`);
    this.headers = {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${options.token}`,
      'user-agent': 'tailnet-access-action',
      'x-github-api-version': '2022-11-28',
    };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  /** `path` is below the API root and already escaped, e.g. `repos/o/r/issues/1/comments`. */
  async request<T>(operation: string, method: GitHubMethod, path: string, body?: unknown): Promise<T> {
    const response = await this.send(operation, method, this.url(path), body);
    return (await response.json()) as T;
  }

  /** A GET whose answer is text in the media type `accept` names, e.g. a file's raw bytes as UTF-8. */
  async text(operation: string, path: string, accept: string): Promise<string> {
    const response = await this.send(operation, 'GET', this.url(path), undefined, accept);
    return response.text();
  }

  /** Every page of a list, 100 items a page, following the `Link` header; a caller that has found what it wants stops reading. */
  async *pages<T>(operation: string, path: string): AsyncGenerator<T[]> {
    const first = this.url(path);
    first.searchParams.set('per_page', '100');
    let url: URL | undefined = first;
    for (let page = 0; url !== undefined && page < MAX_PAGES; page++) {
      const response = await this.send(operation, 'GET', url);
      yield (await response.json()) as T[];
      const next = nextPageUrl(response.headers.get('link'));
      url = next === undefined ? undefined : this.sameOrigin(next, operation);
    }
  }

  private url(path: string): URL {
    return new URL(path.replace(/^\//, ''), this.base);
  }

  // The token goes only to the API's own host: a Link header pointing elsewhere is refused.
  private sameOrigin(next: string, operation: string): URL {
    const url = new URL(next, this.base);
    if (url.origin !== this.base.origin) {
      throw new GitHubApiError(operation, 0, `the next page is on another host (${url.origin}); refusing to send the token there`);
    }
    return url;
  }

  private async send(operation: string, method: GitHubMethod, url: URL, body?: unknown, accept?: string): Promise<Response> {
    const payload = body === undefined ? undefined : redact(JSON.stringify(body));
    const headers = { ...this.headers, ...(accept === undefined ? {} : { accept }), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) };
    // POST creates: a second copy after a lost answer would be a duplicate comment or issue.
    const attempts = method === 'POST' ? 1 : ATTEMPTS;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, { method, headers, body: payload ?? null, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (error) {
        if (attempt < attempts) {
          await sleep(this.retryDelayMs * 2 ** (attempt - 1));
          continue;
        }
        const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        throw new GitHubApiError(operation, 0, `no answer from ${url.host} (${reason})`);
      }
      if (response.ok) return response;
      if (RETRYABLE.has(response.status) && attempt < attempts) {
        await response.body?.cancel();
        await sleep(this.retryDelayMs * 2 ** (attempt - 1));
        continue;
      }
      throw new GitHubApiError(operation, response.status, await describeFailure(response), neededPermission(response.headers.get('x-accepted-github-permissions')));
    }
  }
}

async function describeFailure(response: Response): Promise<string> {
  const text = await response.text();
  let message: string | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'message' in parsed && typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // Not JSON (a proxy's error page): show its start.
  }
  return `${response.status} ${message ?? (text.slice(0, 200).trim() || response.statusText)}`;
}

/** `owner/repo` path segments, escaped. */
export function repoPath(repo: RepoRef): string {
  return `repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.repo)}`;
}
