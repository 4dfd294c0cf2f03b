// A route table: method + path pattern (`/tailnet/:tailnet/users`) -> handler, with the scope the
// route needs. Patterns are split once; matching is a walk over segments, so lookup cost does not
// grow with request size.
import type { IncomingHttpHeaders } from 'node:http';
import type { SimClock } from './clock.js';
import type { Actor } from './credentials.js';
import type { SimResponse } from './http.js';
import type { SimulatorState } from './state.js';
import type { Knobs } from './types.js';

export interface RouteContext {
  method: string;
  /** The path below `/api/v2`, e.g. `/tailnet/-/acl`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** Decoded path parameters. */
  params: Record<string, string>;
  /** Set for every route that needs a credential. */
  actor: Actor | undefined;
  state: SimulatorState;
  knobs: Knobs;
  clock: SimClock;
  /** Records that this request changed state (for the log, and for faults after a write). */
  markApplied(): void;
}

export interface Route {
  method: string;
  pattern: string;
  /** The scope the route needs; null for the unauthenticated token endpoints; '' when the handler checks it. */
  scope: string | null;
  handler(context: RouteContext): SimResponse | Promise<SimResponse>;
}

interface Compiled {
  route: Route;
  segments: string[];
}

export type RouteMatch = { route: Route; params: Record<string, string> } | 'method-not-allowed' | undefined;

export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: Route[]) {
    this.compiled = routes.map((route) => ({ route, segments: route.pattern.split('/').slice(1) }));
  }

  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').slice(1);
    let pathMatched = false;
    for (const { route, segments } of this.compiled) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      if (route.method === method) return { route, params };
      pathMatched = true;
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    const part = parts[i] ?? '';
    if (segment.startsWith(':')) {
      if (part === '') return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (segment !== part) {
      return undefined;
    }
  }
  return params;
}
