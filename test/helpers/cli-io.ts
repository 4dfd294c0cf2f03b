// The CommandIO of an in-process CLI run, with what it wrote to standard output and error.
import type { CommandIO } from '../../src/commands/context.js';

export function captureCli(): { io: CommandIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      env: {},
      cwd: process.cwd(),
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
    },
    out: () => out,
    err: () => err,
  };
}
