// A new user's rough edges, found by following the README against the simulator: each test is one
// thing such a user ran into (a lost report, a summary that contradicts the exit code, a message in
// parseArgs' words, a setting that silently does nothing).
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { runCli } from '../src/commands/run-cli.js';
import type { Simulator } from '../src/simulator/index.js';
import { EXAMPLE_CONFIG, OWNER_KEY, roles, simulator } from './apply-helpers.js';

let sim: Simulator | undefined;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-review-'));
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const env = sim ? { TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url } : {};
  const code = await runCli(argv, {
    env,
    cwd: dir,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

async function withConfig(text: string): Promise<void> {
  sim = await simulator();
  await writeFile(path.join(dir, 'tailnet-access.yaml'), text);
}

describe('--out', () => {
  it('is checked before apply writes anything: a missing folder changes nothing in the tailnet', async () => {
    await withConfig(EXAMPLE_CONFIG);
    const { code, stdout, stderr } = await cli('apply', '--out', 'reports/apply.txt');
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: --out reports/apply.txt: the folder reports does not exist; create it first, or give another path\n',
    );
    expect(stdout).toBe('');
    expect(sim?.requests.countWrites()).toBe(0);
    expect(roles(sim as Simulator)['bob@example.com']).toBe('member');
  });

  it('refuses a directory by name, and leaves no file behind when the command fails', async () => {
    await mkdir(path.join(dir, 'reports'));
    const asDir = await cli('plan', '--out', 'reports');
    expect(asDir.code).toBe(1);
    expect(asDir.stderr).toBe('error: --out reports is a directory; give the path of a file to write\n');

    const failed = await cli('plan', '--out', 'reports/plan.txt');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('tailnet-access.yaml does not exist');
    expect(await readdir(path.join(dir, 'reports'))).toEqual([]);
  });

  it('writes the output there when the folder exists', async () => {
    await withConfig(EXAMPLE_CONFIG);
    await mkdir(path.join(dir, 'reports'));
    const { code, stdout } = await cli('plan', '--format', 'json', '--out', 'reports/plan.json');
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(await readdir(path.join(dir, 'reports'))).toEqual(['plan.json']);
  });
});

describe('a plan the file cannot have', () => {
  // olivia is the owner; stating alice as owner is a problem, not a change.
  const WRONG_OWNER = 'version: 1\nusers:\n  alice@example.com: owner\n';

  it('plan: exit 1, and the summary does not claim that the tailnet matches the file', async () => {
    await withConfig(WRONG_OWNER);
    const { code, stdout, stderr } = await cli('plan');
    expect(code).toBe(1);
    expect(stdout).not.toContain('The tailnet matches');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      'Not planned: fix the problem below first; until then the tailnet does not match the file.',
    );
    expect(stderr).toContain('tailnet-access.yaml:3:3: error: alice@example.com is stated as owner but is an admin');
  });

  it('plan --format markdown says the same in its status line', async () => {
    await withConfig(WRONG_OWNER);
    const { code, stdout } = await cli('plan', '--format', 'markdown');
    expect(code).toBe(1);
    expect(stdout).toContain(
      '**Not planned:** fix the problem below first; until then the tailnet does not match the file.',
    );
    expect(stdout).not.toContain('No changes.');
  });

  it('apply: refused, and the plan shown with it does not claim a match either', async () => {
    await withConfig(WRONG_OWNER);
    const { code, stdout, stderr } = await cli('apply');
    expect(code).toBe(1);
    expect(stdout).not.toContain('The tailnet matches');
    expect(stderr).toMatch(/^refused by the owner safety rail: /);
    expect(sim?.requests.countWrites()).toBe(0);
  });

  it('a plan without problems still ends with "No changes." when there are none', async () => {
    await withConfig('version: 1\nusers:\n  olivia@example.com: owner\n');
    const { code, stdout } = await cli('plan');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('No changes. The tailnet matches tailnet-access.yaml.');
  });
});

describe('drift --format markdown', () => {
  it('is headed as a drift report, not as a plan', async () => {
    await withConfig(EXAMPLE_CONFIG);
    const drift = await cli('drift', '--format', 'markdown');
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/^### tailnet-access drift\n/);
    const plan = await cli('plan', '--format', 'markdown');
    expect(plan.stdout).toMatch(/^### tailnet-access plan\n/);
  });
});

describe('flags in the wrong place', () => {
  it('names the command a misplaced flag belongs to', async () => {
    const plan = await cli('plan', '--max-changes', '3');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toBe('error: plan: unknown flag --max-changes; it is a flag of apply, not of plan\n');
    const drift = await cli('drift', '--detailed-exitcode');
    expect(drift.stderr).toBe('error: drift: unknown flag --detailed-exitcode; it is a flag of plan, not of drift\n');
  });

  it('says in its own words that a flag needs a value, or takes none', async () => {
    const missing = await cli('plan', '--config');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'error: plan: --config needs a value (--config VALUE, or --config=VALUE when the value starts with "-")\n',
    );
    const swallowed = await cli('plan', '--config', '--tailnet', 'example.com');
    expect(swallowed.stderr).toBe(
      'error: plan: --config needs a value (--config VALUE, or --config=VALUE when the value starts with "-")\n',
    );
    const valued = await cli('apply', '--force=yes');
    expect(valued.stderr).toBe('error: apply: --force takes no value; give it alone to turn it on\n');
  });

  it('refuses an empty --config or --out instead of naming the current directory', async () => {
    const config = await cli('plan', '--config=');
    expect(config.code).toBe(1);
    expect(config.stderr).toBe('error: --config needs a file name (it defaults to tailnet-access.yaml)\n');
    const out = await cli('plan', '--out=');
    expect(out.code).toBe(1);
    expect(out.stderr).toBe('error: --out needs a file name\n');
  });
});

describe('settings.onManualEdits without settings.policyFile', () => {
  it('is a warning at the setting: it concerns a policy file kept in git, and there is none', () => {
    const { warnings } = parseConfig('version: 1\nsettings:\n  onManualEdits: fail\n', 'tailnet-access.yaml');
    expect(warnings).toEqual([
      expect.objectContaining({
        line: 3,
        column: 3,
        severity: 'warning',
        code: 'settings.without-policy-file',
        message: expect.stringContaining('settings.onManualEdits has no effect without settings.policyFile'),
      }),
    ]);
  });

  it('is shown in the plan, and not said when the policy file is set', async () => {
    await withConfig('version: 1\nusers:\n  olivia@example.com: owner\nsettings:\n  onManualEdits: fail\n');
    const { stdout } = await cli('plan');
    expect(stdout).toContain(
      '! tailnet-access.yaml:5:3: settings.onManualEdits has no effect without settings.policyFile',
    );
    const withFile = parseConfig(
      'version: 1\nsettings:\n  policyFile: policy.hujson\n  onManualEdits: fail\n',
      'tailnet-access.yaml',
    );
    expect(withFile.warnings).toEqual([]);
  });
});

describe('simulate', () => {
  it('says which port is taken instead of printing EADDRINUSE', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const { code, stderr } = await cli('simulate', '--port', String(port));
      expect(code).toBe(1);
      expect(stderr).toBe(
        `error: port ${port} on 127.0.0.1 is already in use; give another --port, or leave it out to take any ` +
          `free one\n`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('demo', () => {
  it('plans a file given with --config against the example tailnet, and stays on the simulator', async () => {
    await writeFile(path.join(dir, 'mine.yaml'), 'version: 1\nusers:\n  dave@example.com: auditor\n');
    const { code, stdout, stderr } = await cli('demo', '--config', 'mine.yaml', '--base-url', 'http://127.0.0.1:1');
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^Simulated tailnet example\.com at http:\/\/127\.0\.0\.1:\d+; planning mine\.yaml against it\.\n/,
    );
    expect(stdout).toContain('~ dave@example.com  member -> auditor');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('Plan: 1 role change.');
  });
});
