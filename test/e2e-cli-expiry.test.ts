// End dates and statuses end to end through the CLI against the simulator: --now, an expired role, an expired
// membership, a suspension, a restore, and a second apply that writes nothing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/simulator/index.js';
import { fixture, OWNER_KEY, roles, simulator } from './apply-helpers.js';
import { cli as runInProcess, type CliResult } from './import-helpers.js';

let sim: Simulator;
let dir: string;

const CONFIG = `version: 1
users:
  olivia@example.com: owner
  alice@example.com: admin
  bob@example.com: { role: admin, until: 2026-12-31 }
  dave@example.com: { status: suspended }
  henry@example.com: { status: active }
groups:
  eng:
    - alice@example.com
    - { login: bob@example.com, until: "2026-12-05T18:00:00Z" }
settings:
  expiryWarningDays: 7
  maxChanges: 10
`;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-expiry-'));
  sim = await simulator();
  await writeFile(path.join(dir, 'tailnet-access.yaml'), CONFIG);
});
afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (...argv: string[]): Promise<CliResult> =>
  runInProcess(argv, { TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url }, dir);

function statusOf(login: string): string | undefined {
  return sim.state.users.all().find((u) => u.loginName === login)?.status;
}

describe('end dates and statuses through the CLI', () => {
  it('plans --now in the warning window with warnings, then applies as of the new year, and converges', async () => {
    const early = await cli('plan', '--now', '2026-12-01', '--format', 'json');
    expect(early.code).toBe(0);
    const plan = JSON.parse(early.stdout) as {
      changes: { type: string; login?: string; reason?: string }[];
      warnings: { code: string }[];
    };
    expect(plan.changes.map((c) => [c.type, c.login, c.reason])).toEqual([
      ['user.role', 'bob@example.com', 'declared'],
      ['user.suspend', 'dave@example.com', 'declared'],
      ['user.restore', 'henry@example.com', 'declared'],
      ['group.update', undefined, undefined],
    ]);
    expect(plan.warnings.filter((w) => w.code === 'access.expiring')).toHaveLength(1);

    const applied = await cli('apply', '--now', '2027-01-01');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('dave@example.com   suspend');
    expect(statusOf('dave@example.com')).toBe('suspended');
    expect(statusOf('henry@example.com')).not.toBe('suspended');
    // Admin until 2026-12-31: as of 2027-01-01 bob stays a member (never promoted).
    expect(roles(sim)['bob@example.com']).toBe('member');

    sim.requests.clear();
    const again = await cli('apply', '--now', '2027-01-01');
    expect(again.code).toBe(0);
    expect(sim.requests.countWrites()).toBe(0);
  });

  it('a refused suspension fails alone: the restore is made, the report says what failed', async () => {
    await sim.close();
    sim = await simulator({ knobs: { refuseStatusChangesOf: ['dave@example.com'] } });
    const applied = await cli('apply', '--now', '2027-01-01');
    expect(applied.code).not.toBe(0);
    expect(statusOf('dave@example.com')).not.toBe('suspended');
    expect(statusOf('henry@example.com')).not.toBe('suspended');
    expect(applied.stdout + applied.stderr).toContain('dave@example.com');
  });

  it('shows the end of what a plan grants, in text and in JSON', async () => {
    const text = await cli('plan', '--now', '2026-12-01');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/bob@example\.com +member -> admin {2}until 2026-12-31/);
    expect(text.stdout).toContain('+ bob@example.com  until 2026-12-05T18:00:00Z');
    const json = JSON.parse((await cli('plan', '--now', '2026-12-01', '--format', 'json')).stdout) as {
      changes: { type: string; until?: unknown }[];
    };
    expect(json.changes.find((c) => c.type === 'user.role')?.until).toBe('2026-12-31');
    expect(json.changes.find((c) => c.type === 'group.update')?.until).toEqual({
      'bob@example.com': '2026-12-05T18:00:00Z',
    });
  });

  it('reports access past its end date as drift, once applied as of before it ended', async () => {
    expect((await cli('apply', '--now', '2026-12-01')).code).toBe(0);
    expect((await cli('drift', '--now', '2026-12-02')).code).toBe(0);
    const drift = await cli('drift', '--now', '2027-01-01');
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/bob@example\.com +admin -> member {2}\(until has passed\)/);
    expect(drift.stdout).toMatch(/- bob@example\.com {2}\(until has passed\)/);
  });

  it('plan --now prints every kind of change that is due, each with its reason', async () => {
    await sim.close();
    sim = await simulator({
      fixture: fixture((f) => {
        const user = (login: string) => f.users.find((u) => u.loginName === login)!;
        user('bob@example.com').role = 'admin';
        user('ivan@example.com').status = 'needs-approval';
      }),
    });
    await writeFile(
      path.join(dir, 'tailnet-access.yaml'),
      `version: 1
users:
  olivia@example.com: owner
  alice@example.com: admin
  bob@example.com: { role: admin, until: 2026-12-31 }
  carol@example.com: network-admin
  dave@example.com: { status: suspended }
  henry@example.com: { status: active }
  ivan@example.com: { status: active }
groups:
  eng:
    - alice@example.com
    - { login: dave@example.com, until: 2026-12-05 }
  old: [erin@example.com]
settings:
  unmanagedUsers: suspend
`,
    );
    const plan = await cli('plan', '--now', '2027-01-01');
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const lines = plan.stdout.split('\n');
    const line = (re: RegExp): string | undefined => lines.find((l) => re.test(l));
    expect(line(/bob@example\.com +admin -> member {2}\(until has passed\)/)).toBeDefined();
    expect(line(/dave@example\.com +suspend/)).toBeDefined();
    expect(line(/henry@example\.com +restore/)).toBeDefined();
    expect(line(/ivan@example\.com +approve/)).toBeDefined();
    expect(line(/erin@example\.com +suspend {2}\(not in the file\)/)).toBeDefined();
    expect(line(/- dave@example\.com {2}\(until has passed\)/)).toBeDefined();
    const json = JSON.parse((await cli('plan', '--now', '2027-01-01', '--format', 'json')).stdout) as {
      changes: { type: string; login?: string; reason?: string; expired?: string[] }[];
    };
    expect(json.changes.map((c) => [c.type, c.login ?? c.expired, c.reason])).toEqual([
      ['user.role', 'bob@example.com', 'expired'],
      ['user.suspend', 'dave@example.com', 'declared'],
      ['user.suspend', 'erin@example.com', 'unmanaged'],
      ['user.restore', 'henry@example.com', 'declared'],
      ['user.approve', 'ivan@example.com', 'declared'],
      ['group.update', ['dave@example.com'], undefined],
    ]);
  });

  it('refuses a --now that is not a date', async () => {
    const bad = await cli('plan', '--now', '2026-13-01');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--now: "2026-13-01" is not a real date');
  });
});
