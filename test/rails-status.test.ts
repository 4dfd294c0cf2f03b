// The rails on suspensions: the owner never, the last active admin never, the key's own
// user never, and suspensions count with demotions in the mass-demotion rail and in maxChanges.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { diff } from '../src/plan/diff.js';
import { checkRails, type KeyOwner } from '../src/plan/rails.js';
import type { Plan } from '../src/domain/plan.js';
import type { TailscaleUser } from '../src/domain/users.js';
import { live, user } from './helpers/model.js';

const NONE: KeyOwner = { kind: 'none' };
const config = (...lines: string[]) => parseConfig(`${['version: 1', ...lines].join('\n')}\n`, 'cfg.yaml').desired;

function check(users: TailscaleUser[], lines: string[], keyOwner: KeyOwner = NONE, force = false) {
  const d = config(...lines);
  const result = diff(d, live(users), Date.UTC(2026, 11, 1));
  return {
    plan: result.plan,
    rails: checkRails({ plan: result.plan, problems: result.problems, users, desired: d, keyOwner, force }),
  };
}

const olivia = user('olivia@example.com', 'owner', { id: 'u-olivia', status: 'suspended' });
const alice = user('alice@example.com', 'admin', { id: 'u-alice' });
const bob = user('bob@example.com', 'member', { id: 'u-bob' });
const carol = user('carol@example.com', 'member', { id: 'u-carol' });

describe('rails on suspensions', () => {
  it('refuses to suspend the last active admin (the owner cannot sign in here)', () => {
    const { rails } = check(
      [olivia, alice, bob],
      ['users:', '  alice@example.com: { role: admin, status: suspended }'],
    );
    expect(rails.refusals.map((r) => r.rail)).toEqual(['last-admin']);
    expect(rails.refusals[0]?.message).toContain('alice@example.com (suspended)');
  });

  it('lets the suspension through when another admin stays active', () => {
    const { rails } = check(
      [{ ...olivia, status: 'active' }, alice, bob],
      ['users:', '  alice@example.com: { role: admin, status: suspended }'],
    );
    expect(rails.refusals).toEqual([]);
  });

  it("refuses to suspend the API key's own user, before any write", () => {
    const { rails } = check(
      [{ ...olivia, status: 'active' }, alice, bob],
      ['users:', '  bob@example.com: { status: suspended }'],
      { kind: 'user', userId: 'u-bob' },
    );
    expect(rails.refusals.map((r) => r.rail)).toEqual(['own-key']);
    expect(rails.refusals[0]?.message).toContain('would suspend that user');
  });

  it('refuses a plan from elsewhere that suspends the owner', () => {
    const users = [{ ...olivia, status: 'active' }, alice];
    const plan: Plan = {
      version: 1,
      tailnet: '-',
      policyEtag: '"e"',
      warnings: [],
      changes: [{ type: 'user.suspend', login: 'olivia@example.com', userId: 'u-olivia', reason: 'declared' }],
    };
    const rails = checkRails({ plan, problems: [], users, desired: config(), keyOwner: NONE });
    expect(rails.refusals.map((r) => r.rail)).toContain('owner');
  });

  it('counts suspensions with demotions in the mass-demotion rail, and lets --force through', () => {
    const users = [{ ...olivia, status: 'active' }, alice, bob, carol];
    const lines = ['users:', '  bob@example.com: { status: suspended }', '  carol@example.com: { status: suspended }'];
    expect(check(users, lines).rails.refusals.map((r) => r.rail)).toEqual(['mass-demotion']);
    expect(check(users, lines, NONE, true).rails.refusals).toEqual([]);
  });

  it('counts suspensions in maxChanges', () => {
    const users = [{ ...olivia, status: 'active' }, alice, bob, carol];
    const { rails } = check(
      users,
      ['users:', '  bob@example.com: { status: suspended }', 'settings:', '  maxChanges: 0'],
      NONE,
      true,
    );
    expect(rails.refusals.map((r) => r.rail)).toEqual(['max-changes']);
  });
});
