import { describe, expect, it } from 'vitest';
import { diff } from '../src/plan/diff.js';
import { desired, live, user } from './helpers/model.js';

const olivia = user('olivia@example.com', 'owner', { id: 'u-olivia' });
const alice = user('alice@example.com', 'admin', { id: 'u-alice' });
const bob = user('bob@example.com', 'member', { id: 'u-bob' });
const carol = user('carol@example.com', 'network-admin', { id: 'u-carol' });
const dave = user('dave@example.com', 'member', { id: 'u-dave' });
const erin = user('erin@example.com', 'auditor', { id: 'u-erin' });
const everyone = [olivia, alice, bob, carol, dave, erin];

describe('diff: the example tailnet, as a person would write the plan down', () => {
  const file = desired({
    users: {
      'olivia@example.com': 'owner',
      'alice@example.com': 'admin',
      'bob@example.com': 'admin',
      'carol@example.com': null,
      'grace@example.com': 'member',
    },
    groups: {
      eng: ['alice@example.com', 'bob@example.com'],
      'group:sre': { description: 'on-call rota', members: ['alice@example.com', 'carol@example.com'] },
    },
    settings: { unmanagedUsers: 'report', unmanagedGroups: 'remove' },
  });
  const state = live(everyone, {
    'group:eng': ['alice@example.com', 'dave@example.com'],
    'group:old': ['erin@example.com'],
  });
  const { plan, problems, targetGroups } = diff(file, state);

  it('promotes bob, creates sre, fixes eng, deletes old', () => {
    expect(problems).toEqual([]);
    expect(plan.changes).toEqual([
      { type: 'user.role', login: 'bob@example.com', userId: 'u-bob', from: 'member', to: 'admin', reason: 'declared' },
      { type: 'group.create', group: 'group:sre', members: ['alice@example.com', 'carol@example.com'] },
      { type: 'group.update', group: 'group:eng', add: ['bob@example.com'], remove: ['dave@example.com'] },
      { type: 'group.delete', group: 'group:old', members: ['erin@example.com'] },
    ]);
    expect(plan.policyEtag).toBe('"etag-1"');
  });

  it('warns about grace (not joined) and the unmanaged users, pointing at the file where it can', () => {
    expect(plan.warnings.map((w) => [w.code, w.path])).toEqual([
      ['user.not-in-tailnet', 'tailnet-access.yaml:6:3'],
      ['user.unmanaged', undefined],
      ['user.unmanaged', undefined],
    ]);
    expect(plan.warnings[1]?.message).toBe(
      'dave@example.com (member) is in the tailnet but not in tailnet-access.yaml',
    );
    expect(plan.warnings[2]?.message).toBe(
      'erin@example.com (auditor) is in the tailnet but not in tailnet-access.yaml',
    );
  });

  it('targets the groups apply should write: survivors in live order, new ones after', () => {
    expect(targetGroups).toEqual([
      { name: 'group:eng', members: ['alice@example.com', 'bob@example.com'] },
      { name: 'group:sre', members: ['alice@example.com', 'carol@example.com'], description: 'on-call rota' },
    ]);
  });
});

describe('diff: users', () => {
  it('finds nothing to do when the tailnet matches, and gives no target groups', () => {
    const result = diff(
      desired({ users: { 'alice@example.com': 'admin' }, groups: { eng: ['alice@example.com'] } }),
      live([alice], { 'group:eng': ['alice@example.com'] }),
    );
    expect(result.plan.changes).toEqual([]);
    expect(result.targetGroups).toBeUndefined();
  });

  it('compares logins without case and reports them as the API spells them', () => {
    const result = diff(desired({ users: { 'BOB@Example.com': 'it-admin' } }), live([bob]));
    expect(result.plan.changes).toEqual([
      {
        type: 'user.role',
        login: 'bob@example.com',
        userId: 'u-bob',
        from: 'member',
        to: 'it-admin',
        reason: 'declared',
      },
    ]);
  });

  it('leaves a user listed without a role alone', () => {
    expect(diff(desired({ users: { 'carol@example.com': null } }), live([carol])).plan.changes).toEqual([]);
  });

  it('refuses to make anyone owner, with the line of the file', () => {
    const { plan, problems } = diff(desired({ users: { 'alice@example.com': 'owner' } }), live([olivia, alice]));
    expect(plan.changes).toEqual([]);
    expect(problems).toEqual([
      {
        code: 'owner.not-owner',
        message:
          'alice@example.com is stated as owner but is an admin; the owner is only checked, never assigned ' +
          '(ownership is transferred in the admin console)',
        path: 'tailnet-access.yaml:2:3',
      },
    ]);
  });

  it("refuses to change the owner's role", () => {
    const { problems } = diff(desired({ users: { 'olivia@example.com': 'admin' } }), live([olivia]));
    expect(problems.map((p) => p.code)).toEqual(['owner.change']);
  });

  it('demotes unmanaged users to member under demote, never the owner, never deleting anyone', () => {
    const { plan } = diff(
      desired({ users: { 'alice@example.com': 'admin' }, settings: { unmanagedUsers: 'demote' } }),
      live(everyone),
    );
    expect(plan.changes).toEqual([
      {
        type: 'user.role',
        login: 'carol@example.com',
        userId: 'u-carol',
        from: 'network-admin',
        to: 'member',
        reason: 'unmanaged',
      },
      {
        type: 'user.role',
        login: 'erin@example.com',
        userId: 'u-erin',
        from: 'auditor',
        to: 'member',
        reason: 'unmanaged',
      },
    ]);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'olivia@example.com is the owner and is never demoted; list them as owner',
    ]);
  });

  it('says nothing about unmanaged users under ignore', () => {
    const { plan } = diff(desired({ users: {} }), live(everyone));
    expect(plan).toMatchObject({ changes: [], warnings: [] });
  });

  it('orders role changes by login whatever the file order', () => {
    const { plan } = diff(
      desired({ users: { 'erin@example.com': 'member', 'bob@example.com': 'admin', 'dave@example.com': 'auditor' } }),
      live(everyone),
    );
    expect(plan.changes.map((c) => (c.type === 'user.role' ? c.login : ''))).toEqual([
      'bob@example.com',
      'dave@example.com',
      'erin@example.com',
    ]);
  });
});

describe('diff: groups', () => {
  it('keeps unmanaged groups under keep, and never touches SCIM groups even under remove', () => {
    const state = live([alice], {
      'group:legacy': ['alice@example.com'],
      'group:ops@example.com': ['alice@example.com'],
    });
    expect(diff(desired({ groups: {} }), state).plan.changes).toEqual([]);
    expect(diff(desired({ groups: {}, settings: { unmanagedGroups: 'remove' } }), state).plan.changes).toEqual([
      { type: 'group.delete', group: 'group:legacy', members: ['alice@example.com'] },
    ]);
  });

  it('plans an update that only adds, and one that only removes', () => {
    const state = live([alice, bob, carol], {
      'group:eng': ['alice@example.com'],
      'group:ops': ['alice@example.com', 'carol@example.com'],
    });
    const { plan } = diff(
      desired({ groups: { eng: ['alice@example.com', 'bob@example.com'], ops: ['alice@example.com'] } }),
      state,
    );
    expect(plan.changes).toEqual([
      { type: 'group.update', group: 'group:eng', add: ['bob@example.com'], remove: [] },
      { type: 'group.update', group: 'group:ops', add: [], remove: ['carol@example.com'] },
    ]);
  });

  it('writes back, unchanged and in their places, the groups it keeps and the SCIM groups', () => {
    const state = live([alice, bob], {
      'group:legacy': ['alice@example.com'],
      'group:eng': ['alice@example.com'],
      'group:ops@example.com': ['bob@example.com'],
    });
    const { targetGroups } = diff(desired({ groups: { eng: ['alice@example.com', 'bob@example.com'] } }), state);
    expect(targetGroups).toEqual([
      { name: 'group:legacy', members: ['alice@example.com'] },
      { name: 'group:eng', members: ['alice@example.com', 'bob@example.com'] },
      { name: 'group:ops@example.com', members: ['bob@example.com'] },
    ]);
  });

  it('does not see a change in member order or login case', () => {
    const state = live([alice, bob], { 'group:eng': ['Bob@Example.com', 'alice@example.com'] });
    expect(diff(desired({ groups: { eng: ['alice@example.com', 'bob@example.com'] } }), state).plan.changes).toEqual(
      [],
    );
  });

  it('writes members as the users API spells them, de-duplicated', () => {
    const { plan } = diff(
      desired({ groups: { eng: ['ALICE@example.com', 'alice@example.com'] } }),
      live([alice], null),
    );
    expect(plan.changes).toEqual([{ type: 'group.create', group: 'group:eng', members: ['alice@example.com'] }]);
  });

  it('warns, without failing, about members who have not joined yet', () => {
    const { plan, problems } = diff(desired({ groups: { eng: ['zoe@example.com'] } }), live([alice], null));
    expect(problems).toEqual([]);
    expect(plan.changes).toEqual([{ type: 'group.create', group: 'group:eng', members: ['zoe@example.com'] }]);
    expect(plan.warnings).toEqual([
      {
        code: 'group.member-not-in-tailnet',
        message:
          'zoe@example.com in group:eng is not a member of the tailnet yet; Tailscale keeps the entry and it ' +
          'applies once they join',
        path: 'tailnet-access.yaml:3:3',
      },
    ]);
  });

  it('points out a group that differs from a live one only in case', () => {
    const { plan } = diff(desired({ groups: { 'group:Eng': [] } }), live([], { 'group:eng': [] }));
    expect(plan.warnings.map((w) => w.code)).toEqual(['group.name-case']);
  });

  it('is deterministic: the same inputs give byte-identical plans', () => {
    const file = desired({
      users: { 'bob@example.com': 'admin' },
      groups: { b: ['alice@example.com'], a: ['bob@example.com'] },
      settings: { unmanagedUsers: 'report' },
    });
    const state = live(everyone, { 'group:z': [], 'group:y': [] });
    expect(JSON.stringify(diff(file, state))).toBe(JSON.stringify(diff(file, state)));
    expect(diff(file, state).plan.changes.map((c) => ('login' in c ? c.login : c.group))).toEqual([
      'bob@example.com',
      'group:a',
      'group:b',
    ]);
  });
});

describe('diff: order, spelling and words', () => {
  it('orders changes by login as folded to lower case, so "a_b" comes before "aab" whatever their case', () => {
    const users = [user('AAB@example.com', 'member', { id: 'x1' }), user('a_b@example.com', 'member', { id: 'x2' })];
    const { plan } = diff(desired({ users: { 'AAB@example.com': 'admin', 'a_b@example.com': 'admin' } }), live(users));
    expect(plan.changes.map((c) => ('login' in c ? c.login : ''))).toEqual(['a_b@example.com', 'AAB@example.com']);
  });

  it('orders group changes by kind, then by name, whatever the file order', () => {
    const file = desired({
      groups: { zz: ['alice@example.com'], mm: ['alice@example.com'], aa: ['alice@example.com'], old: [] },
      settings: { unmanagedGroups: 'remove' },
    });
    const { plan } = diff(file, live([alice], { 'group:old': ['alice@example.com'], 'group:yy': [], 'group:bb': [] }));
    expect(plan.changes.map((c) => `${c.type} ${'group' in c ? c.group : ''}`)).toEqual([
      'group.create group:aa',
      'group.create group:mm',
      'group.create group:zz',
      'group.update group:old',
      'group.delete group:bb',
      'group.delete group:yy',
    ]);
  });

  it('lists unmanaged users under report in login order, with their role', () => {
    const { plan } = diff(desired({ users: {}, settings: { unmanagedUsers: 'report' } }), live([erin, bob, olivia]));
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'bob@example.com (member) is in the tailnet but not in tailnet-access.yaml',
      'erin@example.com (auditor) is in the tailnet but not in tailnet-access.yaml',
      'olivia@example.com (owner) is in the tailnet but not in tailnet-access.yaml',
    ]);
  });

  it('says why a declared user who is not in the tailnet changes nothing, and that an owner cannot be invited', () => {
    const { plan, problems } = diff(
      desired({ users: { 'zoe@example.com': 'admin', 'zed@example.com': 'owner' } }),
      live([alice]),
    );
    expect(plan.warnings).toEqual([
      {
        code: 'user.not-in-tailnet',
        message:
          'zoe@example.com is not a member of the tailnet yet (never signed in, or not invited); nothing to ' +
          'change until they join',
        path: 'tailnet-access.yaml:2:3',
      },
    ]);
    expect(problems).toEqual([
      {
        code: 'owner.not-owner',
        message:
          'zed@example.com is stated as owner but is not in the tailnet; the owner is only checked, never assigned',
        path: 'tailnet-access.yaml:3:3',
      },
    ]);
  });

  it('warns once about a member listed twice in different case, keeping the first spelling', () => {
    const { plan } = diff(desired({ groups: { eng: ['Zoe@example.com', 'zoe@example.com'] } }), live([alice], null));
    expect(plan.changes).toEqual([{ type: 'group.create', group: 'group:eng', members: ['Zoe@example.com'] }]);
    expect(plan.warnings.map((w) => w.code)).toEqual(['group.member-not-in-tailnet']);
  });

  it('names both spellings of a group that differs from a live one only in case', () => {
    const { plan } = diff(desired({ groups: { 'group:Eng': [] } }), live([], { 'group:eng': [] }));
    expect(plan.warnings[0]?.message).toBe(
      'group:Eng differs only in case from group:eng in the policy file; group names are case-sensitive, so they ' +
        'are two groups',
    );
  });

  it('carries the file\u2019s description of a group that exists into the target, and none when there is none', () => {
    const file = desired({
      groups: {
        eng: { description: 'Engineers', members: ['alice@example.com', 'bob@example.com'] },
        ops: ['bob@example.com'],
      },
    });
    const { targetGroups } = diff(file, live([alice, bob], { 'group:eng': ['alice@example.com'], 'group:ops': [] }));
    expect(targetGroups).toEqual([
      { name: 'group:eng', members: ['alice@example.com', 'bob@example.com'], description: 'Engineers' },
      { name: 'group:ops', members: ['bob@example.com'] },
    ]);
  });
});
