// Injected trouble: seeded faults and a token-bucket rate limit.
// Faults draw from a PRNG seeded by the knob, one draw per eligible request, so the same seed and the
// same request sequence give the same faults. Setting a new `faults` object restarts the sequence.
// The rate limit uses real time (performance.now), not the simulated clock, because it exists to
// test how a client paces itself in real time.
import { performance } from 'node:perf_hooks';
import type { FaultConfig, FaultKind, RateLimit } from './types.js';
import type { SimResponse } from './http.js';
import { MESSAGES, json, text } from './http.js';

/** mulberry32: tiny, fast, and good enough to spread faults evenly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private config: FaultConfig | undefined;
  private random: () => number = Math.random;

  /** The fault for this request, or undefined. `config` is read live from the knobs. */
  decide(config: FaultConfig | undefined, method: string): FaultKind | undefined {
    if (!config || config.kinds.length === 0 || !(config.rate > 0)) return undefined;
    if (config !== this.config) {
      this.config = config;
      this.random = mulberry32(config.seed);
    }
    if (config.methods && !config.methods.includes(method)) return undefined;
    const roll = this.random();
    const pick = this.random();
    if (roll >= config.rate) return undefined;
    return config.kinds[Math.min(config.kinds.length - 1, Math.floor(pick * config.kinds.length))];
  }
}

const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad ' +
  'Gateway</h1></center>\r\n</body>\r\n</html>\r\n';
const HTML_504 =
  '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway ' +
  'Time-out</h1></center>\r\n</body>\r\n</html>\r\n';

/**
 * The answer a fault gives: 500 with Tailscale's JSON error; 502 and 504 with a proxy's HTML page;
 * 503 with an empty body (a load balancer's); 429 with `Retry-After: 1`. `reset` has no answer: the
 * server destroys the socket instead.
 */
export function faultResponse(kind: Exclude<FaultKind, 'reset'>): SimResponse {
  switch (kind) {
    case '500':
      return json(500, { message: 'internal server error' });
    case '502':
      return text(502, HTML_502, 'text/html');
    case '503':
      return text(503, '', 'text/plain');
    case '504-html':
      return text(504, HTML_504, 'text/html');
    case '429':
      return json(429, { message: MESSAGES.tooManyRequests }, { 'Retry-After': '1' });
  }
}

export class TokenBucket {
  private config: RateLimit | undefined;
  private tokens = 0;
  private last = 0;

  /** Undefined when the request may pass, else the whole seconds to wait (for Retry-After). */
  take(config: RateLimit | undefined): number | undefined {
    if (!config || !(config.perSecond > 0)) return undefined;
    const capacity = Math.max(1, config.burst ?? config.perSecond);
    const now = performance.now();
    if (config !== this.config) {
      this.config = config;
      this.tokens = capacity;
    } else {
      this.tokens = Math.min(capacity, this.tokens + ((now - this.last) / 1000) * config.perSecond);
    }
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / config.perSecond));
  }
}
