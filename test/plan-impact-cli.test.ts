// Group impact and role grants through the CLI against the simulator: a plan says where the policy uses
// each group it creates, updates or deletes (text and --format json, with the rules' lines), that a
// group used nowhere grants nothing, and what a changed role may do.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/simulator/index.js';
import { fixture, OWNER_KEY, simulator } from './apply-helpers.js';
import { cli as runInProcess, type CliResult } from './import-helpers.js';

const POLICY = readFileSync(new URL('fixtures/policy/impact-simulator.hujson', import.meta.url), 'utf8');
// bob is promoted and joins group:eng; group:new is created and used nowhere; group:old goes.
const CONFIG = `version: 1
users:
  bob@example.com: admin
groups:
  eng: [alice@example.com, bob@example.com]
  new: [carol@example.com]
settings:
  unmanagedGroups: remove
`;

const schema = (name: string): object =>
  JSON.parse(readFileSync(new URL(`../schema/${name}`, import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(schema('plan.schema.json'), 'plan.schema.json');

let sim: Simulator;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-impact-'));
  // The fixture's sshTests are not evaluated by the simulator; Tailscale would run them.
  sim = await simulator({ fixture: fixture((f) => (f.policy = POLICY)), knobs: { unevaluableTests: 'pass' } });
  await writeFile(path.join(dir, 'tailnet-access.yaml'), CONFIG);
});
afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (...argv: string[]): Promise<CliResult> =>
  runInProcess(argv, { TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url }, dir);

interface Reference {
  group: string;
  section: string;
  index: number | string | null;
  line: number;
  column: number;
  rule: string;
  fields: string[];
}
const at = (
  section: string,
  index: number | string | null,
  line: number,
  rule: string,
  fields: string[] = [],
): Reference => ({ group: 'group:eng', section, index, line, column: 3, rule, fields });

// Every rule of fixtures/policy/impact-simulator.hujson that names group:eng, with its line there.
const ENG: Reference[] = [
  at('tagOwners', 'tag:server', 10, 'tag:server owned by group:eng'),
  at('acls', 0, 14, 'accept group:eng -> tag:server:22', ['src']),
  at('acls', 1, 15, 'accept tag:router -> group:eng:443', ['dst']),
  at('grants', 0, 18, 'group:eng -> tag:server ip tcp:80 if posture:stable', ['src']),
  at('grants', 1, 19, 'tag:router -> group:eng ip icmp:*', ['dst']),
  at('ssh', 0, 22, 'accept group:eng -> tag:server as root', ['src']),
  at('ssh', 1, 23, 'check autogroup:admin -> group:eng as group:eng', ['dst', 'users']),
  { ...at('autoApprovers.routes', '10.0.0.0/8', 27, 'route 10.0.0.0/8 auto-approved for group:eng'), column: 4 },
  at('autoApprovers.exitNode', null, 29, 'exit nodes auto-approved for group:eng'),
  at('nodeAttrs', 0, 32, 'group:eng get funnel', ['target']),
  at('tests', 0, 38, 'test from group:eng: accepts tag:server:22', ['src']),
  at('sshTests', 0, 41, 'ssh test from group:eng to tag:server: accepts root', ['src']),
];

describe('plan: what the changed groups grant', () => {
  it(
    'lists, after the changes, every rule of the live policy that names a changed group, and the groups used ' +
      'nowhere',
    async () => {
      const run = await cli('plan');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const lines = run.stdout.split('\n');
      const start = lines.indexOf('What these groups grant (lines of the live policy):');
      expect(start).toBeGreaterThan(lines.indexOf('Groups:'));
      expect(lines.slice(start + 1, lines.indexOf('', start))).toEqual([
        '  group:new is used nowhere in the policy',
        '  group:old is used nowhere in the policy',
        '  group:eng → tagOwners["tag:server"] line 10: tag:server owned by group:eng',
        '  group:eng → acls[0] line 14: accept group:eng -> tag:server:22',
        '  group:eng → acls[1] line 15: accept tag:router -> group:eng:443',
        '  group:eng → grants[0] line 18: group:eng -> tag:server ip tcp:80 if posture:stable',
        '  group:eng → grants[1] line 19: tag:router -> group:eng ip icmp:*',
        '  group:eng → ssh[0] line 22: accept group:eng -> tag:server as root',
        '  group:eng → ssh[1] line 23: check autogroup:admin -> group:eng as group:eng',
        '  group:eng → autoApprovers.routes["10.0.0.0/8"] line 27: route 10.0.0.0/8 auto-approved for group:eng',
        '  group:eng → autoApprovers.exitNode line 29: exit nodes auto-approved for group:eng',
        '  group:eng → nodeAttrs[0] line 32: group:eng get funnel',
        '  group:eng → tests[0] line 38: test from group:eng: accepts tag:server:22',
        '  group:eng → sshTests[0] line 41: ssh test from group:eng to tag:server: accepts root',
      ]);
      // Each line number is the rule's line in the live policy.
      const policyLines = sim.state.policy.text.split('\n');
      for (const ref of ENG) expect(policyLines[ref.line - 1]?.slice(ref.column - 1)).toMatch(/^[{"]/);
      expect(policyLines[13]).toContain('"src": ["group:eng"], "dst": ["tag:server:22"]');
      expect(policyLines[40]).toContain('"src": "group:eng", "dst": ["tag:server"]');
    },
  );

  it('says what the promoted role may do, under the role change', async () => {
    const run = await cli('plan');
    expect(run.stdout).toContain(
      '  ~ bob@example.com  member -> admin\n      + gains everything in the admin console but ownership, billing ' +
        'included\n',
    );
  });

  it('gives the impact in the plan JSON as `impact` and `unusedGroups`, within the schema', async () => {
    const run = await cli('plan', '--format', 'json');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { impact: Reference[]; unusedGroups: string[] };
    expect(json.impact).toEqual(ENG);
    expect(json.unusedGroups).toEqual(['group:new', 'group:old']);
    const validate = ajv.getSchema('plan.schema.json');
    expect(validate?.(json), JSON.stringify(validate?.errors)).toBe(true);
  });

  it('has no impact section when no group changes, and an empty impact in JSON', async () => {
    await writeFile(
      path.join(dir, 'tailnet-access.yaml'),
      'version: 1\nusers:\n  bob@example.com: it-admin\ngroups:\n  eng: [alice@example.com]\n',
    );
    const run = await cli('plan');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('What these groups grant');
    expect(run.stdout).toContain(
      '  ~ bob@example.com  member -> it-admin\n      + gains users and devices (the policy file and network ' +
        'settings read-only)\n',
    );
    const json = JSON.parse((await cli('plan', '--format', 'json')).stdout) as {
      impact: Reference[];
      unusedGroups: string[];
    };
    expect(json.impact).toEqual([]);
    expect(json.unusedGroups).toEqual([]);
  });

  it('in markdown, lists each rule with its place and line', async () => {
    const run = await cli('plan', '--format', 'markdown');
    expect(run.stdout).toContain(
      '**What these groups grant** (lines of the live policy)\n\n- `group:new` is used nowhere in the policy\n- ' +
        '`group:old` is used nowhere in the policy\n- `group:eng` → `tagOwners["tag:server"]` line 10: `tag:server ' +
        'owned by group:eng`\n',
    );
    expect(run.stdout).toContain(
      '- `group:eng` → `sshTests[0]` line 41: `ssh test from group:eng to tag:server: accepts root`\n',
    );
  });
});

describe('plan under settings.policyFile: the impact is found in the policy file in git', () => {
  it('names the file, and sees a rule the pull request adds for a new group', async () => {
    const file = path.join(dir, 'policy.hujson');
    // The file in git gains a rule for group:new that the live policy does not have yet.
    const rule = '\t\t{"action": "accept", "src": ["group:new"], "dst": ["tag:server:8080"]},\n';
    await writeFile(file, POLICY.replace('\t"acls": [\n', `\t"acls": [\n${rule}`));
    await writeFile(path.join(dir, 'tailnet-access.yaml'), `${CONFIG}  policyFile: policy.hujson\n`);
    expect((await cli('render')).code).toBe(0);
    const run = await cli('plan', '--format', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { impact: Reference[]; unusedGroups: string[] };
    const rendered = (await readFile(file, 'utf8')).split('\n');
    const ruleLine = rendered.findIndex((l) => l.includes('"src": ["group:new"]')) + 1;
    expect(ruleLine).toBeGreaterThan(0);
    expect(json.impact.filter((r) => r.group === 'group:new')).toEqual([
      {
        group: 'group:new',
        section: 'acls',
        index: 0,
        line: ruleLine,
        column: 3,
        rule: 'accept group:new -> tag:server:8080',
        fields: ['src'],
      },
    ]);
    // The lines are the file's: each names the rule it points at.
    for (const ref of json.impact) expect(rendered[ref.line - 1]).toContain(ref.group);
    expect(json.unusedGroups).toEqual(['group:old']);
    const text = await cli('plan');
    expect(text.stdout).toContain(
      `What these groups grant (lines of policy.hujson):\n  group:old is used nowhere in the policy\n  group:eng ` +
        `→ tagOwners["tag:server"] line `,
    );
    expect(text.stdout).toContain(`  group:new → acls[0] line ${ruleLine}: accept group:new -> tag:server:8080\n`);
  });
});
