// The rail between the plan and the write, in apply: a plan whose target groups lost the groups
// `unmanagedGroups: keep` keeps (a bug that once shipped, planted here in diff()) must be refused
// before the first write, role changes included; and on a later attempt, after a 412, the policy is
// not written.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyConfig, ApplyRefusedError } from '../src/apply/index.js';
import type { Simulator } from '../src/simulator/index.js';
import type { TailscaleClient } from '../src/tailscale/client.js';
import { clientFor, config, QUICK, roles, simulator } from './apply-helpers.js';

const planted = vi.hoisted(() => ({ fromRead: Number.POSITIVE_INFINITY, reads: 0 }));

vi.mock('../src/plan/diff.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/plan/diff.js')>();
  return {
    ...real,
    // From the `fromRead`-th diff on, the target keeps only the groups the file declares.
    diff: (...args: Parameters<typeof real.diff>) => {
      const result = real.diff(...args);
      const [desired] = args;
      if (++planted.reads < planted.fromRead || !result.targetGroups) return result;
      return {
        ...result,
        targetGroups: result.targetGroups.filter((g) => desired.groups.some((d) => d.name === g.name)),
      };
    },
  };
});

// bob is promoted and group:eng changes; group:old is kept (unmanagedGroups: keep, the default).
const CONFIG = 'version: 1\nusers:\n  bob@example.com: admin\ngroups:\n  eng: [alice@example.com, bob@example.com]\n';

const open: { sim: Simulator; client: TailscaleClient }[] = [];
afterEach(async () => {
  for (const { sim, client } of open.splice(0)) {
    await client.close();
    await sim.close();
  }
  planted.fromRead = Number.POSITIVE_INFINITY;
  planted.reads = 0;
});

async function setUp(
  knobs: Parameters<typeof simulator>[0] = {},
): Promise<{ sim: Simulator; client: TailscaleClient }> {
  const sim = await simulator(knobs);
  const client = clientFor(sim);
  open.push({ sim, client });
  return { sim, client };
}

describe('a write that would not do what the plan says', () => {
  it('keeps group:old as planned when nothing is planted', async () => {
    const { sim, client } = await setUp();
    const report = await applyConfig(config(CONFIG), client, QUICK);
    expect(report.converged).toBe(true);
    expect(sim.state.policy.text).toContain('"group:old": ["erin@example.com"]');
  });

  it('is refused before the first write, the role change included', async () => {
    planted.fromRead = 1;
    const { sim, client } = await setUp();
    const error = await applyConfig(config(CONFIG), client, QUICK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplyRefusedError);
    expect(error).toMatchObject({ rail: 'policy-write' });
    expect((error as Error).message).toContain(
      'group:old: planned no change; the text about to be written: deleted (it held [erin@example.com])',
    );
    expect(sim.requests.countWrites()).toBe(0);
    expect(roles(sim)['bob@example.com']).toBe('member');
  });

  it('after a 412, is not written, and the report says why', async () => {
    planted.fromRead = 2;
    const { sim, client } = await setUp({
      knobs: { externalWriter: { find: '"grafana": "100.64.10.20"', replace: '"grafana": "100.64.10.99"' } },
    });
    const report = await applyConfig(config(CONFIG), client, QUICK);
    expect(report.policy).toMatchObject({ status: 'failed', attempts: 2 });
    expect(report.policy?.status === 'failed' && report.policy.error).toMatch(
      /^the policy file about to be written does not do what the plan says/,
    );
    expect(sim.requests.filter({ method: 'POST', path: '/api/v2/tailnet/-/acl' }).map((e) => e.status)).toEqual([412]);
    expect(sim.state.policy.text).toContain('"group:old": ["erin@example.com"]');
    expect(report.converged).toBe(false);
  });
});
