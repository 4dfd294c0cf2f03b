// settings.policyFile end to end, in-process through runCli, against the simulator: a team that keeps
// its whole policy in git, migrated with `import --policy-file`. Plan shows and validates the whole
// policy, errors point into the policy file, apply writes it whole, and an edit made in the admin
// console between two applies is noticed, and warned about or refused, never silently lost.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/commands/run-cli.js';
import { DEFAULT_POLICY, type Simulator } from '../src/simulator/index.js';
import { OWNER_KEY, simulator } from './apply-helpers.js';

let sim: Simulator;
let dir: string;

const schema = (name: string): object =>
  JSON.parse(readFileSync(new URL(`../schema/${name}`, import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(schema('plan.schema.json'), 'plan.schema.json');
const validatePlan = ajv.getSchema('plan.schema.json');
const validateReport = ajv.compile(schema('apply-report.schema.json'));

function schemaErrors(validate: typeof validateReport | undefined, value: unknown): string[] {
  if (!validate) throw new Error('schema not compiled');
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url },
    cwd: dir,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  expect(stdout + stderr).not.toContain(OWNER_KEY);
  return { code, stdout, stderr };
}

const policyPath = (): string => path.join(dir, 'policy.hujson');
const yamlPath = (): string => path.join(dir, 'tailnet-access.yaml');

async function edit(file: string, find: string, replace: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  expect(text).toContain(find);
  await writeFile(file, text.replace(find, replace));
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string): string {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

const RULE = '{"action": "accept", "src": ["group:eng"], "dst": ["tag:prod:22,443"]},';
const WIDER_RULE = '{"action": "accept", "src": ["group:eng"], "dst": ["tag:prod:22,443,8443"]},';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-policy-file-'));
  sim = await simulator();
  await writeFile(policyPath(), DEFAULT_POLICY);
  const imported = await cli('import', '--policy-file', 'policy.hujson');
  expect(imported.code).toBe(0);
});
afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('migrating with import --policy-file', () => {
  it(
    "writes a file whose groups are the policy file's, so render --check passes and plan shows no " + 'changes',
    async () => {
      const yaml = await readFile(yamlPath(), 'utf8');
      expect(yaml).toContain(
        '  group:eng:\n    description: "Engineering: everyone who ships code."\n    members:\n      - ' +
          'alice@example.com\n      - dave@example.com\n',
      );
      expect(yaml).toContain('  policyFile: policy.hujson');
      expect((await cli('render', '--check')).code).toBe(0);
      const plan = await cli('plan', '--detailed-exitcode');
      expect(plan.code).toBe(0);
      expect(plan.stdout.trimEnd().split('\n').at(-1)).toBe(
        'No changes. The tailnet matches tailnet-access.yaml and policy.hujson.',
      );
    },
  );
});

describe('plan under settings.policyFile', () => {
  it('shows an edited ACL rule in the whole-policy diff, validated by Tailscale', async () => {
    await edit(policyPath(), RULE, WIDER_RULE);
    const plan = await cli('plan', '--detailed-exitcode');
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(`  -\t\t${RULE}\n  +\t\t${WIDER_RULE}\n`);
    expect(plan.stdout).toContain(
      'Policy file policy.hujson: apply writes it whole (+1 -1 lines against the live policy',
    );
    expect(plan.stdout).toContain('Tailscale validates it, tests included.');
    expect(plan.stdout.trimEnd().split('\n').at(-1)).toBe('Plan: policy.hujson to write (+1 -1 lines).');
    expect(sim.requests.entries.some((e) => e.path.endsWith('/acl/validate'))).toBe(true);
    expect(sim.requests.countWrites()).toBe(0);
  });

  it("puts the policy diff into the plan JSON, which keeps to the schema's shape", async () => {
    await edit(policyPath(), RULE, WIDER_RULE);
    const plan = await cli('plan', '--format', 'json');
    const json = JSON.parse(plan.stdout) as { changes: unknown[]; policyFile: Record<string, unknown> };
    expect(json.changes).toEqual([]);
    expect(json.policyFile).toMatchObject({
      file: 'policy.hujson',
      changed: true,
      linesAdded: 1,
      linesRemoved: 1,
      rendered: true,
      valid: true,
      errors: [],
    });
    expect(json.policyFile.diff).toContain(`+\t\t${WIDER_RULE}\n`);
    expect(schemaErrors(validatePlan, json)).toEqual([]);
    expect(schemaErrors(validatePlan, { ...json, policyFile: { ...json.policyFile, extra: 1 } })).not.toEqual([]);
  });

  it('reports a failing test at the line and column of the address in the policy file', async () => {
    await edit(
      policyPath(),
      '"accept": ["tag:prod:22", "tag:ci:443"],',
      '"accept": ["tag:prod:22", "tag:ci:443", "tag:monitoring:9100"],',
    );
    const text = await readFile(policyPath(), 'utf8');
    const at = positionOf(text, '"tag:monitoring:9100"],\n\t\t\t"deny":   ["tag:monitoring:9100"]');
    const plan = await cli('plan');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(
      `policy.hujson:${at}: error: Tailscale refuses the policy: test(s) failed: alice@example.com: address ` +
        `"tag:monitoring:9100": want: Accept, got: Drop\n`,
    );
    expect(plan.stdout).toContain('Tailscale refuses it (1 error)');
  });

  it('reports a HuJSON syntax error at its line in the policy file, before asking Tailscale anything', async () => {
    await edit(
      policyPath(),
      '"hosts": {\n\t\t"grafana": "100.64.10.20",\n\t},',
      '"hosts": {\n\t\t"grafana": "100.64.10.20"\n\t\t"prometheus": "100.64.10.21",\n\t},',
    );
    sim.requests.clear();
    const plan = await cli('plan');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toBe(
      `policy.hujson:27:3: expected ',' between values, found "\\"prometheus\\""\n1 problem in policy.hujson; ` +
        `nothing was written to the tailnet.\n`,
    );
    expect(sim.requests.entries).toEqual([]);
  });

  it(
    'is an error on the policy file, with the command that fixes it, when the file is not rendered from ' + 'the YAML',
    async () => {
      await edit(yamlPath(), '      - dave@example.com\n', '      - dave@example.com\n      - bob@example.com\n');
      const plan = await cli('plan');
      expect(plan.code).toBe(1);
      // The first line that differs: where bob goes, after dave and his comment.
      expect(positionOf(DEFAULT_POLICY, '\t\t],')).toBe('13:1');
      expect(plan.stderr).toContain(
        'policy.hujson:13:1: error: policy.hujson does not hold the groups of tailnet-access.yaml (group ' +
          'group:eng); run `tailnet-access render` and commit the result',
      );
      const apply = await cli('apply');
      expect(apply.code).toBe(1);
      expect(apply.stderr).toContain('refused by the plan safety rail');
      expect(sim.requests.countWrites()).toBe(0);

      const rendered = await cli('render');
      expect(rendered.code).toBe(0);
      expect(rendered.stdout).toContain('+\t\t\t"bob@example.com",\n');
      expect((await cli('plan')).code).toBe(0);
    },
  );
});

describe('apply under settings.policyFile', () => {
  it('writes the file whole, remembers its ETag, and has nothing to do the second time', async () => {
    await edit(policyPath(), RULE, WIDER_RULE);
    const apply = await cli('apply');
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(sim.state.policy.text).toBe(await readFile(policyPath(), 'utf8'));
    expect(apply.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Apply complete: policy.hujson written (+1 -1 lines). The tailnet matches tailnet-access.yaml.',
    );
    const state = JSON.parse(await readFile(path.join(dir, '.tailnet-access', 'state.json'), 'utf8')) as {
      policies: Record<string, { etag: string }>;
    };
    // Kept under the tailnet's ID, which says which tailnet "-" was.
    expect(Object.keys(state.policies)).toEqual(['T1234CNTRL']);
    expect(state.policies.T1234CNTRL?.etag).toBe(sim.state.policy.etag);
    expect(existsSync(path.join(dir, '.tailnet-access', '.gitignore'))).toBe(true);

    sim.requests.clear();
    const again = await cli('apply');
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('edited outside git');
    expect(sim.requests.countWrites()).toBe(0);
  });

  it('writes role changes and group changes from the YAML together with the rendered file', async () => {
    await edit(yamlPath(), 'bob@example.com: member', 'bob@example.com: admin');
    await edit(yamlPath(), '      - dave@example.com\n', '');
    expect((await cli('render')).code).toBe(0);
    const apply = await cli('apply', '--format', 'json');
    const report = JSON.parse(apply.stdout) as {
      converged: boolean;
      applied: { type: string }[];
      policyFile: { diff: string };
    };
    expect(report.converged).toBe(true);
    expect(report.applied.map((c) => c.type)).toEqual(['user.role', 'group.update']);
    expect(report.policyFile.diff).toContain('-\t\t\t"dave@example.com", // on loan from support until Q3\n');
    expect(sim.state.policy.text).toBe(await readFile(policyPath(), 'utf8'));
    expect(sim.state.users.all().find((u) => u.loginName === 'bob@example.com')?.role).toBe('admin');
  });
});

describe('an edit made in the admin console between two applies', () => {
  const CONSOLE_FIND = '"grafana": "100.64.10.20"';
  const CONSOLE_EDIT = '"grafana": "100.64.10.99"';

  beforeEach(async () => {
    expect((await cli('apply')).code).toBe(0);
    sim.state.policy.text = sim.state.policy.text.replace(CONSOLE_FIND, CONSOLE_EDIT);
    await edit(policyPath(), RULE, WIDER_RULE);
  });

  it('is reported by plan and drift with what was edited', async () => {
    const drift = await cli('drift');
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain('the live policy was edited outside git since tailnet-access last applied it');
    expect(drift.stdout).toContain(`  -\t\t${CONSOLE_FIND},\n  +\t\t${CONSOLE_EDIT},\n`);
  });

  it('under onManualEdits: warn, is overwritten, and the report shows what the edit was', async () => {
    const apply = await cli('apply');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('apply overwrites the edit (settings.onManualEdits: warn)');
    expect(apply.stdout).toContain('), overwritten by this apply:\n');
    expect(apply.stdout).toContain(`  +\t\t${CONSOLE_EDIT},\n`);
    expect(sim.state.policy.text).toBe(await readFile(policyPath(), 'utf8'));
  });

  it(
    'under onManualEdits: fail, is refused with the edit and the file untouched, until it is folded ' + 'into git',
    async () => {
      await edit(yamlPath(), 'onManualEdits: warn', 'onManualEdits: fail');
      const live = sim.state.policy.text;
      const file = await readFile(policyPath(), 'utf8');
      const refused = await cli('apply');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'settings.onManualEdits is fail, so nothing was written: the edit and the file are as they were',
      );
      expect(refused.stderr).toContain('run `tailnet-access render --from-live`');
      expect(refused.stdout).toContain(`  +\t\t${CONSOLE_EDIT},\n`);
      expect(sim.state.policy.text).toBe(live);
      expect(await readFile(policyPath(), 'utf8')).toBe(file);

      // Folding it in: the live policy into the file, and the wanted change made again on top.
      const pulled = await cli('render', '--from-live');
      expect(pulled.code).toBe(0);
      expect(pulled.stderr).toContain('Its groups agree with tailnet-access.yaml');
      expect(await readFile(policyPath(), 'utf8')).toBe(live);
      await edit(policyPath(), RULE, WIDER_RULE);
      const plan = await cli('plan');
      expect(plan.stdout).toContain('policy.hujson in git already holds the edit, so applying it loses nothing');
      const apply = await cli('apply');
      expect(apply.code).toBe(0);
      expect(sim.state.policy.text).toContain(CONSOLE_EDIT);
      expect(sim.state.policy.text).toContain(WIDER_RULE);
    },
  );
});

describe('an edit made in the admin console while apply writes', () => {
  const writer = { edit: { find: '"grafana": "100.64.10.20"', replace: '"grafana": "100.64.10.77"' } };

  it('under warn, is overwritten after the 412, and reported with what it was', async () => {
    await edit(policyPath(), RULE, WIDER_RULE);
    sim.setKnobs({ externalWriter: writer });
    const apply = await cli('apply', '--format', 'json');
    const report = JSON.parse(apply.stdout) as {
      policy: { status: string; attempts: number };
      policyFile: { manualEdits: { found: string; overwritten: boolean; diff: string }[] };
    };
    expect(report.policy).toMatchObject({ status: 'written', attempts: 2 });
    expect(report.policyFile.manualEdits).toEqual([expect.objectContaining({ found: 'during', overwritten: true })]);
    expect(report.policyFile.manualEdits[0]?.diff).toContain('+\t\t"grafana": "100.64.10.77",\n');
    expect(schemaErrors(validateReport, report)).toEqual([]);
    expect(sim.state.policy.text).toBe(await readFile(policyPath(), 'utf8'));
  });

  it('under fail, is left in place and nothing is written', async () => {
    await edit(yamlPath(), 'onManualEdits: warn', 'onManualEdits: fail');
    await edit(policyPath(), RULE, WIDER_RULE);
    sim.setKnobs({ externalWriter: writer });
    const apply = await cli('apply');
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain('edited outside git while apply ran');
    expect(sim.state.policy.text).toContain('"grafana": "100.64.10.77"');
    expect(sim.state.policy.text).not.toContain(WIDER_RULE);
  });
});

describe('our own write, seen again', () => {
  it('a write stored with its answer lost is reported as written, and not as a change since it was read', async () => {
    await edit(yamlPath(), 'onManualEdits: warn', 'onManualEdits: fail');
    await edit(policyPath(), RULE, WIDER_RULE);
    sim.setKnobs({ faultsAfterWrite: { rate: 1, seed: 1, kinds: ['reset'], methods: ['POST'] } });
    const apply = await cli('apply', '--format', 'json');
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const report = JSON.parse(apply.stdout) as {
      policy: { status: string; attempts: number };
      policyFile: { manualEdits: unknown[]; recorded: boolean };
    };
    expect(report.policy).toMatchObject({ status: 'written', attempts: 1 });
    expect(report.policyFile).toMatchObject({ manualEdits: [], recorded: true });
    expect(sim.requests.filter({ method: 'POST', path: '/api/v2/tailnet/-/acl' }).map((e) => e.status)).toEqual([
      0, 412,
    ]);
  });

  it(
    'the state file notes the hash of the text before the write, and the record replaces the note after ' + 'it',
    async () => {
      await cli('apply');
      await edit(policyPath(), RULE, WIDER_RULE);
      const seen: unknown[] = [];
      sim.setKnobs({
        externalWriter: (text) => {
          seen.push(JSON.parse(readFileSync(path.join(dir, '.tailnet-access', 'state.json'), 'utf8')));
          return text;
        },
      });
      expect((await cli('apply')).code).toBe(0);
      const wider = await readFile(policyPath(), 'utf8');
      expect(seen).toEqual([
        {
          version: 1,
          policies: {
            T1234CNTRL: expect.objectContaining({ intended: createHash('sha256').update(wider).digest('hex') }),
          },
        },
      ]);
      const after = JSON.parse(await readFile(path.join(dir, '.tailnet-access', 'state.json'), 'utf8')) as {
        policies: Record<string, object>;
      };
      expect(after.policies.T1234CNTRL).toEqual({
        etag: sim.state.policy.etag,
        sha256: createHash('sha256').update(wider).digest('hex'),
        text: wider,
      });
    },
  );
});
