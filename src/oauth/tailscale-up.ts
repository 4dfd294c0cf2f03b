// Step 6: the access token is a single-use auth key for `tailscale up`. It never goes on a command
// line (where `ps` and shell history would show it): tailscale reads `--auth-key=file:PATH`, so the
// key sits in a 0600 file for as long as the command runs. Its output is passed on line by line
// through redact(), in case anything echoes the key.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { redact } from '../secrets.js';
import { createPrivateTempFile } from './private-file.js';

export interface Writable {
  write(text: string): unknown;
}

export interface TailscaleUpOptions {
  /** The tailscale command; default `tailscale` from PATH. */
  command?: string | undefined;
  /** More flags for `tailscale up`, e.g. `--hostname=laptop`. */
  extraArgs?: readonly string[] | undefined;
  /** The child's environment (PATH decides which `tailscale` runs); default this process's. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  stdout: Writable;
  stderr: Writable;
}

/** `tailscale up` could not be run or did not succeed. */
export class TailscaleUpError extends Error {
  constructor(message: string) {
    super(redact(message));
    this.name = 'TailscaleUpError';
  }
}

/** Quotes a path for a POSIX shell when it needs it. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command that brings a device up with the key in `keyFile`, to print for the user to run. */
export function tailscaleUpCommand(keyFile: string, extraArgs: readonly string[] = []): string {
  return ['tailscale', 'up', shellQuote(`--auth-key=file:${keyFile}`), ...extraArgs.map(shellQuote)].join(' ');
}

function lineRedactor(out: Writable): { push(chunk: Buffer): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) out.write(`${redact(line)}\n`);
    },
    end() {
      if (pending !== '') out.write(redact(pending));
      pending = '';
    },
  };
}

const NEEDS_ROOT_HINT =
  'on Linux, tailscale up needs root unless `tailscale set --operator=$USER` was run; run provision with --print ' +
  'and run the printed command with sudo';

/** Runs `tailscale up --auth-key=file:…` with the key, deletes the key file, and resolves on exit 0. */
export async function runTailscaleUp(authKey: string, options: TailscaleUpOptions): Promise<void> {
  const keyFile = await createPrivateTempFile('tailnet-access-authkey-', 'auth-key', `${authKey}\n`);
  const command = options.command ?? 'tailscale';
  try {
    const child = spawn(command, ['up', `--auth-key=file:${keyFile}`, ...(options.extraArgs ?? [])], {
      env: { ...(options.env ?? process.env) },
      stdio: ['inherit', 'pipe', 'pipe'],
    });
    const out = lineRedactor(options.stdout);
    const err = lineRedactor(options.stderr);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode));
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        throw new TailscaleUpError(
          `the ${command} command was not found on PATH; install Tailscale, or run provision with --print and run ` +
            `the printed command yourself (the auth key was not used)`,
        );
      }
      throw new TailscaleUpError(`could not run ${command} up: ${error.message}`);
    });
    out.end();
    err.end();
    if (code !== 0) {
      throw new TailscaleUpError(
        `${command} up exited with ${code ?? 'a signal'}; its output is above. The auth key works once: if it was ` +
          `spent, run provision again (${NEEDS_ROOT_HINT})`,
      );
    }
  } finally {
    await rm(path.dirname(keyFile), { recursive: true, force: true });
  }
}
