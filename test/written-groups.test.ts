// What is written is what was planned: the check between a plan and the text about to be sent
// (src/plan/written-groups.ts, src/plan/candidate.ts), on texts and plans a person can read.
import { describe, expect, it } from 'vitest';
import {
  groupsCandidate,
  POLICY_NOT_AS_PLANNED,
  POLICY_REJECTED,
  rejectionProblems,
  strayFromPlan,
} from '../src/plan/candidate.js';
import { diff } from '../src/plan/diff.js';
import { isGroupChange } from '../src/domain/plan.js';
import { groupChangesOfWrite, unplannedGroupChanges } from '../src/plan/written-groups.js';
import { readPolicyGroups } from '../src/policy/groups.js';
import { keysChangedOutsideGroups } from '../src/policy/outside-groups.js';
import type { PolicyGroup } from '../src/policy/types.js';
import { desired, live, user } from './helpers/model.js';

const group = (name: string, ...members: string[]): PolicyGroup => ({ name, members });

describe('groupChangesOfWrite: live groups -> written groups', () => {
  it('creates, updates (add only, remove only, both) and deletes, in the plan\u2019s order', () => {
    const before = [
      group('group:a', 'x@e.com'),
      group('group:b', 'x@e.com', 'y@e.com'),
      group('group:c', 'x@e.com'),
      group('group:gone', 'z@e.com'),
    ];
    const after = [
      group('group:c', 'x@e.com', 'w@e.com'),
      group('group:b', 'x@e.com'),
      group('group:a', 'v@e.com'),
      group('group:new', 'n@e.com', 'N@e.com'),
    ];
    expect(groupChangesOfWrite(before, after)).toEqual([
      { type: 'group.create', group: 'group:new', members: ['n@e.com'] },
      { type: 'group.update', group: 'group:a', add: ['v@e.com'], remove: ['x@e.com'] },
      { type: 'group.update', group: 'group:b', add: [], remove: ['y@e.com'] },
      { type: 'group.update', group: 'group:c', add: ['w@e.com'], remove: [] },
      { type: 'group.delete', group: 'group:gone', members: ['z@e.com'] },
    ]);
  });

  it('is no change when only the order or the case of members differs', () => {
    expect(
      groupChangesOfWrite(
        [group('group:a', 'Alice@e.com', 'bob@e.com')],
        [group('group:a', 'bob@e.com', 'alice@e.com')],
      ),
    ).toEqual([]);
  });

  it('counts SCIM-synced groups like any other', () => {
    expect(groupChangesOfWrite([group('group:eng@idp.example', 'x@e.com')], [])).toEqual([
      { type: 'group.delete', group: 'group:eng@idp.example', members: ['x@e.com'] },
    ]);
  });
});

describe('unplannedGroupChanges', () => {
  it('is empty when the write does what the plan says, members compared without case or order', () => {
    const planned = [{ type: 'group.update' as const, group: 'group:a', add: ['B@e.com', 'a@e.com'], remove: [] }];
    const actual = [{ type: 'group.update' as const, group: 'group:a', add: ['a@e.com', 'b@e.com'], remove: [] }];
    expect(unplannedGroupChanges(planned, actual)).toEqual([]);
  });

  it('names each group the write treats otherwise than planned', () => {
    const planned = [
      { type: 'group.update' as const, group: 'group:eng', add: ['bob@e.com'], remove: [] },
      { type: 'group.create' as const, group: 'group:sre', members: ['alice@e.com'] },
    ];
    const actual = [
      { type: 'group.update' as const, group: 'group:eng', add: ['bob@e.com'], remove: ['dave@e.com'] },
      { type: 'group.delete' as const, group: 'group:old', members: ['erin@e.com'] },
    ];
    expect(unplannedGroupChanges(planned, actual)).toEqual([
      'group:eng: planned +[bob@e.com]; the text about to be written: +[bob@e.com] -[dave@e.com]',
      'group:old: planned no change; the text about to be written: deleted (it held [erin@e.com])',
      'group:sre: planned created with [alice@e.com]; the text about to be written: no change',
    ]);
  });
});

describe('keysChangedOutsideGroups', () => {
  it('ignores the groups, comments and layout, and names every other key whose value changes', () => {
    const before = '{\n  "groups": {"group:a": []},\n  "hosts": {"h": "1.2.3.4"},\n  "acls": [],\n}\n';
    const after =
      '// new comment\n{"groups": {"group:b": ["x@e.com"]}, "hosts": {"h": "1.2.3.4"}, "acls": [1], "tests": []}';
    expect(keysChangedOutsideGroups(before, before.replace('"acls"', '/* c */ "acls"'))).toEqual([]);
    expect(keysChangedOutsideGroups(before, after)).toEqual(['acls', 'tests']);
  });
});

const POLICY = `{
	"groups": {
		"group:eng": ["alice@example.com", "dave@example.com"],
		"group:old": ["erin@example.com"],
		"group:synced@idp.example": ["frank@example.com"],
	},
	"hosts": {"grafana": "100.64.10.20"},
}
`;
const users = ['alice@example.com', 'bob@example.com', 'dave@example.com', 'erin@example.com'].map((login) =>
  user(login, 'member'),
);
const livePolicy = { text: POLICY, groups: readPolicyGroups(POLICY).groups };
const file = desired({ users: { 'bob@example.com': null }, groups: { eng: ['alice@example.com', 'bob@example.com'] } });
const planOf = () => diff(file, live(users, Object.fromEntries(livePolicy.groups.map((g) => [g.name, g.members]))));

describe('groupsCandidate: the live policy with its groups rewritten, checked against the plan', () => {
  it('is the rewritten text when it does exactly what the plan says (kept and SCIM groups kept)', () => {
    const candidate = groupsCandidate(livePolicy, planOf());
    expect(candidate?.ok).toBe(true);
    const text = candidate?.ok ? candidate.text : '';
    expect(readPolicyGroups(text).groups.map((g) => g.name)).toEqual([
      'group:eng',
      'group:old',
      'group:synced@idp.example',
    ]);
  });

  it('is nothing to write when the plan changes no group', () => {
    const same = desired({ groups: { eng: ['alice@example.com', 'dave@example.com'] } });
    expect(
      groupsCandidate(
        livePolicy,
        diff(
          same,
          live(users, { 'group:eng': ['alice@example.com', 'dave@example.com'], 'group:old': ['erin@example.com'] }),
        ),
      ),
    ).toBeUndefined();
  });

  it('refuses a target that lost the groups unmanagedGroups: keep keeps (the plan shows no delete)', () => {
    const result = planOf();
    const lost = {
      ...result,
      targetGroups: result.targetGroups?.filter((g) => g.name === 'group:eng' || g.name.includes('@')),
    };
    const candidate = groupsCandidate(livePolicy, lost);
    expect(candidate).toMatchObject({ ok: false, problem: { code: POLICY_NOT_AS_PLANNED } });
    expect(candidate?.ok === false && candidate.problem.message).toMatch(
      /^the policy file about to be written does not do what the plan says, so it must not be written\. This is a bug in tailnet-access.*\n {4}group:old: planned no change; the text about to be written: deleted \(it held \[erin@example\.com\]\)$/,
    );
  });

  it('refuses a target that would drop a SCIM group, with the rewriter\u2019s reason', () => {
    const result = planOf();
    const lost = { ...result, targetGroups: result.targetGroups?.filter((g) => !g.name.includes('@')) };
    expect(groupsCandidate(livePolicy, lost)).toMatchObject({
      ok: false,
      problem: {
        code: POLICY_NOT_AS_PLANNED,
        message: expect.stringContaining('refusing to remove group:synced@idp.example'),
      },
    });
  });

  it('refuses a plan whose changes the target does not make', () => {
    const result = planOf();
    const extra = {
      ...result,
      plan: {
        ...result.plan,
        changes: [
          ...result.plan.changes,
          { type: 'group.delete' as const, group: 'group:old', members: ['erin@example.com'] },
        ],
      },
    };
    expect(groupsCandidate(livePolicy, extra)).toMatchObject({
      ok: false,
      problem: {
        message: expect.stringContaining(
          'group:old: planned deleted (it held [erin@example.com]); the text about to be written: no change',
        ),
      },
    });
  });
});

describe('strayFromPlan', () => {
  it('sees a change outside the groups, which a groups-only write must never make', () => {
    const planned = planOf().plan.changes.filter(isGroupChange);
    const candidate = groupsCandidate(livePolicy, planOf());
    const text = (candidate?.ok ? candidate.text : '').replace('100.64.10.20', '100.64.10.21');
    expect(strayFromPlan(livePolicy, text, planned, 'groups')).toEqual([
      '"hosts" would change, and a groups-only write changes nothing outside "groups"',
    ]);
  });

  it('under the whole-policy write, leaves SCIM groups to the diff, and a text that does not parse is a stray', () => {
    expect(strayFromPlan(livePolicy, POLICY.replace(/\t\t"group:synced.*\n/, ''), [], 'whole')).toEqual([]);
    expect(strayFromPlan(livePolicy, POLICY.replace(/\t\t"group:synced.*\n/, ''), [], 'groups')).toEqual([
      'group:synced@idp.example: planned no change; the text about to be written: deleted (it held ' +
        '[frank@example.com])',
    ]);
    expect(strayFromPlan(livePolicy, '{"groups": [', [], 'whole')[0]).toMatch(
      /^the text about to be written cannot be read back: line 1, column \d+: /,
    );
  });
});

describe('rejectionProblems', () => {
  it('is nothing when Tailscale accepts the policy', () => {
    expect(rejectionProblems({ ok: true })).toEqual([]);
  });
  it('names what Tailscale said, its message and every line of its data', () => {
    expect(
      rejectionProblems({
        ok: false,
        message: 'test(s) failed',
        data: [{ user: 'a@e.com', errors: ['x'], warnings: ['w'] }, { errors: ['y'] }],
      }),
    ).toEqual([
      {
        code: POLICY_REJECTED,
        message:
          "Tailscale's validator refuses the policy file this plan would write (the live policy with its groups " +
          'changed as planned): test(s) failed; a@e.com: x; a@e.com: warning: w; y',
      },
    ]);
    expect(rejectionProblems({ ok: false })[0]?.message).toMatch(/: it gave no reason$/);
  });
});
