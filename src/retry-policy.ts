// When to try an HTTP request again, and how long to wait first: the one policy of every call the
// product makes. The Tailscale transport runs it as its loop (src/tailscale/http.ts); the GitHub
// client hands the same bounds and the same answer to "is this status worth another try" to Octokit's
// retry and throttling plugins (src/github/client.ts). Pure functions, so the policy can be tested
// without a network.

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The first backoff ceiling; it doubles with each attempt. */
  baseDelayMs: number;
  /** The backoff ceiling never grows past this. */
  maxDelayMs: number;
  /** A server's `Retry-After` is honoured up to this; a CI job should not sleep for an hour. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
};

/** Exponential backoff with full jitter: uniform in [0, min(max, base · 2^(attempt-1))]. */
export function backoffDelay(failedAttempt: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(random() * ceiling);
}

/** `Retry-After` as milliseconds to wait: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  // Whole seconds per RFC 9110; a fraction is read too, as Date.parse would take "1.5" for a date.
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export function delayBeforeRetry(
  failedAttempt: number,
  retryAfter: string | undefined,
  options: RetryOptions,
  random: () => number,
  now: number,
): number {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== undefined) return Math.min(asked, options.maxRetryAfterMs);
  return backoffDelay(failedAttempt, options, random);
}

/**
 * 429 and 5xx may succeed later. 501 and 505 will not. Everything else in 4xx is an answer about the
 * request itself (and 412 in particular needs a fresh read, not a replay).
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

export interface NetworkFailure {
  code: string;
  reason: string;
  /** A transient fault (reset, timeout) rather than a configuration one (unknown host, bad certificate). */
  transient: boolean;
}

const TRANSIENT: Record<string, string> = {
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  ECONNABORTED: 'the connection was aborted',
  ETIMEDOUT: 'the connection timed out',
  EAI_AGAIN: 'the host name could not be resolved just now',
  UND_ERR_SOCKET: 'the server closed the connection (socket hang up)',
  UND_ERR_CLOSED: 'the connection was closed',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the server sent no answer in time',
  UND_ERR_BODY_TIMEOUT: 'the server stopped sending its answer',
};

const PERMANENT: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (nothing listens there)',
  ENOTFOUND: 'the host name does not resolve',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
};

function codeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function classifyNetworkError(error: unknown, timedOutAfterMs?: number): NetworkFailure {
  if (timedOutAfterMs !== undefined) {
    return { code: 'TIMEOUT', reason: `no complete answer within ${timedOutAfterMs / 1000} s`, transient: true };
  }
  const code = codeOf(error) ?? 'UNKNOWN';
  const transient = TRANSIENT[code];
  if (transient) return { code, reason: `${transient} (${code})`, transient: true };
  const permanent = PERMANENT[code];
  if (permanent) return { code, reason: `${permanent} (${code})`, transient: false };
  if (/socket hang up|other side closed/i.test(messageOf(error))) {
    return { code, reason: 'the server closed the connection (socket hang up)', transient: true };
  }
  return { code, reason: messageOf(error), transient: false };
}
