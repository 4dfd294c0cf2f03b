// npm run bench: every figure of bench/plan and bench/apply in one run, each beside its floor, in one
// compact table per kind (see those files for what each figure is and how it is measured).
//
//   npm run bench   (or: node build/bench/index.js [--plan-runs N] [--apply-runs N])
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { applyOptions, applySection, cpuRows, rateRows } from './apply.js';
import { loadRows, planFiles, planOptions, planRows, planSection, table } from './plan.js';
import { load } from './processes.js';

const { values } = parseArgs({
  options: { 'plan-runs': { type: 'string', default: '5' }, 'apply-runs': { type: 'string', default: '3' } },
});
const dir = await mkdtemp(path.join(tmpdir(), 'bench-'));
try {
  const started = load();
  const files = planFiles(dir);
  const { plans, loads } = await planSection(files, planOptions(['--runs', values['plan-runs']]));
  const { rates, cpu } = await applySection(dir, files, applyOptions(['--runs', values['apply-runs']]));
  const head =
    `bench (node ${process.version}, ${cpus().length} CPUs, load average ${started} at the start; plan: medians of ` +
    `${values['plan-runs']} runs, apply: medians of ${values['apply-runs']}, each run a fresh process)`;
  process.stdout.write(
    `${head}\n${table(planRows(plans))}\n\n${table(loadRows(loads))}\n\n${table(rateRows(rates))}\n\n${table(cpuRows(cpu))}\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
