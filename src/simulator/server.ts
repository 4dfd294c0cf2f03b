// The simulator's HTTP server (node:http, loopback, port 0 by default). Each API request goes through
// the same steps: rate limit (429 + Retry-After), latency, a fault decided *before* the handler (so a
// faulted write is never applied), routing, authentication, tailnet and scope checks, the handler, and
// then optionally a fault *after* an applied write (the change stands, the answer is lost).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticate, checkTailnet, requireScope } from './auth.js';
import { SimClock } from './clock.js';
import type { Actor } from './credentials.js';
import { defaultFixture } from './default-fixture.js';
import { FaultInjector, TokenBucket, faultResponse } from './faults.js';
import { validateFixture } from './fixture.js';
import { ApiError, MESSAGES, errorResponse, json, text, type SimResponse } from './http.js';
import { RequestLog, authorizationKind } from './request-log.js';
import { Router, type RouteContext } from './router.js';
import { consentRoutes } from './routes/consent.js';
import { inviteRoutes } from './routes/invites.js';
import { keyRoutes } from './routes/keys.js';
import { oauthAppRoutes } from './routes/oauth-apps.js';
import { oauthTokenRoutes } from './routes/oauth.js';
import { policyRoutes } from './routes/policy.js';
import { settingsRoutes } from './routes/settings.js';
import { userStatusRoutes } from './routes/user-status.js';
import { userRoutes } from './routes/users.js';
import { SimulatorState } from './state.js';
import { DEFAULT_KNOBS, type FaultKind, type Fixture, type Knobs, type RequestLogEntry } from './types.js';

export interface SimulatorOptions {
  fixture?: Fixture;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  knobs?: Partial<Knobs>;
}

export interface Simulator {
  /** e.g. `http://127.0.0.1:41234`; the API is under `${url}/api/v2`. */
  readonly url: string;
  readonly apiBase: string;
  readonly state: SimulatorState;
  /** Read live on every request: change fields at any time. */
  readonly knobs: Knobs;
  readonly requests: RequestLog;
  readonly clock: SimClock;
  setKnobs(changes: Partial<Knobs>): void;
  /** Uses an auth key from the authorization-code flow, as `tailscale up --auth-key` would: true once. */
  useAuthKey(key: string): boolean;
  close(): Promise<void>;
}

const API_PREFIX = '/api/v2';
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const apiRouter = new Router([
  ...userRoutes,
  ...userStatusRoutes,
  ...inviteRoutes,
  ...policyRoutes,
  ...settingsRoutes,
  ...oauthAppRoutes,
  ...oauthTokenRoutes,
  ...keyRoutes,
]);
const pageRouter = new Router(consentRoutes);

type Outcome = SimResponse | 'reset';

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Whether a request may change state: validate and the token endpoints are POSTs that never do. */
function isWrite(method: string, apiPath: string): boolean {
  return WRITE_METHODS.has(method) && !apiPath.endsWith('/acl/validate') && !apiPath.startsWith('/oauth/');
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const fixture = validateFixture(
    options.fixture ?? defaultFixture(),
    options.fixture ? '(options.fixture)' : '(default fixture)',
  );
  const clock = new SimClock();
  const state = new SimulatorState(fixture, clock);
  const knobs: Knobs = { ...DEFAULT_KNOBS, withheldScopes: [], ...options.knobs };
  const requests = new RequestLog();
  const bucket = new TokenBucket();
  const faultsBefore = new FaultInjector();
  const faultsAfter = new FaultInjector();
  // Numbered on arrival; entries join the log when answered, so concurrent requests may log out of order.
  let arrivals = 0;

  async function route(
    router: Router,
    path: string,
    req: IncomingMessage,
    query: URLSearchParams,
    body: string,
    entry: RequestLogEntry,
  ): Promise<SimResponse> {
    const method = entry.method;
    const match = router.match(method, path);
    if (match === undefined) throw new ApiError(404, MESSAGES.notFound);
    if (match === 'method-not-allowed') throw new ApiError(405, `method ${method} is not allowed on ${path}`);
    let actor: Actor | undefined;
    if (match.route.scope !== null) {
      actor = authenticate(req.headers, state);
      entry.actor = actor.kind;
      checkTailnet(state, match.params.tailnet);
    }
    const context: RouteContext = {
      method,
      path,
      query,
      headers: req.headers,
      body,
      params: match.params,
      actor,
      state,
      knobs,
      clock,
      markApplied: () => {
        entry.applied = true;
      },
    };
    if (match.route.scope) requireScope(context, match.route.scope);
    return await match.route.handler(context);
  }

  async function answer(
    router: Router,
    path: string,
    req: IncomingMessage,
    query: URLSearchParams,
    body: string,
    entry: RequestLogEntry,
  ): Promise<SimResponse> {
    try {
      return await route(router, path, req, query, body, entry);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      const reason = error instanceof Error ? error.message : String(error);
      return json(500, { message: `simulator error: ${reason}` });
    }
  }

  function fault(kind: FaultKind, entry: RequestLogEntry): Outcome {
    entry.fault = kind;
    return kind === 'reset' ? 'reset' : faultResponse(kind);
  }

  async function handleApi(
    apiPath: string,
    req: IncomingMessage,
    query: URLSearchParams,
    body: string,
    entry: RequestLogEntry,
  ): Promise<Outcome> {
    const wait = bucket.take(knobs.rateLimit);
    if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
    if (wait !== undefined) return json(429, { message: MESSAGES.tooManyRequests }, { 'Retry-After': String(wait) });
    const before = faultsBefore.decide(knobs.faults, entry.method);
    if (before) return fault(before, entry);
    const response = await answer(apiRouter, apiPath, req, query, body, entry);
    if (entry.applied) {
      const after = faultsAfter.decide(knobs.faultsAfterWrite, entry.method);
      if (after) return fault(after, entry);
    }
    return response;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const isApi = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    const apiPath = isApi ? url.pathname.slice(API_PREFIX.length) || '/' : url.pathname;
    const write = isApi && isWrite(method, apiPath);
    const entry: RequestLogEntry = {
      seq: ++arrivals,
      time: clock.now(),
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      authorization: authorizationKind(req.headers.authorization),
      write,
      applied: false,
      durationMs: 0,
    };
    if (req.headers['if-match'] !== undefined) entry.ifMatch = req.headers['if-match'];
    if (req.headers['content-type'] !== undefined) entry.contentType = req.headers['content-type'];
    if (req.headers.accept !== undefined) entry.accept = req.headers.accept;
    let outcome: Outcome;
    try {
      const body = await readBody(req);
      if (write) entry.body = body;
      outcome = isApi
        ? await handleApi(apiPath, req, url.searchParams, body, entry)
        : await answer(pageRouter, apiPath, req, url.searchParams, body, entry);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      outcome = json(413, { message: `request body larger than ${MAX_BODY_BYTES} bytes` });
    }
    entry.durationMs = performance.now() - started;
    if (outcome === 'reset') {
      requests.add(entry);
      req.socket.destroy();
      return;
    }
    entry.status = outcome.status;
    requests.add(entry);
    res.writeHead(outcome.status, { ...outcome.headers, 'Content-Length': String(Buffer.byteLength(outcome.body)) });
    res.end(outcome.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) {
        const failure = text(500, `simulator error: ${reason}\n`, 'text/plain; charset=utf-8');
        res.writeHead(failure.status, failure.headers);
        res.end(failure.body);
      } else {
        res.destroy();
      }
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    apiBase: `${url}${API_PREFIX}`,
    state,
    knobs,
    requests,
    clock,
    setKnobs: (changes) => {
      Object.assign(knobs, changes);
    },
    useAuthKey: (key) => state.oauthApps.useAuthKey(key, clock.now()),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
