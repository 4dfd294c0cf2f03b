// bench/apply: `tailnet-access apply` against a rate limit, beside the rate floor; and its CPU on a
// big tailnet beside the CPU of a plan of the same tailnet.
//
// Under the limit: 500 role changes and 200 group edits (bench/workload.ts) against a simulator that
// allows 20 requests a second (a token bucket of 20, 429 with Retry-After beyond), at 0, 50 and 200 ms
// of latency. The floor is the requests that had to succeed divided by the rate. Each run gets a fresh
// simulator (apply changes it) and a fresh process for the command, run as a user runs it
// (`runCli(['apply', …])`, with the client's own retries and pacing). 429s are counted by the
// simulator. CPU: the 50,000-user tailnet of bench/plan at 25 ms, no limit, a plan and then an apply of
// the same file, each in a fresh process against a fresh simulator.
//
//   npm run bench:apply   (or: node build/bench/apply.js [--runs N] [--latency MS,MS] [--rate N] [--no-cpu])
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { planFiles, table, timeCommand, type CommandRun, type PlanFiles } from './plan.js';
import { child, isMain, load, median, serve } from './processes.js';
import { API_KEY, APPLY_WORK, applyConfig, applyFixture, CLIENT_ID, CLIENT_SECRET, PLAN_SCALES } from './workload.js';

async function measureApply(url: string, configFile: string, credential: string): Promise<CommandRun> {
  const env: Record<string, string> =
    credential === 'oauth'
      ? { TAILSCALE_OAUTH_CLIENT_ID: CLIENT_ID, TAILSCALE_OAUTH_CLIENT_SECRET: CLIENT_SECRET }
      : { TAILSCALE_API_KEY: API_KEY };
  const { json, ...run } = await timeCommand(['apply', '--config', configFile, '--force', '--format', 'json'], {
    TAILSCALE_BASE_URL: url,
    ...env,
  });
  const report = JSON.parse(json || '{}') as { failed?: unknown[]; converged?: boolean };
  return { ...run, failed: report.failed?.length ?? -1, converged: report.converged === true };
}

export interface RateFigure {
  latencyMs: number;
  rate: number;
  runs: number;
  wallS: number;
  floorS: number;
  /** Median of each run's wall ÷ its own floor. */
  ratio: number;
  requests: number;
  limited: number;
  failed: number;
  converged: boolean;
  loadAvg: [number, number];
}

export async function rateFigure(dir: string, latencyMs: number, rate: number, runs: number): Promise<RateFigure> {
  const fixtureFile = path.join(dir, 'apply-fixture.json');
  const configFile = path.join(dir, 'apply.yaml');
  await writeFile(fixtureFile, JSON.stringify(applyFixture(APPLY_WORK)));
  await writeFile(configFile, applyConfig(APPLY_WORK));
  const before = load();
  const all: {
    wallS: number;
    floorS: number;
    requests: number;
    limited: number;
    failed: number;
    converged: boolean;
  }[] = [];
  for (let i = 0; i < runs; i++) {
    const sim = await serve(fixtureFile, latencyMs, rate);
    try {
      const run = await child<CommandRun>('apply.js', ['--apply', sim.url, configFile, 'api-key']);
      const { requests, limited } = await sim.counts();
      all.push({
        wallS: run.wallMs / 1000,
        floorS: (requests - limited) / rate,
        requests,
        limited,
        failed: run.failed ?? -1,
        converged: run.converged === true,
      });
    } finally {
      sim.stop();
    }
  }
  return {
    latencyMs,
    rate,
    runs,
    wallS: median(all.map((r) => r.wallS)),
    floorS: median(all.map((r) => r.floorS)),
    ratio: median(all.map((r) => r.wallS / r.floorS)),
    requests: median(all.map((r) => r.requests)),
    limited: median(all.map((r) => r.limited)),
    failed: Math.max(...all.map((r) => r.failed)),
    converged: all.every((r) => r.converged),
    loadAvg: [before, load()],
  };
}

export interface CpuFigure {
  users: number;
  latencyMs: number;
  runs: number;
  planCpuMs: number;
  applyCpuMs: number;
  applyWallMs: number;
  applyChanges: number;
  converged: boolean;
  loadAvg: [number, number];
}

/** A plan and then an apply of the 50,000-user file, each against a fresh simulator. */
export async function cpuFigure(files: PlanFiles, latencyMs: number, runs: number): Promise<CpuFigure> {
  const scale = PLAN_SCALES[PLAN_SCALES.length - 1] ?? PLAN_SCALES[0];
  if (!scale) throw new Error('no plan scale');
  const fixtureFile = await files.fixture(scale);
  const configFile = await files.config(scale);
  const before = load();
  const plans: CommandRun[] = [];
  const applies: CommandRun[] = [];
  for (let i = 0; i < runs; i++) {
    const sim = await serve(fixtureFile, latencyMs);
    try {
      plans.push(await child<CommandRun>('plan.js', ['--plan', sim.url, configFile]));
      applies.push(await child<CommandRun>('apply.js', ['--apply', sim.url, configFile, 'oauth']));
    } finally {
      sim.stop();
    }
  }
  return {
    users: scale.users,
    latencyMs,
    runs,
    planCpuMs: median(plans.map((r) => r.cpuMs)),
    applyCpuMs: median(applies.map((r) => r.cpuMs)),
    applyWallMs: median(applies.map((r) => r.wallMs)),
    applyChanges: applies[0]?.changes ?? 0,
    converged: applies.every((r) => r.converged === true),
    loadAvg: [before, load()],
  };
}

export function rateRows(figures: readonly RateFigure[]): string[][] {
  return [
    [
      'apply (500 roles, 200 groups)',
      'latency',
      'wall',
      'rate floor',
      'wall/floor',
      '429s',
      'failed',
      'converged',
      'load avg',
      'target ≤1.05x, <10% 429, 0 failed',
    ],
    ...figures.map((f) => {
      const share = f.limited / f.requests;
      const ok = f.ratio <= 1.05 && share < 0.1 && f.failed === 0 && f.converged;
      return [
        `${f.rate} req/s`,
        `${f.latencyMs} ms`,
        `${f.wallS.toFixed(2)} s`,
        `${f.floorS.toFixed(2)} s`,
        `${f.ratio.toFixed(3)}x`,
        `${f.limited} of ${f.requests} (${(share * 100).toFixed(1)}%)`,
        String(f.failed),
        String(f.converged),
        `${f.loadAvg[0]}→${f.loadAvg[1]}`,
        ok ? 'ok' : 'MISSED',
      ];
    }),
  ];
}

export function cpuRows(figures: readonly CpuFigure[]): string[][] {
  return [
    [
      'CPU at 50k users',
      'latency',
      'plan CPU',
      'apply CPU',
      'apply/plan',
      'apply wall',
      'changes',
      'converged',
      'load avg',
      'target ≤1.2x',
    ],
    ...figures.map((f) => [
      `${f.users / 1000}k users`,
      `${f.latencyMs} ms`,
      `${f.planCpuMs.toFixed(0)} ms`,
      `${f.applyCpuMs.toFixed(0)} ms`,
      `${(f.applyCpuMs / f.planCpuMs).toFixed(2)}x`,
      `${(f.applyWallMs / 1000).toFixed(2)} s`,
      String(f.applyChanges),
      String(f.converged),
      `${f.loadAvg[0]}→${f.loadAvg[1]}`,
      f.applyCpuMs <= 1.2 * f.planCpuMs ? 'ok' : 'MISSED',
    ]),
  ];
}

export interface ApplyBenchOptions {
  runs: number;
  latencies: number[];
  rate: number;
  cpu: boolean;
}

export function applyOptions(argv: string[]): ApplyBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      latency: { type: 'string' },
      rate: { type: 'string' },
      'no-cpu': { type: 'boolean' },
    },
    strict: false,
  });
  return {
    runs: Number(values.runs ?? 3) || 3,
    latencies: typeof values.latency === 'string' ? values.latency.split(',').map(Number) : [0, 50, 200],
    rate: Number(values.rate ?? 20) || 20,
    cpu: values['no-cpu'] !== true,
  };
}

export async function applySection(
  dir: string,
  files: PlanFiles,
  options: ApplyBenchOptions,
): Promise<{ rates: RateFigure[]; cpu: CpuFigure[] }> {
  const rates: RateFigure[] = [];
  for (const latency of options.latencies) rates.push(await rateFigure(dir, latency, options.rate, options.runs));
  const cpu = options.cpu ? [await cpuFigure(files, 25, options.runs)] : [];
  return { rates, cpu };
}

async function main(argv: string[]): Promise<void> {
  const [mode, a = '', b = '', c = ''] = argv;
  if (mode === '--apply') return void process.stdout.write(JSON.stringify(await measureApply(a, b, c)));
  const options = applyOptions(argv);
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-apply-'));
  try {
    const { rates, cpu } = await applySection(dir, planFiles(dir), options);
    const cpuTable = cpu.length > 0 ? `\n\n${table(cpuRows(cpu))}` : '';
    process.stdout.write(
      `bench/apply (node ${process.version}; medians of ${options.runs} runs, fresh ` +
        `processes)\n${table(rateRows(rates))}${cpuTable}\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
