// Virtual time for code that takes a clock ({ now, sleep }): sleeps resolve when the clock jumps to
// them, and the clock jumps only once every promise chain has settled, so a run of minutes of
// simulated requests takes milliseconds and always goes the same way.
export class VirtualClock {
  private t = 0;
  private seq = 0;
  private readonly timers: { at: number; seq: number; wake: () => void }[] = [];

  readonly now = (): number => this.t;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((wake) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, wake });
    });

  /** Runs the clock until `work` settles, and returns its result. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    for (;;) {
      // setImmediate comes after every queued microtask: each chain runs to its next sleep.
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return watched;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error('virtual clock: the work waits for nothing the clock can wake');
      this.t = next.at;
      next.wake();
    }
  }
}
