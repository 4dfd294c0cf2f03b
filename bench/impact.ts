// bench/impact: how long finding where groups are used takes on a large policy.
//
// Builds policies of about 1 MB and 5 MB with 5,000 groups, used across acls, grants, ssh, tagOwners,
// autoApprovers, nodeAttrs and tests, with comments, and times parseHujson and findGroupReferences
// separately: for every group at once (the worst plan: all groups changed) and for 10 groups (a usual
// plan). Each figure is the median of several runs after a warm-up, in one process: wall time, and
// the process's CPU time beside it, which a busy machine inflates less.
//
//   npx tsc -p tsconfig.bench.json && node build/bench/impact.js [--runs N]
import { parseHujson } from '../src/policy/hujson.js';
import { findGroupReferences } from '../src/policy/impact.js';

/** The whole of a plan's impact step on a 5 MB policy: parse and find, all 5,000 groups. */
const TARGET_MS = 1000;
const GROUPS = 5000;

function policy(rulesPerSection: number): string {
  const group = (i: number): string => `group:team-${i % GROUPS}`;
  const lines: string[] = ['// A generated policy for bench/impact.', '{', '\t"groups": {'];
  for (let g = 0; g < GROUPS; g++)
    lines.push(`\t\t${JSON.stringify(group(g))}: ["user${g}@example.com", "lead${g % 97}@example.com"],`);
  lines.push('\t},', '\t"acls": [');
  for (let i = 0; i < rulesPerSection; i++) {
    lines.push(`\t\t// rule ${i}: ${group(i)} reaches its servers`);
    lines.push(
      `\t\t{"action": "accept", "src": [${JSON.stringify(group(i))}, "autogroup:admin"], "dst": ` +
        `["tag:svc-${i}:22,443", "${group(i + 7)}:*"]},`,
    );
  }
  lines.push('\t],', '\t"grants": [');
  for (let i = 0; i < rulesPerSection; i++)
    lines.push(
      `\t\t{"src": [${JSON.stringify(group(i * 3))}], "dst": ["tag:db-${i}"], "ip": ["tcp:5432"], "via": ` +
        `["tag:exit-${i % 9}"]},`,
    );
  lines.push('\t],', '\t"ssh": [');
  for (let i = 0; i < rulesPerSection / 4; i++)
    lines.push(
      `\t\t{"action": "check", "src": [${JSON.stringify(group(i * 5))}], "dst": ["tag:svc-${i}"], "users": ` +
        `["root", "autogroup:nonroot"]},`,
    );
  lines.push('\t],', '\t"tagOwners": {');
  for (let i = 0; i < rulesPerSection / 4; i++)
    lines.push(`\t\t"tag:svc-${i}": [${JSON.stringify(group(i * 11))}, "autogroup:admin"],`);
  lines.push('\t},', '\t"autoApprovers": {"routes": {');
  for (let i = 0; i < rulesPerSection / 8; i++)
    lines.push(`\t\t"10.${(i >> 8) & 255}.${i & 255}.0/24": [${JSON.stringify(group(i * 13))}, "tag:router"],`);
  lines.push('\t}, "exitNode": ["tag:exit", "group:team-1"]},', '\t"nodeAttrs": [');
  for (let i = 0; i < rulesPerSection / 8; i++)
    lines.push(`\t\t{"target": [${JSON.stringify(group(i * 17))}], "attr": ["funnel"]},`);
  lines.push('\t],', '\t"tests": [');
  for (let i = 0; i < rulesPerSection / 4; i++)
    lines.push(`\t\t{"src": ${JSON.stringify(group(i))}, "accept": ["tag:svc-${i}:22"], "deny": ["tag:db-${i}:22"]},`);
  lines.push('\t],', '}', '');
  return lines.join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface Timing {
  wall: number;
  cpu: number;
}

function time(runs: number, work: () => unknown): Timing {
  work();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    work();
    const used = process.cpuUsage(cpu);
    walls.push(performance.now() - start);
    cpus.push((used.user + used.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

const ms = (t: Timing): string => `${t.wall.toFixed(0).padStart(5)} ms  (cpu ${t.cpu.toFixed(0)} ms)`;

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 7;
const all = Array.from({ length: GROUPS }, (_, g) => `group:team-${g}`);
const few = all.slice(0, 10);

for (const rules of [2_000, 13_000]) {
  const text = policy(rules);
  const doc = parseHujson(text);
  const found = findGroupReferences(doc, all);
  const parseMs = time(runs, () => parseHujson(text));
  const allMs = time(runs, () => findGroupReferences(doc, all));
  const fewMs = time(runs, () => findGroupReferences(doc, few));
  const total = { wall: parseMs.wall + allMs.wall, cpu: parseMs.cpu + allMs.cpu };
  console.log(
    `impact: ${(text.length / 1e6).toFixed(1)} MB policy, ${GROUPS} groups, ${found.references.length} references ` +
      `(${found.unused.length} groups unused); median of ${runs}`,
  );
  console.log(`  parseHujson                      ${ms(parseMs)}`);
  console.log(`  findGroupReferences, all groups  ${ms(allMs)}`);
  console.log(`  findGroupReferences, 10 groups   ${ms(fewMs)}`);
  console.log(
    `  parse + all groups               ${ms(total)}  target < ${TARGET_MS} ` +
      `ms${total.wall < TARGET_MS ? '' : '  ABOVE TARGET'}`,
  );
}
