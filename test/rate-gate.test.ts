// The rate gate in virtual time, against model limiters it knows nothing about: a token bucket (as
// the simulator's), a fixed window, a limit on requests in flight. Requests go through it the way
// the transport sends them (enter, answer, leave or limited, the refused one retried after the pause),
// fanned out by apply's pool, which follows the gate's window.
import { describe, expect, it } from 'vitest';
import { eachLimited } from '../src/apply/roles.js';
import { PROBE_PER_SECOND, RateGate, type GateEntry, type GatePass } from '../src/tailscale/rate-gate.js';
import { VirtualClock } from './helpers/virtual-clock.js';

/** Undefined: accepted; a number: refused, wait that many ms. */
type Limiter = (now: number) => number | undefined;

function tokenBucket(perSecond: number, burst = perSecond): Limiter {
  let tokens = burst;
  let last = 0;
  return (now) => {
    tokens = Math.min(burst, tokens + ((now - last) / 1000) * perSecond);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - tokens) / perSecond)) * 1000;
  };
}

function fixedWindow(limit: number, windowMs: number): Limiter {
  let count = 0;
  let windowStart = 0;
  return (now) => {
    if (now >= windowStart + windowMs) {
      windowStart = now - ((now - windowStart) % windowMs);
      count = 0;
    }
    if (count < limit) {
      count++;
      return undefined;
    }
    return windowStart + windowMs - now;
  };
}

interface Run {
  ms: number;
  requests: number;
  limited: number;
  mostAttempts: number;
}

/** `count` requests through one gate, fanned out as apply fans out role changes. */
async function drive(
  count: number,
  limiter: Limiter,
  latencyMs: number,
  options: { clock?: VirtualClock; gate?: RateGate } = {},
): Promise<Run> {
  const clock = options.clock ?? new VirtualClock();
  const gate = options.gate ?? new RateGate(clock);
  const run: Run = { ms: 0, requests: 0, limited: 0, mostAttempts: 0 };
  const one = async (): Promise<void> => {
    gate.begin();
    try {
      let entry: GateEntry = {};
      for (let attempt = 1; ; attempt++) {
        const pass = await gate.enter(entry);
        run.requests++;
        const refused = limiter(clock.now());
        await clock.sleep(latencyMs);
        if (refused === undefined) {
          gate.leave(pass, 200);
          run.mostAttempts = Math.max(run.mostAttempts, attempt);
          return;
        }
        run.limited++;
        const wait = gate.limited(pass, refused);
        await clock.sleep(wait.delayMs);
        entry = { retry: true, waitedUntil: wait.until };
      }
    } finally {
      gate.end();
    }
  };
  const items = Array.from({ length: count }, (_, i) => i);
  await clock.run(eachLimited(items, () => gate.concurrency, one));
  run.ms = clock.now();
  return run;
}

/** At most `limit` requests in flight; more are refused with a wait of a second. */
function inFlightLimit(limit: number, latencyMs: number): Limiter {
  const starts: number[] = [];
  return (now) => {
    while (starts.length > 0 && (starts[0] ?? 0) + latencyMs <= now) starts.shift();
    if (starts.length >= limit) return 1000;
    starts.push(now);
    return undefined;
  };
}

const floorMs = (requests: number, perSecond: number): number => (requests / perSecond) * 1000;

describe('the rate gate against limits it must learn', () => {
  it.each([0, 50, 200])(
    'a token bucket of 20/s (burst 20) at %i ms latency: the rate floor, few 429s, no retry twice',
    async (latency) => {
      const run = await drive(500, tokenBucket(20), latency);
      expect(run.ms).toBeLessThanOrEqual(1.05 * floorMs(500, 20));
      expect(run.limited / run.requests).toBeLessThan(0.05);
      expect(run.mostAttempts).toBe(2);
    },
  );

  it.each([0, 50, 200])('a fixed window of 100 per 5 s at %i ms: near the rate, few 429s', async (latency) => {
    const run = await drive(500, fixedWindow(100, 5000), latency);
    expect(run.ms).toBeLessThanOrEqual(1.25 * floorMs(500, 20));
    expect(run.limited / run.requests).toBeLessThan(0.1);
    expect(run.mostAttempts).toBeLessThanOrEqual(2);
  });

  it(
    'a bucket with no burst that asks for a whole second each time: slow, but no request runs out of ' + 'attempts',
    async () => {
      const run = await drive(100, tokenBucket(20, 1), 50);
      expect(run.mostAttempts).toBeLessThanOrEqual(3);
      expect(run.limited).toBeLessThan(10);
    },
  );

  it('a limit of 3 requests in flight: the window shrinks to it and stays there', async () => {
    const clock = new VirtualClock();
    const gate = new RateGate(clock);
    const run = await drive(200, inFlightLimit(3, 100), 100, { clock, gate });
    expect(run.mostAttempts).toBeLessThanOrEqual(3);
    expect(run.limited / run.requests).toBeLessThan(0.1);
    expect(gate.concurrency).toBeLessThanOrEqual(4);
  });
});

/** `count` requests that begin and enter the gate now, in virtual time. */
function entered(clock: VirtualClock, gate: RateGate, count: number): Promise<GatePass[]> {
  return clock.run(
    Promise.all(
      Array.from({ length: count }, () => {
        gate.begin();
        return gate.enter();
      }),
    ),
  );
}

describe('the rate gate, step by step', () => {
  it('before any 429 nothing waits and nothing is paced', async () => {
    const clock = new VirtualClock();
    const gate = new RateGate(clock);
    const run = await drive(40, () => undefined, 10, { clock, gate });
    // 40 requests of 10 ms, 4 and then more at a time: no pause, no spacing, only latency.
    expect(run.ms).toBeLessThanOrEqual(100);
    expect(gate.rate).toBeUndefined();
  });

  it(
    'starts at 4 in flight, grows by one per window of answers that came while it was full, up to its ' + 'bound',
    async () => {
      const clock = new VirtualClock();
      const gate = new RateGate(clock, { initialConcurrency: 4, maxConcurrency: 6 });
      expect(gate.concurrency).toBe(4);
      // Three at a time never fill the window: it stays.
      for (let round = 0; round < 5; round++) for (const pass of await entered(clock, gate, 3)) gate.leave(pass, 200);
      expect(gate.concurrency).toBe(4);
      await drive(8, () => undefined, 10, { clock, gate });
      expect(gate.concurrency).toBe(5);
      await drive(100, () => undefined, 10, { clock, gate });
      expect(gate.concurrency).toBe(6);
    },
  );

  it(
    'a 429 pauses every start until its wait is over, teaches a pace, and cuts the window to what the ' + 'pace needs',
    async () => {
      const clock = new VirtualClock();
      const gate = new RateGate(clock, { initialConcurrency: 12, maxConcurrency: 12 });
      const first = await entered(clock, gate, 8);
      await clock.run(clock.sleep(100));
      for (const pass of first.slice(1)) gate.leave(pass, 200);
      const wait = gate.limited(first[0] as GatePass, 2000);
      expect(wait).toEqual({ delayMs: 2000, until: 2100 });
      // Halved to 6 would do; but 70 per second at 100 ms each needs 7 in flight.
      expect(gate.concurrency).toBe(7);
      // 7 answers over 0.1 s of demand: 70 per second.
      expect(gate.rate).toBeCloseTo(70, 5);
      const later = await entered(clock, gate, 3);
      const starts = later.map((p) => p.startedAt);
      [2100, 2100 + 1000 / 70, 2100 + 2000 / 70].forEach((at, i) => expect(starts[i]).toBeCloseTo(at, 1));
    },
  );

  it(
    'a refused request gives up its place while it waits; its retry goes before requests queued after ' + 'it',
    async () => {
      const clock = new VirtualClock();
      const gate = new RateGate(clock, { initialConcurrency: 1, maxConcurrency: 1 });
      const [refused] = await entered(clock, gate, 1);
      const wait = gate.limited(refused as GatePass, 1000);
      const order: string[] = [];
      const go = (name: string, pass: Promise<GatePass>): Promise<void> =>
        pass.then(async (p) => {
          order.push(name);
          await clock.sleep(10);
          gate.leave(p, 200);
        });
      const first = go('first new', gate.enter());
      const second = go('second new', gate.enter());
      const retry = go(
        'retry',
        clock.sleep(wait.delayMs).then(() => gate.enter({ retry: true, waitedUntil: wait.until })),
      );
      await clock.run(Promise.all([first, second, retry]));
      expect(order).toEqual(['first new', 'retry', 'second new']);
    },
  );

  it('429s to requests sent before the first one was counted are echoes: one cut, the longest wait', async () => {
    const clock = new VirtualClock();
    const gate = new RateGate(clock, { initialConcurrency: 8, maxConcurrency: 8 });
    const passes = await entered(clock, gate, 4);
    await clock.run(clock.sleep(50));
    gate.leave(passes[0] as GatePass, 200);
    gate.leave(passes[1] as GatePass, 200);
    gate.limited(passes[2] as GatePass, 1000);
    const echo = gate.limited(passes[3] as GatePass, 1500);
    expect(gate.concurrency).toBe(4);
    expect(echo).toEqual({ delayMs: 1500, until: 1550 });
    // 2 answers over 50 ms.
    expect(gate.rate).toBeCloseTo(40, 5);
  });

  it('the pace grows while no 429 comes, from the end of the pause', async () => {
    const clock = new VirtualClock();
    const gate = new RateGate(clock);
    const [a, b, c] = await entered(clock, gate, 3);
    await clock.run(clock.sleep(100));
    gate.leave(a as GatePass, 200);
    gate.leave(b as GatePass, 200);
    gate.limited(c as GatePass, 1000);
    const learnt = gate.rate ?? 0;
    expect(learnt).toBeCloseTo(20, 5);
    await clock.run(clock.sleep(11_000));
    expect(gate.rate).toBeCloseTo(learnt * (1 + 10 * PROBE_PER_SECOND), 5);
  });

  it('refuses a window it cannot keep', () => {
    const clock = new VirtualClock();
    expect(() => new RateGate(clock, { initialConcurrency: 0, maxConcurrency: 4 })).toThrow(RangeError);
    expect(() => new RateGate(clock, { initialConcurrency: 5, maxConcurrency: 4 })).toThrow(RangeError);
  });
});
