// Runs the bundled command line (dist/cli.js) as a user's shell does: its own process, with only the
// environment given, and standard output a pipe, a pipe whose reader has gone (`| true`), or a file
// (`> /dev/full`). A run that does not end in `timeoutMs` is killed and reported as such.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI_ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

export interface CliProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface CliProcessOptions {
  cwd: string;
  env?: Record<string, string>;
  /** `pipe` (read), `closed` (a pipe whose reading end is closed at once), or a file to open for writing. */
  stdout?: 'pipe' | 'closed' | { file: string };
  timeoutMs?: number;
}

export async function runCliProcess(args: string[], options: CliProcessOptions): Promise<CliProcessResult> {
  const target = options.stdout ?? 'pipe';
  const fd = typeof target === 'object' ? openSync(target.file, 'w') : undefined;
  try {
    const env = { PATH: process.env.PATH ?? '', HOME: options.cwd, ...options.env };
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', fd ?? 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    if (target === 'closed') child.stdout?.destroy();
    else child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 15_000);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    clearTimeout(timer);
    return { code, stdout, stderr, timedOut };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
