// The safety rails as a pure function: each refuses with its exact message, and lets through what it
// should. (test/apply.test.ts shows the same refusals end to end, with no write made.)
import { describe, expect, it } from 'vitest';
import { diff } from '../src/plan/diff.js';
import { checkRails, rolePhase, type KeyOwner, type RailInput } from '../src/plan/rails.js';
import type { Plan } from '../src/domain/plan.js';
import { desired, live, user, type DesiredSpec } from './helpers/model.js';
import type { TailscaleUser } from '../src/domain/users.js';

const NONE: KeyOwner = { kind: 'none' };

function rails(
  spec: DesiredSpec,
  users: TailscaleUser[],
  groups: Record<string, string[]> = {},
  extra: Partial<RailInput> = {},
) {
  const d = desired(spec);
  const result = diff(d, live(users, groups));
  return checkRails({ plan: result.plan, problems: result.problems, users, desired: d, keyOwner: NONE, ...extra });
}

describe('the owner rail', () => {
  it('refuses a file that states someone else as owner, naming the line', () => {
    const check = rails({ users: { 'bob@example.com': 'owner' } }, [
      user('olivia@example.com', 'owner'),
      user('bob@example.com', 'member'),
    ]);
    expect(check.refusals).toEqual([
      {
        rail: 'owner',
        message:
          'the owner is never promoted to or demoted from; ownership is transferred only in the Tailscale admin ' +
          'console. Edit the file: state "owner" only for the real owner, or list them as {}:\n' +
          '  tailnet-access.yaml:2:3: bob@example.com is stated as owner but is a member; the owner is only ' +
          'checked, never assigned (ownership is transferred in the admin console)',
      },
    ]);
  });

  it('refuses a plan from elsewhere that changes the owner', () => {
    const users = [user('olivia@example.com', 'owner', { id: 'o1' }), user('alice@example.com', 'admin')];
    const plan: Plan = {
      version: 1,
      tailnet: '-',
      policyEtag: '"e"',
      warnings: [],
      changes: [
        {
          type: 'user.role',
          login: 'olivia@example.com',
          userId: 'o1',
          from: 'owner',
          to: 'member',
          reason: 'declared',
        },
      ],
    };
    const check = checkRails({ plan, problems: [], users, desired: desired({}), keyOwner: NONE });
    expect(check.refusals.map((r) => r.rail)).toEqual(['owner']);
    expect(check.refusals[0]?.message).toContain('\n  olivia@example.com: owner -> member');
  });

  it('refuses a plan from elsewhere that makes someone owner', () => {
    const users = [user('olivia@example.com', 'owner'), user('alice@example.com', 'admin', { id: 'a1' })];
    const plan: Plan = {
      version: 1,
      tailnet: '-',
      policyEtag: '"e"',
      warnings: [],
      changes: [
        { type: 'user.role', login: 'alice@example.com', userId: 'a1', from: 'admin', to: 'owner', reason: 'declared' },
      ],
    };
    const check = checkRails({ plan, problems: [], users, desired: desired({}), keyOwner: NONE });
    expect(check.refusals.map((r) => r.rail)).toEqual(['owner']);
    expect(check.refusals[0]?.message).toMatch(/:\n {2}alice@example\.com: admin -> owner$/);
  });
});

describe('the last-admin rail', () => {
  const suspendedOwner = () => user('olivia@example.com', 'owner', { status: 'suspended' });

  it('refuses to demote the last admin who can sign in', () => {
    const check = rails({ users: { 'alice@example.com': 'member' } }, [
      suspendedOwner(),
      user('alice@example.com', 'admin'),
      user('bob@example.com', 'member'),
    ]);
    expect(check.refusals).toEqual([
      {
        rail: 'last-admin',
        message:
          'the plan would leave the tailnet without an active owner or admin: it demotes alice@example.com (admin ' +
          '-> member), and no other owner or admin can sign in (suspended users and users awaiting approval do ' +
          'not count). Edit the file to keep at least one active admin.',
      },
    ]);
  });

  it('counts an admin awaiting approval as unable to sign in', () => {
    const users = [
      suspendedOwner(),
      user('alice@example.com', 'admin'),
      user('newbie@example.com', 'admin', { status: 'needs-approval' }),
    ];
    expect(rails({ users: { 'alice@example.com': 'auditor' } }, users).refusals.map((r) => r.rail)).toEqual([
      'last-admin',
    ]);
  });

  it('lets the demotion through when someone is promoted to admin in the same plan, or another admin is idle', () => {
    const users = [
      suspendedOwner(),
      user('alice@example.com', 'admin'),
      user('bob@example.com', 'member'),
      user('ivan@example.com', 'admin', { status: 'idle' }),
    ];
    expect(rails({ users: { 'alice@example.com': 'member', 'bob@example.com': 'admin' } }, users).refusals).toEqual([]);
    expect(rails({ users: { 'alice@example.com': 'member' } }, users).refusals).toEqual([]);
  });

  it('does not blame a plan for a tailnet that already had no active admin', () => {
    const users = [suspendedOwner(), user('bob@example.com', 'member'), user('carol@example.com', 'auditor')];
    expect(rails({ users: { 'carol@example.com': 'member', 'bob@example.com': 'auditor' } }, users).refusals).toEqual(
      [],
    );
  });
});

describe('the own-key rail', () => {
  const users = () => [
    user('olivia@example.com', 'owner'),
    user('alice@example.com', 'admin', { id: 'a1' }),
    user('bob@example.com', 'member', { id: 'b1' }),
  ];

  it("refuses a change to the key's own user, saying the API would refuse it too", () => {
    const check = rails(
      { users: { 'alice@example.com': 'it-admin' } },
      users(),
      {},
      { keyOwner: { kind: 'user', userId: 'a1' } },
    );
    expect(check.refusals).toEqual([
      {
        rail: 'own-key',
        message:
          "the API key in use belongs to alice@example.com, and the plan changes that user's role (admin -> " +
          "it-admin); Tailscale does not let an API key change its own user's role, so the change would fail. Run " +
          "apply with another admin's API key or an OAuth client, or leave alice@example.com's role alone in the " +
          'file (list them as {}).',
      },
    ]);
  });

  it('lets through changes to other users', () => {
    expect(
      rails({ users: { 'bob@example.com': 'admin' } }, users(), {}, { keyOwner: { kind: 'user', userId: 'a1' } }),
    ).toEqual({ refusals: [], warnings: [] });
  });

  describe('when the key cannot be looked up', () => {
    const unknown: KeyOwner = { kind: 'unknown', reason: 'reading it was answered 403' };

    it('refuses, unless forced, when a change touches a user who could own a role-changing key', () => {
      const check = rails(
        { users: { 'alice@example.com': 'member', 'bob@example.com': 'admin' } },
        users(),
        {},
        { keyOwner: unknown },
      );
      expect(check.refusals).toEqual([
        {
          rail: 'own-key',
          message:
            'could not tell which user the API key belongs to (reading it was answered 403), and the plan changes ' +
            'the role of alice@example.com (admin), who could own it; Tailscale does not let an API key change ' +
            "its own user's role. Run apply with an OAuth client, or run again with --force to go ahead (a change " +
            "to the key's own user would then fail on its own and be reported).",
        },
      ]);
      const forced = rails(
        { users: { 'alice@example.com': 'member', 'bob@example.com': 'admin' } },
        users(),
        {},
        { keyOwner: unknown, force: true },
      );
      expect(forced.refusals).toEqual([]);
      expect(forced.warnings).toEqual([
        {
          code: 'rail.own-key-unchecked',
          message:
            'could not tell which user the API key belongs to (reading it was answered 403); going ahead because ' +
            "of --force: a change to the key's own user among alice@example.com (admin) will fail on its own",
        },
      ]);
    });

    it('goes ahead with a warning when only members and read-only roles change', () => {
      const check = rails({ users: { 'bob@example.com': 'admin' } }, users(), {}, { keyOwner: unknown });
      expect(check.refusals).toEqual([]);
      expect(check.warnings.map((w) => w.code)).toEqual(['rail.own-key-unchecked']);
      expect(check.warnings[0]?.message).toContain(
        'no role change touches a user who could own a key that changes roles',
      );
    });
  });
});

describe('the max-changes rail', () => {
  const users = () => [
    user('olivia@example.com', 'owner'),
    user('a@example.com', 'member'),
    user('b@example.com', 'member'),
    user('c@example.com', 'member'),
  ];
  const spec: DesiredSpec = {
    users: { 'a@example.com': 'auditor', 'b@example.com': 'auditor', 'c@example.com': 'auditor' },
    settings: { maxChanges: 2 },
  };

  it('refuses a plan bigger than settings.maxChanges, pointing at the setting and at --max-changes', () => {
    const d = desired(spec);
    d.settingsAt.maxChanges = { file: 'tailnet-access.yaml', line: 9, column: 15 };
    const result = diff(d, live(users()));
    const check = checkRails({ plan: result.plan, problems: [], users: users(), desired: d, keyOwner: NONE });
    expect(check.refusals).toEqual([
      {
        rail: 'max-changes',
        message:
          'the plan has 3 changes, more than the limit of 2 (settings.maxChanges at tailnet-access.yaml:9:15). ' +
          'Review the plan, then run again with --max-changes 3 to go ahead, or raise settings.maxChanges in ' +
          'tailnet-access.yaml.',
      },
    ]);
  });

  it('lets --max-changes override the file either way', () => {
    expect(rails(spec, users(), {}, { maxChanges: 3 }).refusals).toEqual([]);
    expect(rails({ ...spec, settings: { maxChanges: 50 } }, users(), {}, { maxChanges: 1 }).refusals[0]?.message).toBe(
      'the plan has 3 changes, more than the limit of 1 (--max-changes 1). Review the plan, then run again with ' +
        '--max-changes 3 to go ahead, or raise settings.maxChanges in tailnet-access.yaml.',
    );
  });
});

describe('the mass-demotion rail', () => {
  const users = () =>
    ['olivia:owner', 'a:admin', 'b:admin', 'c:admin', 'd:member'].map((s) => {
      const [name, role] = s.split(':') as [string, 'owner' | 'admin' | 'member'];
      return user(`${name}@example.com`, role);
    });

  it('refuses to demote or ungroup more than half of the managed users unless forced', () => {
    const spec: DesiredSpec = {
      users: {
        'olivia@example.com': 'owner',
        'a@example.com': 'member',
        'b@example.com': 'member',
        'c@example.com': 'admin',
        'd@example.com': 'member',
      },
      groups: { eng: ['c@example.com'] },
    };
    const check = rails(spec, users(), { 'group:eng': ['c@example.com', 'd@example.com'] });
    expect(check.refusals).toEqual([
      {
        rail: 'mass-demotion',
        message:
          'the plan demotes or removes from groups 3 of the 5 managed users (more than half): a@example.com, ' +
          'b@example.com, d@example.com. A file that lost users or group members by mistake looks like this; if ' +
          'it is intended, run again with --force.',
      },
    ]);
    expect(rails(spec, users(), { 'group:eng': ['c@example.com', 'd@example.com'] }, { force: true }).refusals).toEqual(
      [],
    );
  });

  it('lets exactly half through', () => {
    const spec: DesiredSpec = {
      users: {
        'a@example.com': 'member',
        'b@example.com': 'member',
        'c@example.com': 'admin',
        'd@example.com': 'member',
      },
    };
    expect(rails(spec, users()).refusals).toEqual([]);
  });

  it('counts as managed the listed users and the members of declared groups, and no one else', () => {
    // Managed: a (listed), c and d (members of group:eng as the file declares it, not listed), and b,
    // whom the plan takes out of group:eng. Affected: a (demoted) and b: 2 of 4, not more than half.
    const spec: DesiredSpec = {
      users: { 'a@example.com': 'member' },
      groups: { eng: ['d@example.com', 'C@example.com'] },
    };
    const check = rails(spec, users(), { 'group:eng': ['c@example.com', 'd@example.com', 'b@example.com'] });
    expect(check.refusals).toEqual([]);
    // Without d in the file's group:eng, 2 of 3 managed users are affected.
    const fewer: DesiredSpec = { users: { 'a@example.com': 'member' }, groups: { eng: ['C@example.com'] } };
    expect(rails(fewer, users(), { 'group:eng': ['c@example.com', 'b@example.com'] }).refusals[0]?.message).toMatch(
      /^the plan demotes or removes from groups 2 of the 3 managed users \(more than half\): a@example\.com, b@example\.com\./,
    );
  });

  it('counts every user of the tailnet as managed under unmanagedUsers: demote', () => {
    // a, b, c demoted; d already a member; the owner is never demoted: 3 of the 5 users.
    const check = rails({ users: {}, settings: { unmanagedUsers: 'demote' } }, users());
    expect(check.refusals[0]?.message).toMatch(/^the plan demotes or removes from groups 3 of the 5 managed users/);
  });

  it('counts the members of a group the plan deletes', () => {
    const spec: DesiredSpec = { users: { 'a@example.com': 'admin' }, settings: { unmanagedGroups: 'remove' } };
    const check = rails(spec, users(), { 'group:old': ['b@example.com', 'c@example.com'] });
    expect(check.refusals[0]?.message).toMatch(
      /^the plan demotes or removes from groups 2 of the 3 managed users \(more than half\): b@example\.com, c@example\.com\./,
    );
  });
});

describe('every rail at once', () => {
  it('lists the refusals in rail order, so one run shows everything to fix', () => {
    const users = [
      user('olivia@example.com', 'owner', { status: 'suspended' }),
      user('a@example.com', 'admin', { id: 'a1' }),
      user('b@example.com', 'member'),
      user('c@example.com', 'admin'),
    ];
    const check = rails(
      {
        users: { 'a@example.com': 'member', 'b@example.com': 'owner', 'c@example.com': 'member' },
        settings: { maxChanges: 0 },
      },
      users,
      {},
      { keyOwner: { kind: 'user', userId: 'a1' } },
    );
    expect(check.refusals.map((r) => r.rail)).toEqual([
      'owner',
      'last-admin',
      'own-key',
      'max-changes',
      'mass-demotion',
    ]);
  });
});

describe('rolePhase', () => {
  it('orders promotions before sideways moves before demotions', () => {
    expect(rolePhase({ from: 'member', to: 'admin' })).toBe('promote');
    expect(rolePhase({ from: 'auditor', to: 'it-admin' })).toBe('promote');
    expect(rolePhase({ from: 'it-admin', to: 'network-admin' })).toBe('sideways');
    expect(rolePhase({ from: 'admin', to: 'network-admin' })).toBe('demote');
  });
});

describe('what each rail says, exactly', () => {
  const planOf = (changes: Plan['changes']): Plan => ({
    version: 1,
    tailnet: '-',
    policyEtag: '"e"',
    warnings: [],
    changes,
  });

  it(
    'plan: lists every problem the file must fix, with its place when it has one, and leaves owner problems to the ' +
      'owner rail',
    () => {
      const problems = [
        { code: 'x.one', message: 'first', path: 'f.yaml:2:3' },
        { code: 'x.two', message: 'second' },
      ];
      const check = checkRails({ plan: planOf([]), problems, users: [], desired: desired({}), keyOwner: NONE });
      expect(check.refusals).toEqual([
        {
          rail: 'plan',
          message: 'the plan cannot be carried out as the file says; fix the file:\n  f.yaml:2:3: first\n  second',
        },
      ]);
    },
  );

  it('owner: one line per stated problem and per change that touches the owner', () => {
    const users = [user('olivia@example.com', 'owner', { id: 'o1' }), user('alice@example.com', 'admin', { id: 'a1' })];
    const plan = planOf([
      { type: 'user.role', login: 'olivia@example.com', userId: 'o1', from: 'owner', to: 'admin', reason: 'declared' },
      { type: 'user.role', login: 'alice@example.com', userId: 'a1', from: 'admin', to: 'owner', reason: 'declared' },
    ]);
    const problems = [{ code: 'owner.not-owner', message: 'bob is stated as owner' }];
    const check = checkRails({ plan, problems, users, desired: desired({}), keyOwner: NONE });
    expect(check.refusals.map((r) => r.rail)).toEqual(['owner']);
    expect(check.refusals[0]?.message).toMatch(
      /list them as \{\}:\n {2}bob is stated as owner\n {2}olivia@example\.com: owner -> admin\n {2}alice@example\.com: admin -> owner$/,
    );
  });

  it('last-admin: names only the full admins it demotes', () => {
    const users = [
      user('olivia@example.com', 'owner', { status: 'suspended' }),
      user('a@example.com', 'admin'),
      user('b@example.com', 'admin'),
      user('e@example.com', 'auditor'),
    ];
    const check = rails(
      { users: { 'a@example.com': 'member', 'b@example.com': 'it-admin', 'e@example.com': 'member' } },
      users,
      {},
      { force: true },
    );
    expect(check.refusals.map((r) => r.message)).toEqual([
      'the plan would leave the tailnet without an active owner or admin: it demotes a@example.com (admin -> ' +
        'member), b@example.com (admin -> it-admin), and no other owner or admin can sign in (suspended users and ' +
        'users awaiting approval do not count). Edit the file to keep at least one active admin.',
    ]);
  });

  it('own-key, key unknown: an it-admin can own a key that changes roles; several are named together', () => {
    const users = [
      user('olivia@example.com', 'owner'),
      user('i@example.com', 'it-admin'),
      user('a@example.com', 'admin'),
    ];
    const check = rails(
      { users: { 'i@example.com': 'member', 'a@example.com': 'auditor' } },
      users,
      {},
      { keyOwner: { kind: 'unknown', reason: 'r' } },
    );
    expect(check.refusals.map((r) => r.rail)).toEqual(['own-key', 'mass-demotion']);
    expect(check.refusals[0]?.message).toContain(
      'the plan changes the role of a@example.com (admin), i@example.com (it-admin), who could own it',
    );
  });

  it('own-key, key unknown: says nothing about a plan that changes no role', () => {
    const users = [user('olivia@example.com', 'owner'), user('a@example.com', 'admin')];
    expect(
      rails({ groups: { eng: ['a@example.com'] } }, users, {}, { keyOwner: { kind: 'unknown', reason: 'r' } }),
    ).toEqual({ refusals: [], warnings: [] });
  });

  it('max-changes: names the default when the file does not set the limit', () => {
    const users = [user('a@example.com', 'member'), user('b@example.com', 'member')];
    const check = rails(
      { users: { 'a@example.com': 'auditor', 'b@example.com': 'auditor' }, settings: { maxChanges: 1 } },
      users,
    );
    expect(check.refusals[0]?.message).toBe(
      'the plan has 2 changes, more than the limit of 1 (the default settings.maxChanges). Review the plan, then ' +
        'run again with --max-changes 2 to go ahead, or raise settings.maxChanges in tailnet-access.yaml.',
    );
  });

  it('mass-demotion: shows ten names and counts the rest', () => {
    const many = Array.from({ length: 12 }, (_, i) => user(`u${String(i).padStart(2, '0')}@example.com`, 'auditor'));
    const check = rails({ users: Object.fromEntries(many.map((u) => [u.loginName, 'member' as const])) }, many);
    expect(check.refusals[0]?.message).toBe(
      'the plan demotes or removes from groups 12 of the 12 managed users (more than half): u00@example.com, ' +
        'u01@example.com, u02@example.com, u03@example.com, u04@example.com, u05@example.com, u06@example.com, ' +
        'u07@example.com, u08@example.com, u09@example.com and 2 more. A file that lost users or group members by ' +
        'mistake looks like this; if it is intended, run again with --force.',
    );
    const ten = many.slice(0, 10);
    expect(
      rails({ users: Object.fromEntries(ten.map((u) => [u.loginName, 'member' as const])) }, ten).refusals[0]?.message,
    ).toContain('u08@example.com, u09@example.com. A file');
  });
});
