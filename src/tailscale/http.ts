// The transport under every API call: one keep-alive undici EnvHttpProxyAgent per client (so
// HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured as on any self-hosted runner), a deadline per
// attempt, every attempt through the client's rate gate (rate-gate.ts: one pause, pace and window for
// all its requests), and retries with backoff (src/retry-policy.ts decides when and how long). The loop is our
// own rather than undici's retry interceptor because each attempt must ask for the current access
// token, count in the client's stats and events, and follow the policy's rule for requests that are
// not idempotent (a 429 is sent again, a reset POST is not). It returns every answer it got, success
// or not; the client turns a failed answer into a typed error, because only it knows which call it
// was making and what the failure means for it.
import { performance } from 'node:perf_hooks';
import { EnvHttpProxyAgent } from 'undici';
import { redact } from '../secrets.js';
import { ClientUsageError, TailscaleNetworkError } from './errors.js';
import type { CallSite } from './errors.js';
import {
  backoffDelay,
  classifyNetworkError,
  DEFAULT_RETRY,
  delayBeforeRetry,
  isRetryableStatus,
} from '../retry-policy.js';
import type { NetworkFailure, RetryOptions } from '../retry-policy.js';
import { DEFAULT_GATE, RateGate, type GateEntry, type GateSettings } from './rate-gate.js';
import { defaultUserAgent } from './user-agent.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface ApiRequest {
  /** In words, for errors and events: "list users". */
  operation: string;
  method: HttpMethod;
  /** Below the API root (`/api/v2`), every segment already escaped: `/tailnet/-/users`. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Default `application/json`; null sends no Accept header at all. */
  accept?: string | null;
  body?: string;
  /**
   * Whether a second copy is harmless. After a network error or a 5xx the first copy may have been
   * applied, so only idempotent requests are sent again then; a 429 is always retried, because the
   * server refused the request without acting on it.
   */
  idempotent: boolean;
  /** Called before each attempt, so an access token refreshed in between is used. */
  authorization?: () => Promise<string>;
}

export interface ApiResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
  attempts: number;
  /** The Authorization value the last attempt carried, so a 401 invalidates exactly that token. */
  authorization?: string;
}

interface EventBase {
  /** One per `send`, shared by its attempts. */
  id: number;
  operation: string;
  method: HttpMethod;
  /** The full path without the query. */
  path: string;
  attempt: number;
}
export interface RequestStartEvent extends EventBase {
  type: 'request-start';
}
export interface RequestEndEvent extends EventBase {
  type: 'request-end';
  durationMs: number;
  status?: number;
  /** Set instead of `status` when no answer came. */
  error?: string;
  bytesSent: number;
  bytesReceived: number;
}
export interface RetryEvent extends EventBase {
  type: 'retry';
  delayMs: number;
  /** The status (`"429"`) or network error code (`"ECONNRESET"`) that caused the retry. */
  reason: string;
}
/** For logs and benchmarks. Carries no header, body or secret. */
export type ClientEvent = RequestStartEvent | RequestEndEvent | RetryEvent;

export interface ClientStats {
  /** HTTP requests sent, retries and token requests included. */
  requests: number;
  retries: number;
  rateLimited: number;
  bytesSent: number;
  bytesReceived: number;
}

export interface TransportOptions {
  baseUrl: string;
  userAgent: string;
  timeoutMs: number;
  retry: RetryOptions;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  gate: GateSettings;
  onEvent?: (event: ClientEvent) => void;
}

/** What a caller may set; everything else has a default. */
export interface TransportSettings {
  /** Default `https://api.tailscale.com`; the API root is `${baseUrl}/api/v2`. */
  baseUrl?: string;
  userAgent?: string;
  /** Per attempt, default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** In [0, 1); for jitter. Injectable so tests are deterministic. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Epoch milliseconds; for token expiry, `Retry-After` dates and the rate gate's pace. */
  now?: () => number;
  /** The rate gate's window of requests in flight: where it starts and how far it may grow. */
  gate?: Partial<GateSettings>;
  /** Must not throw. */
  onEvent?: (event: ClientEvent) => void;
}

export const DEFAULT_BASE_URL = 'https://api.tailscale.com';

export function transportOptions(settings: TransportSettings): TransportOptions {
  const options: TransportOptions = {
    baseUrl: settings.baseUrl ?? DEFAULT_BASE_URL,
    userAgent: settings.userAgent ?? defaultUserAgent(),
    timeoutMs: settings.timeoutMs ?? 30_000,
    retry: { ...DEFAULT_RETRY, ...settings.retry },
    random: settings.random ?? Math.random,
    sleep: settings.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: settings.now ?? Date.now,
    gate: { ...DEFAULT_GATE, ...settings.gate },
  };
  if (settings.onEvent) options.onEvent = settings.onEvent;
  if (!(options.retry.maxAttempts >= 1)) throw new ClientUsageError('retry.maxAttempts must be at least 1');
  if (!(options.timeoutMs > 0)) throw new ClientUsageError('timeoutMs must be a positive number of milliseconds');
  return options;
}

type Outcome =
  | { kind: 'answer'; status: number; headers: Record<string, string>; text: string }
  | { kind: 'no-answer'; failure: NetworkFailure; error: unknown };

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Accepts `https://api.tailscale.com`, with or without a trailing `/` or `/api/v2`. */
function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ClientUsageError(
      `the Tailscale base URL "${baseUrl}" is not a URL; expected e.g. https://api.tailscale.com`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ClientUsageError(
      `the Tailscale base URL "${baseUrl}" must start with https:// (or http:// for a local simulator)`,
    );
  }
  return url;
}

export class Transport {
  readonly host: string;
  readonly stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, bytesSent: 0, bytesReceived: 0 };
  /** Every attempt passes it: one budget for all of this client's requests (see rate-gate.ts). */
  readonly gate: RateGate;
  private readonly origin: string;
  private readonly root: string;
  private readonly agent: EnvHttpProxyAgent;
  private nextId = 1;
  private abandoned = false;

  constructor(private readonly options: TransportOptions) {
    const url = parseBaseUrl(options.baseUrl);
    this.origin = url.origin;
    this.host = url.host;
    this.root = `${url.pathname.replace(/\/+$/, '').replace(/\/api\/v2$/, '')}/api/v2`;
    this.gate = new RateGate({ now: options.now, sleep: options.sleep }, options.gate);
    // Our own deadline covers each attempt; undici's (300 s by default) must never be the shorter one.
    // As many connections as the gate may let requests in flight, and no more.
    this.agent = new EnvHttpProxyAgent({
      connections: options.gate.maxConcurrency,
      keepAliveTimeout: 10_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: options.timeoutMs },
    });
  }

  /** The path as sent and as errors show it: `/api/v2/tailnet/-/users`. */
  fullPath(path: string): string {
    return this.root + path;
  }

  async send(request: ApiRequest): Promise<ApiResponse> {
    this.gate.begin();
    try {
      return await this.sendThroughGate(request);
    } finally {
      this.gate.end();
    }
  }

  private async sendThroughGate(request: ApiRequest): Promise<ApiResponse> {
    const id = this.nextId++;
    const { retry } = this.options;
    const site: CallSite = { operation: request.operation, method: request.method, path: this.fullPath(request.path) };
    let entry: GateEntry = {};
    for (let attempt = 1; ; attempt++) {
      // The token is fetched before the gate is entered: its own request passes the gate too.
      const authorization = request.authorization ? await request.authorization() : undefined;
      const pass = await this.gate.enter(entry);
      if (this.abandoned) throw this.abandonedError(site);
      const outcome = await this.attempt(request, site, id, attempt, authorization);
      if (this.abandoned) throw this.abandonedError(site);
      let delayMs: number;
      let reason: string;
      if (outcome.kind === 'answer' && outcome.status === 429) {
        this.stats.rateLimited++;
        const asked = delayBeforeRetry(
          attempt,
          outcome.headers['retry-after'],
          retry,
          this.options.random,
          this.options.now(),
        );
        // The pause holds every request of this client back, this one's retry included.
        const wait = this.gate.limited(pass, asked);
        if (attempt >= retry.maxAttempts) return this.response(outcome, attempt, authorization);
        delayMs = wait.delayMs;
        reason = '429';
        entry = { retry: true, waitedUntil: wait.until };
      } else if (outcome.kind === 'answer') {
        this.gate.leave(pass, outcome.status);
        if (!(request.idempotent && isRetryableStatus(outcome.status)) || attempt >= retry.maxAttempts)
          return this.response(outcome, attempt, authorization);
        delayMs = delayBeforeRetry(
          attempt,
          outcome.headers['retry-after'],
          retry,
          this.options.random,
          this.options.now(),
        );
        reason = String(outcome.status);
        entry = { retry: true };
      } else {
        this.gate.leave(pass, undefined);
        const { failure } = outcome;
        if (!failure.transient || !request.idempotent || attempt >= retry.maxAttempts) {
          throw new TailscaleNetworkError(site, {
            host: this.host,
            code: failure.code,
            reason: failure.reason,
            attempts: attempt,
            cause: outcome.error,
          });
        }
        delayMs = backoffDelay(attempt, retry, this.options.random);
        reason = failure.code;
        entry = { retry: true };
      }
      this.stats.retries++;
      this.emit({
        type: 'retry',
        id,
        operation: site.operation,
        method: request.method,
        path: site.path,
        attempt,
        delayMs,
        reason,
      });
      await this.options.sleep(delayMs);
    }
  }

  private response(
    outcome: { status: number; headers: Record<string, string>; text: string },
    attempts: number,
    authorization: string | undefined,
  ): ApiResponse {
    const { status, headers, text } = outcome;
    return authorization === undefined
      ? { status, headers, text, attempts }
      : { status, headers, text, attempts, authorization };
  }

  private async attempt(
    request: ApiRequest,
    site: CallSite,
    id: number,
    attempt: number,
    authorization: string | undefined,
  ): Promise<Outcome> {
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent, ...request.headers };
    const accept = request.accept === undefined ? 'application/json' : request.accept;
    if (accept !== null) headers.accept = accept;
    if (authorization !== undefined) headers.authorization = authorization;
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
    const bytesSent = request.body === undefined ? 0 : Buffer.byteLength(request.body);
    const base = { id, operation: site.operation, method: request.method, path: site.path, attempt };
    this.stats.requests++;
    this.stats.bytesSent += bytesSent;
    this.emit({ type: 'request-start', ...base });
    const started = performance.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.timeoutMs);
    try {
      const answer = await this.agent.request({
        origin: this.origin,
        path: site.path + query,
        method: request.method,
        headers,
        body: request.body ?? null,
        signal: deadline.signal,
      });
      const bytes = Buffer.from(await answer.body.arrayBuffer());
      this.stats.bytesReceived += bytes.length;
      const end = { durationMs: performance.now() - started, bytesSent, bytesReceived: bytes.length };
      this.emit({ type: 'request-end', ...base, ...end, status: answer.statusCode });
      return {
        kind: 'answer',
        status: answer.statusCode,
        headers: flattenHeaders(answer.headers),
        text: bytes.toString('utf8'),
      };
    } catch (error) {
      const failure = classifyNetworkError(error, deadline.signal.aborted ? this.options.timeoutMs : undefined);
      const end = { durationMs: performance.now() - started, bytesSent, bytesReceived: 0 };
      this.emit({ type: 'request-end', ...base, ...end, error: redact(failure.reason) });
      return { kind: 'no-answer', failure, error };
    } finally {
      clearTimeout(timer);
    }
  }

  private emit(event: ClientEvent): void {
    this.options.onEvent?.(event);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /**
   * Closes now, requests in flight cut off and none retried: for reads started early whose answers
   * will not be used (the file they were started for turned out to be wrong). They reject, quietly.
   */
  async abandon(): Promise<void> {
    this.abandoned = true;
    await this.agent.destroy();
  }

  private abandonedError(site: CallSite): ClientUsageError {
    return new ClientUsageError(
      `${site.method} ${site.path} (${site.operation}) was abandoned: its answer is no longer needed`,
    );
  }
}
