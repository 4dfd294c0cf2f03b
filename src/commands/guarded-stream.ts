// Standard output and error as the command line writes them. A reader that goes away (`plan | head`)
// or a full disk (`> /dev/full`) fails a write with EPIPE or ENOSPC, which Node reports as an 'error'
// event, and an 'error' event nobody listens to ends the process with a stack trace (after an apply,
// before its report). Here the first failure is kept for the command to ask about, and later writes
// are dropped, since they cannot arrive either.
import type { Stream } from './context.js';

export class GuardedStream implements Stream {
  private failure: NodeJS.ErrnoException | undefined;
  private taken = false;
  private pending = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean }) {
    stream.on('error', (error: NodeJS.ErrnoException) => this.fail(error));
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  write(text: string): boolean {
    if (this.failure) return false;
    this.pending += 1;
    this.stream.write(text, (error?: Error | null) => {
      if (error) this.fail(error);
      this.pending -= 1;
      if (this.pending === 0) this.wake();
    });
    return true;
  }

  async takeWriteError(): Promise<NodeJS.ErrnoException | undefined> {
    // Once a write failed the rest cannot arrive, so there is nothing more to wait for.
    if (this.pending > 0 && !this.failure) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (!this.failure || this.taken) return undefined;
    this.taken = true;
    return this.failure;
  }

  private fail(error: NodeJS.ErrnoException): void {
    this.failure ??= error;
    this.wake();
  }

  private wake(): void {
    for (const resume of this.waiting.splice(0)) resume();
  }
}
