// The bundled CLI (dist/cli.js) run as a person runs it: a process with its own environment and
// working directory, standard output and error captured. `startCli` also lets a test act while the
// command waits (a browser opening the URL that `provision` prints).
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI_ENTRY = path.join(ROOT, 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  /** Resolves with the first match of `pattern` on standard error (rejects if the process ends first). */
  waitForStderr(pattern: RegExp): Promise<RegExpExecArray>;
  done: Promise<CliRun>;
  /** Ends the process if it still runs (a test that failed while it waited must not leave it behind). */
  stop(): void;
}

/** Only what the test gives, plus PATH and HOME: no credential of the machine leaks in. */
function environment(env: Record<string, string>, cwd: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: cwd, ...env };
}

export function startCli(args: string[], options: { cwd: string; env?: Record<string, string> }): RunningCli {
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, [CLI_ENTRY, ...args], {
    cwd: options.cwd,
    env: environment(options.env ?? {}, options.cwd),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiting: { pattern: RegExp; resolve: (m: RegExpExecArray) => void; reject: (e: Error) => void }[] = [];
  const check = (): void => {
    for (const wait of [...waiting]) {
      const match = wait.pattern.exec(stderr);
      if (match) {
        waiting.splice(waiting.indexOf(wait), 1);
        wait.resolve(match);
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    check();
  });
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      for (const wait of waiting.splice(0))
        wait.reject(new Error(`the command ended (exit ${code}) before printing ${wait.pattern}:\n${stderr}`));
      resolve({ code, stdout, stderr });
    });
  });
  return {
    waitForStderr: (pattern) =>
      new Promise((resolve, reject) => {
        waiting.push({ pattern, resolve, reject });
        check();
      }),
    done,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

export function runCliProcess(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
  return startCli(args, options).done;
}
