// One gate per client in front of every request to the Tailscale API: reads, writes and token
// requests alike. Tailscale's limits and `Retry-After` are undocumented, and a limit that counts the
// requests of a credential (a token bucket, a fixed window) counts a read like a write, so they share
// one budget. Nothing is assumed about the limit: the gate learns it from the answers.
//
// - A pause: a 429 holds back every start until its wait (`Retry-After`, else the retry policy's
//   backoff) is over, for all requests at once, not only the one refused; then all resume together.
// - A pace, from the first 429 on: starts are spaced evenly, whoever makes them, at the rate the API
//   was seen to accept: answers accepted since the previous 429 over the time requests were waiting
//   or in flight. Measured from one 429 to the next, pause included, that is the rate of a token
//   bucket or a fixed window exactly (what the API lets through during a pause is spent after it);
//   the first one, which includes the bucket's initial burst, is corrected by the second. The pace
//   then grows slowly while no 429 comes, so a higher or raised limit is found, and a 429 cuts it to
//   the new measure.
// - A window of requests in flight (AIMD): 4 at first, one more after a window's worth of answers
//   that came while the window was full (and neither pause nor pace held them back, so the window was
//   the limit), halved by a 429, between 1 and the maximum; but never below
//   what the learnt pace needs at the latency seen (rate × latency), lest the window, not the API,
//   set the pace.
// A 429 to a request that started before the last 429 was counted is an echo of the same event: its
// wait may lengthen the pause, but it teaches nothing new. Time comes from the injected clock, so
// tests run in virtual time.

export interface GateClock {
  /** Milliseconds; only differences are used. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface GateSettings {
  /** Requests in flight before anything is learnt. */
  initialConcurrency: number;
  /** The window never grows past this. */
  maxConcurrency: number;
}

export const DEFAULT_GATE: GateSettings = { initialConcurrency: 4, maxConcurrency: 16 };

/** How fast the learnt pace grows while no 429 comes: this fraction of it per second. */
export const PROBE_PER_SECOND = 0.03;
/** The weight of the newest duration in the running latency. */
const LATENCY_WEIGHT = 0.2;

/** One attempt's passage through the gate. */
export interface GatePass {
  /** The gate's count of 429 events when the attempt started. */
  readonly epoch: number;
  readonly startedAt: number;
  /** It waited for the pause or the pace: they, not the window, held it back. */
  readonly held: boolean;
}

export interface GateEntry {
  /** A retry of a request the gate already let through: it goes before new requests. */
  retry?: boolean;
  /** The retry already waited out the pause until this time. */
  waitedUntil?: number;
}

/** After a 429: how long the refused request waits before its retry, and until when. */
export interface GateWait {
  delayMs: number;
  until: number;
}

export class RateGate {
  private window: number;
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];
  private epoch = 0;
  private pausedUntil = -Infinity;
  private nextStart = -Infinity;
  private pace: { base: number; from: number } | undefined;
  private grown = 0;
  private latencyMs: number | undefined;
  // Since the last 429 event: answers accepted, and the time requests were waiting or in flight.
  private accepted = 0;
  private busyMs = 0;
  private demand = 0;
  private busySince = 0;

  constructor(
    private readonly clock: GateClock,
    private readonly settings: GateSettings = DEFAULT_GATE,
  ) {
    if (!(Number.isInteger(settings.maxConcurrency) && settings.maxConcurrency >= 1))
      throw new RangeError('maxConcurrency must be a whole number of at least 1');
    if (!(
      Number.isInteger(settings.initialConcurrency) &&
      settings.initialConcurrency >= 1 &&
      settings.initialConcurrency <= settings.maxConcurrency
    )) {
      throw new RangeError('initialConcurrency must be a whole number between 1 and maxConcurrency');
    }
    this.window = settings.initialConcurrency;
  }

  /** Requests let in flight at once now. */
  get concurrency(): number {
    return this.window;
  }

  /** Starts per second the gate paces at now; undefined until a 429 taught it a rate. */
  get rate(): number | undefined {
    return this.pace ? this.rateAt(this.clock.now()) : undefined;
  }

  /** A request begins: until `end`, its time counts as demand, retries and pauses included. */
  begin(): void {
    if (this.demand++ === 0) this.busySince = this.clock.now();
  }

  end(): void {
    if (--this.demand === 0) this.busyMs += Math.max(0, this.clock.now() - this.busySince);
  }

  /** Waits for a place in the window and for the start time the pause and the pace allow. */
  async enter(entry: GateEntry = {}): Promise<GatePass> {
    await this.place(entry.retry === true);
    let after = entry.waitedUntil ?? -Infinity;
    let held = false;
    for (;;) {
      const epoch = this.epoch;
      const now = Math.max(this.clock.now(), after);
      const at = Math.max(now, this.pausedUntil, this.nextStart);
      if (this.pace) this.nextStart = at + 1000 / this.rateAt(at);
      if (at > now) {
        held = true;
        await this.clock.sleep(at - now);
      }
      // A 429 meanwhile set a new pause and pace: take a new start time under them.
      if (epoch === this.epoch) return { epoch, startedAt: Math.max(this.clock.now(), at), held };
      after = at;
    }
  }

  /** The attempt got an answer (`status`) or none (undefined). */
  leave(pass: GatePass, status: number | undefined): void {
    const now = Math.max(this.clock.now(), pass.startedAt);
    const full = this.inFlight >= this.window;
    this.inFlight--;
    if (status !== undefined) this.acceptedAt(pass, now, full);
    this.admit();
  }

  /** The attempt was answered 429 and asked to wait `waitMs`: pause everyone, learn, and say when its retry may go. */
  limited(pass: GatePass, waitMs: number): GateWait {
    const now = Math.max(this.clock.now(), pass.startedAt);
    this.inFlight--;
    this.pausedUntil = Math.max(this.pausedUntil, now + Math.max(0, waitMs));
    if (pass.epoch === this.epoch) this.learn(now);
    this.admit();
    return { delayMs: this.pausedUntil - now, until: this.pausedUntil };
  }

  /** `full`: the window was full when the answer came. Only then was the window the limit, and may grow. */
  private acceptedAt(pass: GatePass, now: number, full: boolean): void {
    this.accepted++;
    const took = now - pass.startedAt;
    this.latencyMs = this.latencyMs === undefined ? took : this.latencyMs + LATENCY_WEIGHT * (took - this.latencyMs);
    if (!full || pass.held || pass.epoch !== this.epoch) return;
    if (++this.grown >= this.window) {
      this.grown = 0;
      this.window = Math.min(this.settings.maxConcurrency, this.window + 1);
    }
  }

  /** A new 429 event at `now`, the pause already set. */
  private learn(now: number): void {
    const demanded = this.busyMs + (this.demand > 0 ? now - this.busySince : 0);
    // Requests refused at once, with no time yet to measure, are measured over the wait they were given.
    const busy = demanded > 0 ? demanded : this.pausedUntil - now;
    const measured = this.accepted >= 1 && busy > 0 ? (this.accepted * 1000) / busy : undefined;
    const current = this.pace ? this.rateAt(now) : undefined;
    // One 429 cuts the pace to what was measured, but at most by half: a cycle that a fixed window or
    // an idle spell made look slow must not stop everything.
    const base = current === undefined ? measured : Math.min(current, Math.max(measured ?? 0, current / 2));
    if (base !== undefined) this.pace = { base, from: this.pausedUntil };
    const needed = base !== undefined && this.latencyMs !== undefined ? Math.ceil((base * this.latencyMs) / 1000) : 1;
    this.window = Math.min(this.settings.maxConcurrency, Math.max(1, Math.ceil(this.window / 2), needed));
    this.grown = 0;
    this.epoch++;
    this.accepted = 0;
    this.busyMs = 0;
    this.busySince = now;
    // Evenly spaced again from the end of the pause.
    this.nextStart = this.pausedUntil;
  }

  private rateAt(t: number): number {
    const pace = this.pace;
    if (!pace) return Infinity;
    return pace.base * (1 + (PROBE_PER_SECOND * Math.max(0, t - pace.from)) / 1000);
  }

  /** Resolves once the request has a place in the window. */
  private place(retry: boolean): Promise<void> {
    if (this.inFlight < this.window && this.queue.length === 0) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      if (retry) this.queue.unshift(resolve);
      else this.queue.push(resolve);
    });
  }

  private admit(): void {
    while (this.inFlight < this.window) {
      const next = this.queue.shift();
      if (!next) return;
      this.inFlight++;
      next();
    }
  }
}
