// bench/plan: `tailnet-access plan` on a big tailnet behind a slow API, beside its floor.
//
// The command runs as a user runs it (`runCli(['plan', …])`: load the file, OAuth token, users and
// policy, diff, render), in a fresh process each run, timed from the call to its return (node's own
// start-up and module loading are bench:cold-start's). Its floor, in a fresh process too, is the barest
// client making the same requests to the same simulator: the token, then users and policy in
// parallel, the users' JSON parsed and nothing else. Each run measures the floor and then the plan, so
// every ratio pairs two runs under the same load; figures are medians. Also printed: loading the file
// alone beside yaml's parseDocument alone, each in a fresh process.
//
//   npm run bench:plan   (or: node build/bench/plan.js [--runs N] [--latency MS,MS] [--scales 1000,10000])
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LineCounter, parseDocument } from 'yaml';
import { runCli } from '../src/commands/run-cli.js';
import { loadConfig } from '../src/config/load.js';
import { PARSE_OPTIONS } from '../src/config/yaml-source.js';
import { child, isMain, load, median, serve } from './processes.js';
import { CLIENT_ID, CLIENT_SECRET, PLAN_SCALES, planConfig, planFixture, type PlanScale } from './workload.js';

/** One measured run of a command in this (fresh) process. */
export interface CommandRun {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  exitCode: number;
  /** A digest of the plan's changes and warnings: equal digests, equal plans. */
  digest: string;
  changes: number;
  /** For apply: changes that failed, and whether the tailnet matched the file at the end. */
  failed?: number;
  converged?: boolean;
}

/** Runs the CLI in this process with output kept in memory; `json` is what it printed. */
export async function timeCommand(argv: string[], env: Record<string, string>): Promise<CommandRun & { json: string }> {
  let out = '';
  let err = '';
  const io = {
    env: { NO_COLOR: '1', ...env },
    cwd: process.cwd(),
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const exitCode = await runCli(argv, io);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (exitCode !== 0) process.stderr.write(`${argv[0]} exited with ${exitCode}: ${err.slice(0, 2000)}\n`);
  const plan = JSON.parse(out || '{}') as { plan?: unknown; changes?: unknown[]; warnings?: unknown[] };
  const body = (plan.plan ?? plan) as { changes?: unknown[]; warnings?: unknown[] };
  const digest = createHash('sha256')
    .update(JSON.stringify([body.changes, body.warnings]))
    .digest('hex')
    .slice(0, 12);
  return {
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    exitCode,
    digest,
    changes: body.changes?.length ?? 0,
    json: out,
  };
}

async function measurePlan(url: string, configFile: string): Promise<CommandRun> {
  const env = {
    TAILSCALE_BASE_URL: url,
    TAILSCALE_OAUTH_CLIENT_ID: CLIENT_ID,
    TAILSCALE_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
  };
  const { json: _json, ...run } = await timeCommand(['plan', '--config', configFile, '--format', 'json'], env);
  return run;
}

/** One HTTP exchange with node:http, the body read whole and nothing more. */
function raw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * The floor: what any client must wait for to plan. The token; then users and policy in parallel, the
 * users parsed (a plan cannot do without them); latency, the server producing the answers, the bytes
 * crossing loopback.
 */
async function measureFloor(baseUrl: string): Promise<number> {
  const started = performance.now();
  const form = `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`;
  const token = JSON.parse(
    (
      await raw(`${baseUrl}/api/v2/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      })
    ).toString(),
  ) as { access_token: string };
  const auth = { authorization: `Bearer ${token.access_token}` };
  const [users] = await Promise.all([
    raw(`${baseUrl}/api/v2/tailnet/-/users?type=member`, { headers: auth }),
    raw(`${baseUrl}/api/v2/tailnet/-/acl`, { headers: { ...auth, accept: 'application/hujson' } }),
  ]);
  const parsed = JSON.parse(users.toString()) as { users: unknown[] };
  if (parsed.users.length === 0) throw new Error('the floor read no users');
  return performance.now() - started;
}

async function measureLoad(configFile: string): Promise<number> {
  const started = performance.now();
  await loadConfig(configFile);
  return performance.now() - started;
}

async function measureParse(configFile: string): Promise<number> {
  const text = await readFile(configFile, 'utf8');
  const started = performance.now();
  parseDocument(text, { ...PARSE_OPTIONS, lineCounter: new LineCounter() });
  return performance.now() - started;
}

export interface PlanFigure {
  scale: PlanScale;
  latencyMs: number;
  runs: number;
  floorMs: number;
  wallMs: number;
  /** Median of each run's wall ÷ the floor measured just before it. */
  ratio: number;
  cpuMs: number;
  peakRssMb: number;
  changes: number;
  digest: string;
  loadAvg: [number, number];
}

export interface LoadFigure {
  scale: PlanScale;
  loadMs: number;
  parseMs: number;
}

export interface PlanFiles {
  dir: string;
  fixture(scale: PlanScale): Promise<string>;
  config(scale: PlanScale): Promise<string>;
}

/** The generated fixture and file of each scale, written once into `dir`. */
export function planFiles(dir: string): PlanFiles {
  const written = new Map<string, Promise<string>>();
  const once = (name: string, text: () => string): Promise<string> => {
    const file = path.join(dir, name);
    if (!written.has(file))
      written.set(
        file,
        writeFile(file, text()).then(() => file),
      );
    return written.get(file) as Promise<string>;
  };
  return {
    dir,
    fixture: (scale) => once(`fixture-${scale.users}.json`, () => JSON.stringify(planFixture(scale))),
    config: (scale) => once(`tailnet-access-${scale.users}.yaml`, () => planConfig(scale)),
  };
}

export async function planFigure(
  files: PlanFiles,
  scale: PlanScale,
  latencyMs: number,
  runs: number,
): Promise<PlanFigure> {
  const configFile = await files.config(scale);
  const sim = await serve(await files.fixture(scale), latencyMs);
  const before = load();
  try {
    const all: (CommandRun & { floorMs: number })[] = [];
    for (let i = 0; i < runs; i++) {
      const floorMs = await child<number>('plan.js', ['--floor', sim.url]);
      all.push({ ...(await child<CommandRun>('plan.js', ['--plan', sim.url, configFile])), floorMs });
    }
    const failed = all.find((r) => r.exitCode !== 0);
    if (failed) throw new Error(`plan at ${scale.users} users exited with ${failed.exitCode}`);
    const digests = new Set(all.map((r) => r.digest));
    if (digests.size !== 1)
      throw new Error(`plan at ${scale.users} users gave different plans: ${[...digests].join(', ')}`);
    return {
      scale,
      latencyMs,
      runs,
      floorMs: median(all.map((r) => r.floorMs)),
      wallMs: median(all.map((r) => r.wallMs)),
      ratio: median(all.map((r) => r.wallMs / r.floorMs)),
      cpuMs: median(all.map((r) => r.cpuMs)),
      peakRssMb: Math.max(...all.map((r) => r.peakRssMb)),
      changes: all[0]?.changes ?? 0,
      digest: all[0]?.digest ?? '',
      loadAvg: [before, load()],
    };
  } finally {
    sim.stop();
  }
}

export async function loadFigure(files: PlanFiles, scale: PlanScale, runs: number): Promise<LoadFigure> {
  const configFile = await files.config(scale);
  const loads: number[] = [];
  const parses: number[] = [];
  for (let i = 0; i < runs; i++) {
    loads.push(await child<number>('plan.js', ['--load', configFile]));
    parses.push(await child<number>('plan.js', ['--parse', configFile]));
  }
  return { scale, loadMs: median(loads), parseMs: median(parses) };
}

const users = (n: number): string => (n >= 1000 ? `${n / 1000}k` : String(n));
const ms = (n: number): string => `${n.toFixed(0)} ms`;

/** The plan table; its target column checks the targets of the README's design notes at 200 ms of latency. */
export function planRows(figures: readonly PlanFigure[]): string[][] {
  const target = (f: PlanFigure): string => {
    if (f.latencyMs !== 200) return '';
    const ratio = f.scale.users === 10_000 ? 1.3 : f.scale.users === 50_000 ? 1.6 : undefined;
    const rss = f.scale.users === 10_000 ? 200 : f.scale.users === 50_000 ? 400 : undefined;
    const parts = [
      ratio === undefined ? '' : `≤${ratio}x ${f.ratio <= ratio ? 'ok' : 'MISSED'}`,
      rss === undefined ? '' : `RSS<${rss} ${f.peakRssMb < rss ? 'ok' : 'MISSED'}`,
    ];
    return parts.filter(Boolean).join(', ');
  };
  return [
    ['plan', 'latency', 'floor', 'wall', 'wall/floor', 'CPU', 'peak RSS', 'changes (digest)', 'load avg', 'target'],
    ...figures.map((f) => [
      `${users(f.scale.users)} users`,
      ms(f.latencyMs),
      ms(f.floorMs),
      ms(f.wallMs),
      `${f.ratio.toFixed(2)}x`,
      ms(f.cpuMs),
      `${f.peakRssMb.toFixed(0)} MB`,
      `${f.changes} (${f.digest})`,
      `${f.loadAvg[0]}→${f.loadAvg[1]}`,
      target(f),
    ]),
  ];
}

export function loadRows(figures: readonly LoadFigure[]): string[][] {
  return [
    ['load the file', 'loadConfig', "yaml's parseDocument alone", 'target'],
    ...figures.map((f) => [
      `${users(f.scale.users)} users`,
      ms(f.loadMs),
      ms(f.parseMs),
      f.scale.users === 10_000 ? `≤300 ms ${f.loadMs <= 300 ? 'ok' : 'MISSED'}` : '',
    ]),
  ];
}

export function table(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map(
      (r) =>
        `  ${r
          .map((cell, c) => cell.padEnd(widths[c] ?? 0))
          .join('  ')
          .trimEnd()}`,
    )
    .join('\n');
}

export interface PlanBenchOptions {
  runs: number;
  latencies: number[];
  scales: readonly PlanScale[];
}

export function planOptions(argv: string[]): PlanBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: { runs: { type: 'string' }, latency: { type: 'string' }, scales: { type: 'string' } },
    strict: false,
  });
  const list = (v: unknown, fallback: number[]): number[] =>
    typeof v === 'string' ? v.split(',').map(Number) : fallback;
  const wanted = list(
    values.scales,
    PLAN_SCALES.map((s) => s.users),
  );
  return {
    runs: Number(values.runs ?? 5) || 5,
    latencies: list(values.latency, [200, 25]),
    scales: PLAN_SCALES.filter((s) => wanted.includes(s.users)),
  };
}

export async function planSection(
  files: PlanFiles,
  options: PlanBenchOptions,
): Promise<{ plans: PlanFigure[]; loads: LoadFigure[] }> {
  const plans: PlanFigure[] = [];
  for (const latency of options.latencies)
    for (const scale of options.scales) plans.push(await planFigure(files, scale, latency, options.runs));
  const loads: LoadFigure[] = [];
  for (const scale of options.scales) loads.push(await loadFigure(files, scale, options.runs));
  return { plans, loads };
}

async function main(argv: string[]): Promise<void> {
  const [mode, a = '', b = ''] = argv;
  if (mode === '--floor') return void process.stdout.write(JSON.stringify(await measureFloor(a)));
  if (mode === '--plan') return void process.stdout.write(JSON.stringify(await measurePlan(a, b)));
  if (mode === '--load') return void process.stdout.write(JSON.stringify(await measureLoad(a)));
  if (mode === '--parse') return void process.stdout.write(JSON.stringify(await measureParse(a)));
  const options = planOptions(argv);
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-plan-'));
  try {
    const { plans, loads } = await planSection(planFiles(dir), options);
    process.stdout.write(
      `bench/plan (node ${process.version}; medians of ${options.runs} runs, fresh ` +
        `processes)\n${table(planRows(plans))}\n\n${table(loadRows(loads))}\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
