// Simulated time: the wall clock plus an offset tests can push forward, so "an hour later" (token and
// auth-key expiry) takes no real hour. Rate limiting deliberately uses real time instead (see faults.ts).

export class SimClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves simulated time forward; tokens and keys past their expiry stop working. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`SimClock.advance: expected a non-negative number of ms, got ${ms}`);
    this.offsetMs += ms;
  }

  /** RFC 3339 without fractional seconds, as Tailscale writes its timestamps. */
  iso(at = this.now()): string {
    return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}
