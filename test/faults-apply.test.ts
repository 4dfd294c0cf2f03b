// apply under faults, run with many seeds: 20% of requests answered 5xx, 429 or a reset
// (before the handler, so nothing is applied), some applied writes whose answer is lost, latency, and
// someone editing the policy between our read and our write. Every run must end either converged
// (live == desired, the other person's edit outside the managed groups intact) or with a precise
// error and nothing half-written; and a second apply, once the faults stop, converges, with zero
// writes when the first had already converged.
import { afterEach, describe, expect, it } from 'vitest';
import { applyConfig } from '../src/apply/index.js';
import type { ApplyReport } from '../src/domain/apply-report.js';
import { readPolicyGroups } from '../src/policy/index.js';
import type { FaultKind, Knobs, Simulator } from '../src/simulator/index.js';
import { TailscaleError, type TailscaleClient } from '../src/tailscale/client.js';
import { clientFor, config, QUICK, roles, simulator } from './apply-helpers.js';

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);
const FAULTS: FaultKind[] = ['500', '502', '503', '504-html', '429', 'reset'];

// bob and ivan promoted, erin moved sideways, alice demoted; group:sre created, group:eng updated,
// group:old deleted.
const CONFIG = `version: 1
users:
  olivia@example.com: owner
  alice@example.com: it-admin
  bob@example.com: admin
  carol@example.com: {}
  dave@example.com: {}
  henry@example.com: {}
  erin@example.com: billing-admin
  ivan@example.com: auditor
groups:
  eng: [alice@example.com, bob@example.com]
  group:sre:
    description: on-call rota
    members: [alice@example.com, carol@example.com]
settings:
  unmanagedGroups: remove
`;
const WANTED_ROLES = {
  'alice@example.com': 'it-admin',
  'bob@example.com': 'admin',
  'erin@example.com': 'billing-admin',
  'ivan@example.com': 'auditor',
};
const WANTED_GROUPS = {
  'group:eng': ['alice@example.com', 'bob@example.com'],
  'group:sre': ['alice@example.com', 'carol@example.com'],
};

/** Odd seeds: someone edits a host (outside the groups). Even seeds: someone adds ivan to group:eng. */
function writer(seed: number): { knob: NonNullable<Knobs['externalWriter']>; outside: boolean } {
  const times = 1 + (seed % 3);
  if (seed % 2 === 1)
    return {
      knob: { edit: { find: '"grafana": "100.64.10.20"', replace: '"grafana": "100.64.10.99"' }, times },
      outside: true,
    };
  return {
    knob: {
      edit: { find: '"dave@example.com", // on loan', replace: '"dave@example.com", "ivan@example.com", // on loan' },
      times,
    },
    outside: false,
  };
}

const groupsOf = (text: string): Record<string, string[]> =>
  Object.fromEntries(readPolicyGroups(text).groups.map((g) => [g.name, g.members]));

const open: { sim: Simulator; client: TailscaleClient }[] = [];
afterEach(async () => {
  for (const { sim, client } of open.splice(0)) {
    await client.close();
    await sim.close();
  }
});

interface Tally {
  converged: number;
  incomplete: number;
  errors: number;
  faults: number;
}
const tally: Tally = { converged: 0, incomplete: 0, errors: 0, faults: 0 };

describe('apply under seeded faults and a concurrent editor', () => {
  it.each(SEEDS)('seed %i ends converged, or failed precisely with nothing half-written', async (seed) => {
    const edit = writer(seed);
    const sim = await simulator({
      knobs: {
        latencyMs: seed % 3,
        faults: { rate: 0.2, seed, kinds: FAULTS },
        faultsAfterWrite: { rate: 0.2, seed: seed + 7919, kinds: ['502', 'reset'] },
        externalWriter: edit.knob,
      },
    });
    // Three attempts per request, so that some runs do run out of retries and must fail cleanly.
    const client = clientFor(sim, undefined, 3);
    open.push({ sim, client });
    const before = groupsOf(sim.state.policy.text);

    let report: ApplyReport | undefined;
    let error: unknown;
    try {
      report = await applyConfig(config(CONFIG), client, QUICK);
    } catch (e) {
      error = e;
    }
    tally.faults += sim.requests.filter().filter((e) => e.fault !== undefined).length;
    const text = sim.state.policy.text;

    // Someone else's edit outside the managed groups is never lost.
    if (edit.outside && sim.state.policy.externalEdits > 0) expect(text).toContain('"grafana": "100.64.10.99"');
    // All or nothing: the groups are the old ones (perhaps as the other person left them) or all of the new.
    const groups = groupsOf(text);
    const editedBefore = { ...before, 'group:eng': [...(before['group:eng'] ?? []), 'ivan@example.com'] };
    expect([before, editedBefore, WANTED_GROUPS]).toContainEqual(groups);

    if (error !== undefined) {
      // Thrown only before the first write, as a typed error naming the call that failed.
      expect(error).toBeInstanceOf(TailscaleError);
      expect((error as Error).message).toMatch(/\((GET|POST) \/api\/v2\/[^)]+\): /);
      expect(sim.requests.writes()).toEqual([]);
      tally.errors++;
    } else if (report?.converged) {
      expect(roles(sim)).toMatchObject(WANTED_ROLES);
      expect(groups).toEqual(WANTED_GROUPS);
      expect(report.failed).toEqual([]);
      tally.converged++;
    } else {
      expect(report?.failed.length).toBeGreaterThan(0);
      for (const failure of report?.failed ?? [])
        expect(failure.error).toMatch(
          /\((GET|POST) \/api\/v2\/[^)]+\): |412 each time|^refused by the [a-z-]+ safety rail after reading the policy again: /,
        );
      tally.incomplete++;
    }

    // Once the trouble stops, apply converges; after a converged run it has nothing left to write.
    const firstConverged = report?.converged === true;
    sim.setKnobs({ faults: undefined, faultsAfterWrite: undefined, externalWriter: undefined });
    sim.requests.clear();
    const again = await applyConfig(config(CONFIG), client, QUICK);
    expect(again.converged).toBe(true);
    expect(roles(sim)).toMatchObject(WANTED_ROLES);
    expect(groupsOf(sim.state.policy.text)).toEqual(WANTED_GROUPS);
    if (firstConverged) expect(sim.requests.countWrites()).toBe(0);
    if (edit.outside && sim.state.policy.externalEdits > 0)
      expect(sim.state.policy.text).toContain('"grafana": "100.64.10.99"');
  });

  it('actually met trouble: most runs converged through it, and some had to fail cleanly', () => {
    expect(tally.converged + tally.incomplete + tally.errors).toBe(SEEDS.length);
    expect(tally.faults).toBeGreaterThan(SEEDS.length * 2);
    expect(tally.converged).toBeGreaterThan(SEEDS.length / 2);
    expect(tally.incomplete + tally.errors).toBeGreaterThan(0);
  });
});
