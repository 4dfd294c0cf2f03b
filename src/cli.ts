#!/usr/bin/env node
// Entry point of the command line (dist/cli.js, the package's `bin`).
import { GuardedStream } from './commands/guarded-stream.js';
import { runCli } from './commands/run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: new GuardedStream(process.stdout),
  stderr: new GuardedStream(process.stderr),
  cwd: process.cwd(),
});
