// Fresh processes for every figure: the simulator in one (its CPU and memory are not ours), each
// measured run in another, as a user's run would start. Children are this directory's compiled
// scripts; each prints one JSON value on standard output.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Runs `node <script> ...args` (a sibling of this file) and returns the JSON it printed. */
export function child<T>(script: string, args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(here, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as T)
        : reject(new Error(`bench child ${script} ${args[0] ?? ''} exited with ${code}`)),
    );
  });
}

export interface ServedSimulator {
  url: string;
  /** Requests the simulator answered so far, and how many of them with 429. */
  counts(): Promise<{ requests: number; limited: number }>;
  stop(): void;
}

/** The simulator in its own process (bench/serve.ts), on the fixture in `fixtureFile`. */
export function serve(fixtureFile: string, latencyMs: number, perSecond = 0): Promise<ServedSimulator> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [path.join(here, 'serve.js'), fixtureFile, String(latencyMs), String(perSecond)],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines: ((line: string) => void)[] = [];
    let buffered = '';
    proc.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
        const line = buffered.slice(0, at);
        buffered = buffered.slice(at + 1);
        lines.shift()?.(line);
      }
    });
    const next = (): Promise<string> => new Promise((done) => lines.push(done));
    proc.on('error', reject);
    void next().then((url) =>
      resolve({
        url,
        counts: async () => {
          const answer = next();
          proc.stdin.write('counts\n');
          return JSON.parse(await answer) as { requests: number; limited: number };
        },
        stop: () => proc.kill(),
      }),
    );
  });
}

export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

/** The 1-minute load average, for the record beside each figure (the machine is shared). */
export const load = (): number => Math.round((loadavg()[0] ?? 0) * 100) / 100;

/** True when this module is the script node was started with (not imported by another bench). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(url);
}
