// Errors a user can act on. Each carries a message that says what failed and what to do; the CLI
// and the action print the message (redacted) and exit 1, never a stack trace.

/** A bad flag, input, environment variable or combination of them. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A safety rail refused the plan before anything was written. */
export class RefusedError extends Error {
  readonly rail: string;
  constructor(rail: string, message: string) {
    super(message);
    this.name = 'RefusedError';
    this.rail = rail;
  }
}
