// The GitHub API through Octokit, as @actions/github builds it for a runner (GITHUB_API_URL, the
// runner's proxy settings), with the retry and throttling plugins: 5xx and network errors are tried
// again, rate limits are waited out as GitHub asks (Retry-After, x-ratelimit-reset) within bounds,
// with a warning, and whatever still fails becomes a GitHubApiError naming the call. The bounds and
// which statuses deserve another try are the product's one retry policy (src/retry-policy.ts).
// Loaded only by the modes that talk to GitHub, when they first do (src/action/github.ts).
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { RequestError } from '@octokit/request-error';
import pkg from '../../package.json' with { type: 'json' };
import { DEFAULT_RETRY, isRetryableStatus } from '../retry-policy.js';
import { redact } from '../secrets.js';
import { GitHubApiError, type GitHubFailure, type RepoRef } from './errors.js';

export type Octokit = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** `GITHUB_API_URL`: `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server. */
  baseUrl: string;
  repo: RepoRef;
  /** Said when a call waits for a rate limit. */
  warn: (message: string) => void;
  debug?: (message: string) => void;
  /** The first backoff of a retry after a 5xx or a network error; later ones grow with its square. Tests shorten it. */
  backoffMs?: number;
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  /**
   * The limiters that space writes (a second apart, notifying ones three, as GitHub asks of
   * integrations); default the plugin's own, shared by every client of the process. Tests replace them.
   */
  spacing?: Pick<ThrottlingOptions, 'write' | 'notifications'>;
}

export interface GitHubClient {
  readonly octokit: Octokit;
  readonly repo: RepoRef;
  /** Runs one call; a failure is a GitHubApiError whose message names `operation`. */
  call<R extends { data: unknown }>(operation: string, request: (octokit: Octokit) => Promise<R>): Promise<R['data']>;
  /** Every page of a listing (octokit.paginate), as long as the caller reads on. */
  pages<T>(operation: string, iterate: (octokit: Octokit) => AsyncIterable<{ data: T[] }>): AsyncGenerator<T[]>;
  /**
   * A GraphQL query that only reads, sent without the throttling plugin: it counts GraphQL among the
   * writes it spaces a second apart, which would hold up the comment that follows by that second.
   */
  query<T>(operation: string, query: string): Promise<T>;
}

/**
 * Statuses Octokit's retry plugin must leave alone: those the policy never retries, and 429, the throttling plugin's.
 */
const DO_NOT_RETRY = Array.from({ length: 200 }, (_, i) => 400 + i).filter(
  (status) => status === 429 || !isRetryableStatus(status),
);

// Options Octokit passes through to the request but that are no parameters of it.
const NOT_PARAMETERS = new Set(['method', 'url', 'baseUrl', 'headers', 'request', 'mediaType']);

function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
  return value;
}

/** The token never leaves GitHub's host: thrown before a request that would carry it elsewhere. */
class OffHostError extends Error {}

/**
 * A 429, or a 403 with Retry-After, is GitHub's secondary rate limit whether or not its message says
 * so (a primary one says x-ratelimit-remaining: 0). The throttling plugin knows a secondary limit by
 * those words only, so they are added where GitHub (or a proxy in front of it) left them out, and the
 * wait it asked for is honoured rather than refused.
 */
function asThrottled(error: unknown): unknown {
  if (!(error instanceof RequestError) || (error.status !== 429 && error.status !== 403)) return error;
  const headers = error.response?.headers ?? {};
  const limited = error.status === 429 || headers['retry-after'] !== undefined;
  if (limited && headers['x-ratelimit-remaining'] !== '0' && !/\bsecondary rate\b/i.test(error.message))
    error.message = `${error.message} (secondary rate limit)`;
  return error;
}

/**
 * A plugin for what every request needs before the retry and throttling plugins see it: no secret in
 * what is sent, the token kept on GitHub's host, a deadline per attempt, POST sent once. It is the
 * first of the plugins, so its hook wraps the request innermost and runs again for each attempt; it
 * changes the options object itself, which the plugins' hooks share.
 */
function guard(timeoutMs: number, origin: string) {
  return (octokit: { hook: Octokit['hook'] }): Record<string, never> => {
    octokit.hook.wrap('request', (request, options) => {
      const fields = options as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(fields)) if (!NOT_PARAMETERS.has(key)) fields[key] = redactDeep(value);
      // A next-page link (or any absolute URL) elsewhere would carry the token to that host.
      const url = String(options.url);
      if (/^https?:\/\//i.test(url) && new URL(url).origin !== origin) {
        throw new OffHostError(
          `refused to send the token to ${new URL(url).origin}, which is not the GitHub API (${origin})`,
        );
      }
      // POST creates: after a lost answer a second copy would be a second comment or issue. (A rate
      // limit refuses without acting, so the throttling plugin still waits and sends it again.) A
      // GraphQL query is a POST that only reads.
      const creates = options.method === 'POST' && url !== '/graphql';
      options.request = {
        ...options.request,
        ...(creates ? { retries: 0 } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      };
      return Promise.resolve(request(options)).catch((error: unknown) => {
        throw asThrottled(error);
      });
    });
    return {};
  };
}

function headersOf(error: RequestError): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(error.response?.headers ?? {}))
    headers[name.toLowerCase()] = value === undefined ? undefined : String(value);
  return headers;
}

function errorLine(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  if (typeof entry !== 'object' || entry === null) return JSON.stringify(entry);
  const { message, resource, field, code } = entry as Record<string, unknown>;
  const where = [resource, field].filter((part) => typeof part === 'string' && part !== '').join('.');
  const what =
    typeof message === 'string' && message !== '' ? message : typeof code === 'string' ? code : JSON.stringify(entry);
  return where === '' ? what : `${where}: ${what}`;
}

/** What a failed call came back with, from Octokit's RequestError or whatever stopped it. */
export function failureOf(error: unknown): GitHubFailure {
  if (error instanceof RequestError && error.response !== undefined) {
    const data: unknown = error.response.data;
    const body = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    // Redacted before it is cut to size, so the head of a secret that straddles the cut cannot survive.
    const text = typeof data === 'string' ? redact(data).trim().slice(0, 200) : '';
    const message =
      typeof body.message === 'string' && body.message !== '' ? body.message : text || `HTTP ${error.status}`;
    const errors = Array.isArray(body.errors) ? body.errors.map(errorLine) : [];
    const documentationUrl = typeof body.documentation_url === 'string' ? body.documentation_url : undefined;
    return { status: error.status, message, errors, documentationUrl, headers: headersOf(error) };
  }
  if (error instanceof OffHostError) return { status: 0, message: error.message, errors: [], headers: {} };
  const cause =
    error instanceof Error && error.cause instanceof Error && !error.message.includes(error.cause.message)
      ? `: ${error.cause.message}`
      : '';
  const reason = error instanceof Error ? `${error.message}${cause}` : String(error);
  return { status: 0, message: `no answer from GitHub (${reason})`, errors: [], headers: {} };
}

const withinPolicy = (retryAfterSeconds: number, retryCount: number): boolean =>
  retryCount < DEFAULT_RETRY.maxAttempts - 1 && retryAfterSeconds * 1000 <= DEFAULT_RETRY.maxRetryAfterMs;

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const origin = new URL(options.baseUrl).origin;
  const waitOrNot =
    (kind: string) =>
    (
      retryAfter: number,
      request: Parameters<Octokit['request']['endpoint']['parse']>[0],
      octokit: { request: Octokit['request'] },
      retryCount: number,
    ): boolean => {
      const { method, url } = octokit.request.endpoint.parse(request);
      const call = `${method} ${url.startsWith(origin) ? url.slice(origin.length) : url}`;
      if (!withinPolicy(retryAfter, retryCount)) {
        options.debug?.(
          `GitHub's ${kind} for ${call}: asked to wait ${retryAfter} s, more than tailnet-access waits; giving up`,
        );
        return false;
      }
      options.warn(
        `GitHub's ${kind} was hit by ${call}; waiting ${retryAfter} s as GitHub asks, then trying again (retry ` +
          `${retryCount + 1} of ${DEFAULT_RETRY.maxAttempts - 1})`,
      );
      return true;
    };
  const octokitOptions: NonNullable<Parameters<typeof getOctokit>[1]> = {
    baseUrl: options.baseUrl,
    userAgent: `tailnet-access/${pkg.version}`,
    log: {
      debug: (m: string) => options.debug?.(m),
      info: (m: string) => options.debug?.(m),
      warn: options.warn,
      error: options.warn,
    },
    retry: {
      retries: DEFAULT_RETRY.maxAttempts - 1,
      doNotRetry: DO_NOT_RETRY,
      retryAfterBaseValue: options.backoffMs ?? DEFAULT_RETRY.baseDelayMs,
    },
    throttle: {
      onRateLimit: waitOrNot('rate limit'),
      onSecondaryRateLimit: waitOrNot('secondary rate limit'),
      ...options.spacing,
    },
  };
  const guarded = guard(options.timeoutMs ?? 30_000, origin);
  const octokit = getOctokit(options.token, octokitOptions, guarded, retry, throttling);
  const { throttle: _throttle, ...readerOptions } = octokitOptions;
  const reader = getOctokit(options.token, readerOptions, guarded, retry);
  const failure = (operation: string, error: unknown): GitHubApiError =>
    error instanceof GitHubApiError ? error : new GitHubApiError(operation, failureOf(error));
  const fail = (operation: string, error: unknown): never => {
    throw failure(operation, error);
  };
  return {
    octokit,
    repo: options.repo,
    async call(operation, request) {
      try {
        return (await request(octokit)).data;
      } catch (error) {
        return fail(operation, error);
      }
    },
    async query(operation, query) {
      try {
        return await reader.graphql(query);
      } catch (error) {
        return fail(operation, error);
      }
    },
    async *pages(operation, iterate) {
      try {
        for await (const page of iterate(octokit)) yield page.data;
      } catch (error) {
        fail(operation, error);
      }
    },
  };
}
