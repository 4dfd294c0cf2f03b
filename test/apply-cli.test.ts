// `tailnet-access apply` end to end, in-process through runCli, against the simulator.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/commands/run-cli.js';
import type { Knobs, Simulator } from '../src/simulator/index.js';
import { EXAMPLE_CONFIG, OWNER_KEY, roles, simulator } from './apply-helpers.js';

let sim: Simulator;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-apply-'));
});
afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(knobs: Partial<Knobs> = {}, configText = EXAMPLE_CONFIG): Promise<void> {
  sim = await simulator({ knobs });
  await writeFile(path.join(dir, 'tailnet-access.yaml'), configText);
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['apply', ...argv], {
    env: { TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url },
    cwd: dir,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  expect(stdout + stderr).not.toContain(OWNER_KEY);
  return { code, stdout, stderr };
}

describe('tailnet-access apply', () => {
  it('applies, prints what it did and exits 0; the second run finds nothing to do and writes nothing', async () => {
    await start();
    const first = await cli();
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Applied:\n  Users:\n    ~ bob@example.com  member -> admin\n');
    expect(first.stdout).toMatch(/Policy file: written; ETag [0-9a-f]{12}… -> [0-9a-f]{12}…\n/);
    expect(first.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Apply complete: 1 role change, 1 group created, 1 updated, 1 deleted. The tailnet matches tailnet-access.yaml.',
    );
    expect(roles(sim)['bob@example.com']).toBe('admin');

    sim.requests.clear();
    const second = await cli();
    expect(second.code).toBe(0);
    expect(second.stdout.trimEnd().split('\n').at(-1)).toBe('No changes. The tailnet matches tailnet-access.yaml.');
    expect(sim.requests.countWrites()).toBe(0);
  });

  it('prints the report as JSON with --format json', async () => {
    await start();
    const { code, stdout } = await cli('--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      converged: boolean;
      applied: unknown[];
      policy: { status: string; etagAfter: string };
    };
    expect(report.converged).toBe(true);
    expect(report.applied).toHaveLength(4);
    expect(report.policy).toMatchObject({ status: 'written', etagAfter: sim.state.policy.etag });
  });

  it('refuses a plan over --max-changes: exit 1, the plan and the rail on screen, nothing written', async () => {
    await start();
    const { code, stdout, stderr } = await cli('--max-changes', '2');
    expect(code).toBe(1);
    expect(stdout).toContain('Plan: 1 role change, 1 group to create, 1 to update, 1 to delete.');
    expect(stderr).toBe(
      'refused by the max-changes safety rail: the plan has 4 changes, more than the limit of 2 (--max-changes ' +
        '2). Review the plan, then run again with --max-changes 4 to go ahead, or raise settings.maxChanges in ' +
        'tailnet-access.yaml.\nNothing was written.\n',
    );
    expect(sim.requests.countWrites()).toBe(0);
  });

  it('keeps standard output for the report alone with --format json, even when refused', async () => {
    await start();
    const { code, stdout, stderr } = await cli('--max-changes', '0', '--format', 'json');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^refused by the max-changes safety rail: /);
  });

  it('goes ahead with a mass demotion only with --force', async () => {
    await start(
      {},
      'version: 1\nusers:\n  olivia@example.com: owner\n  alice@example.com: member\n  carol@example.com: member\n',
    );
    const refused = await cli();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^refused by the mass-demotion safety rail: the plan demotes or removes from groups 2 of the 3 managed users/,
    );
    expect(sim.requests.countWrites()).toBe(0);
    const forced = await cli('--force');
    expect(forced.code).toBe(0);
    expect(roles(sim)).toMatchObject({ 'alice@example.com': 'member', 'carol@example.com': 'member' });
  });

  it('exits 1 with the report when a role change fails, having made the others', async () => {
    await start(
      { refuseRoleChangesOf: ['carol@example.com'] },
      EXAMPLE_CONFIG.replace('carol@example.com: {}', 'carol@example.com: admin'),
    );
    const { code, stdout } = await cli();
    expect(code).toBe(1);
    expect(stdout).toContain(
      'Failed:\n  x carol@example.com  network-admin -> admin\n      change the role of carol@example.com to ' +
        'admin (POST /api/v2/users/100004/role): 403 ',
    );
    expect(stdout).toContain('Apply incomplete: 4 changes applied, 1 failed.');
    expect(roles(sim)['bob@example.com']).toBe('admin');
  });

  it('says when the policy changed under it, and keeps the other edit', async () => {
    await start({ externalWriter: { find: '"grafana": "100.64.10.20"', replace: '"grafana": "100.64.10.99"' } });
    const { code, stdout, stderr } = await cli();
    expect(code).toBe(0);
    expect(stderr).toBe('The policy file changed since it was read (attempt 1); reading it again.\n');
    expect(stdout).toContain('Policy file: written after 2 attempts (it was edited by someone else meanwhile); ETag ');
    expect(sim.state.policy.text).toContain('"grafana": "100.64.10.99"');
  });

  it('rejects a --max-changes that is not a whole number before reading anything', async () => {
    await start();
    for (const bad of ['ten', '-1', '2.5', '']) {
      const { code, stderr } = await cli(`--max-changes=${bad}`);
      expect(code).toBe(1);
      expect(stderr).toBe(`error: --max-changes must be a whole number of changes (0 or more), not "${bad}"\n`);
    }
    expect(sim.requests.entries).toEqual([]);
  });
});
