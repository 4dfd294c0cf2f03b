// End dates, declared statuses and unmanagedUsers: suspend in the plan.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { parseNow } from '../src/config/until.js';
import { diff } from '../src/plan/diff.js';
import { live, user } from './helpers/model.js';

const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;
const config = (...lines: string[]) => parseConfig(yaml('version: 1', ...lines), 'cfg.yaml').desired;
const at = (text: string): number => parseNow(text).epochMs;

const olivia = user('olivia@example.com', 'owner', { id: 'u-olivia' });
const alice = user('alice@example.com', 'admin', { id: 'u-alice' });
const bob = user('bob@example.com', 'admin', { id: 'u-bob' });
const dave = user('dave@example.com', 'member', { id: 'u-dave' });
const erin = user('erin@example.com', 'member', { id: 'u-erin' });
const gina = user('gina@example.com', 'member', { id: 'u-gina', status: 'needs-approval' });
const hank = user('hank@example.com', 'member', { id: 'u-hank', status: 'suspended' });

describe('diff: until on a role', () => {
  const file = config(
    'users:',
    '  bob@example.com: { role: admin, until: 2026-12-31 }',
    'settings:',
    '  expiryWarningDays: 7',
  );
  const tailnet = live([olivia, alice, bob]);

  it('keeps the role through the whole last day, and warns within expiryWarningDays', () => {
    const { plan } = diff(file, tailnet, Date.parse('2026-12-31T23:59:59.999Z'));
    expect(plan.changes).toEqual([]);
    expect(plan.warnings).toEqual([
      {
        code: 'access.expiring',
        message: "bob@example.com's role admin ends at the end of 2026-12-31 (UTC), within the hour",
        path: 'cfg.yaml:3:42',
      },
    ]);
    expect(diff(file, tailnet, at('2026-12-25')).plan.warnings.map((w) => w.message)).toEqual([
      "bob@example.com's role admin ends at the end of 2026-12-31 (UTC), in 6 days",
    ]);
  });

  it('says nothing of an end further away than the warning window', () => {
    expect(diff(file, tailnet, at('2026-12-24')).plan.warnings).toEqual([]);
  });

  it('demotes to member, with reason expired, once the day is over', () => {
    const { plan, problems } = diff(file, tailnet, at('2027-01-01'));
    expect(problems).toEqual([]);
    expect(plan.changes).toEqual([
      { type: 'user.role', login: 'bob@example.com', userId: 'u-bob', from: 'admin', to: 'member', reason: 'expired' },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('plans nothing once the role has fallen back', () => {
    expect(diff(file, live([olivia, alice, { ...bob, role: 'member' }]), at('2027-01-01')).plan.changes).toEqual([]);
  });
});

describe('diff: until on a group membership', () => {
  const file = config(
    'groups:',
    '  eng:',
    '    - alice@example.com',
    '    - { login: dave@example.com, until: "2026-12-05T18:00:00Z" }',
    '    - { login: erin@example.com, until: 2026-12-04 }',
  );
  const tailnet = live([olivia, alice, dave, erin], {
    'group:eng': ['alice@example.com', 'dave@example.com', 'erin@example.com'],
  });

  it('drops a membership past its end and names it in expired, keeps one still running', () => {
    const { plan } = diff(file, tailnet, Date.parse('2026-12-05T12:00:00Z'));
    expect(plan.changes).toEqual([
      {
        type: 'group.update',
        group: 'group:eng',
        add: [],
        remove: ['erin@example.com'],
        expired: ['erin@example.com'],
      },
    ]);
    expect(plan.warnings).toEqual([
      {
        code: 'access.expiring',
        message: "dave@example.com's membership of group:eng ends at 2026-12-05T18:00:00Z, in 6 hours",
        path: 'cfg.yaml:5:7',
      },
    ]);
  });

  it('an end passing between two plans: the second plan drops the membership', () => {
    expect(diff(file, tailnet, Date.parse('2026-12-05T18:00:00Z')).plan.changes[0]).toMatchObject({
      remove: ['erin@example.com'],
    });
    expect(diff(file, tailnet, Date.parse('2026-12-05T18:00:00.001Z')).plan.changes[0]).toMatchObject({
      remove: ['dave@example.com', 'erin@example.com'],
      expired: ['dave@example.com', 'erin@example.com'],
    });
  });

  it('does not create a group with a member whose membership has ended', () => {
    const { plan } = diff(file, live([olivia, alice, dave, erin]), at('2026-12-06'));
    expect(plan.changes).toEqual([{ type: 'group.create', group: 'group:eng', members: ['alice@example.com'] }]);
  });

  it('a member removed from the file (not expired) is not listed in expired', () => {
    const { plan } = diff(config('groups:', '  eng: [alice@example.com]'), tailnet, at('2026-12-01'));
    expect(plan.changes).toEqual([
      { type: 'group.update', group: 'group:eng', add: [], remove: ['dave@example.com', 'erin@example.com'] },
    ]);
  });
});

describe('diff: declared status', () => {
  const file = config(
    'users:',
    '  erin@example.com: { status: suspended }',
    '  gina@example.com: { role: member, status: active }',
    '  hank@example.com: { status: active }',
    '  dave@example.com: { status: active }',
  );

  it('suspends, approves and restores against the live status; an active user declared active is left alone', () => {
    const { plan, problems } = diff(file, live([olivia, alice, dave, erin, gina, hank]), at('2026-12-01'));
    expect(problems).toEqual([]);
    expect(plan.changes).toEqual([
      { type: 'user.suspend', login: 'erin@example.com', userId: 'u-erin', reason: 'declared' },
      { type: 'user.approve', login: 'gina@example.com', userId: 'u-gina', reason: 'declared' },
      { type: 'user.restore', login: 'hank@example.com', userId: 'u-hank', reason: 'declared' },
    ]);
  });

  it('plans nothing for a user already in the declared status', () => {
    const { plan } = diff(
      file,
      live([
        olivia,
        alice,
        dave,
        { ...erin, status: 'suspended' },
        { ...gina, status: 'active' },
        { ...hank, status: 'idle' },
      ]),
      at('2026-12-01'),
    );
    expect(plan.changes).toEqual([]);
  });

  it('refuses to suspend the owner, at the status in the file', () => {
    const { plan, problems } = diff(
      config('users:', '  olivia@example.com: { role: owner, status: suspended }'),
      live([olivia, alice]),
      at('2026-12-01'),
    );
    expect(plan.changes).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ code: 'owner.suspend', path: 'cfg.yaml:3:46' })]);
  });

  it('reports over-billing-limit without acting on it', () => {
    const { plan } = diff(
      config('users:', '  erin@example.com: { status: suspended }'),
      live([olivia, { ...erin, status: 'over-billing-limit' }]),
      at('2026-12-01'),
    );
    expect(plan.changes).toEqual([]);
    expect(plan.warnings.map((w) => w.code)).toEqual(['user.over-billing-limit']);
  });
});

describe('diff: unmanagedUsers: suspend', () => {
  it('suspends every unlisted user but the owner and those already suspended', () => {
    const file = config('users:', '  alice@example.com: admin', 'settings:', '  unmanagedUsers: suspend');
    const { plan } = diff(file, live([olivia, alice, dave, hank]), at('2026-12-01'));
    expect(plan.changes).toEqual([
      { type: 'user.suspend', login: 'dave@example.com', userId: 'u-dave', reason: 'unmanaged' },
    ]);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'olivia@example.com is the owner and is never suspended; list them as owner',
    ]);
  });
});

describe('diff: the end of what a change grants', () => {
  it('gives a promotion with an until its end, as the file writes it', () => {
    const file = config('users:', '  dave@example.com: { role: admin, until: 2026-12-31 }');
    const { plan } = diff(file, live([olivia, alice, dave]), at('2026-12-01'));
    expect(plan.changes).toEqual([
      {
        type: 'user.role',
        login: 'dave@example.com',
        userId: 'u-dave',
        from: 'member',
        to: 'admin',
        reason: 'declared',
        until: '2026-12-31',
      },
    ]);
  });

  it('gives added members with an until their end, and members without one none', () => {
    const file = config(
      'groups:',
      '  eng:',
      '    - alice@example.com',
      '    - { login: dave@example.com, until: "2026-12-05T18:00:00Z" }',
      '    - erin@example.com',
      '  oncall:',
      '    - { login: erin@example.com, until: 2026-12-10 }',
      '    - alice@example.com',
    );
    const { plan } = diff(
      file,
      live([olivia, alice, dave, erin], { 'group:eng': ['alice@example.com'] }),
      at('2026-12-01'),
    );
    expect(plan.changes).toEqual([
      {
        type: 'group.create',
        group: 'group:oncall',
        members: ['erin@example.com', 'alice@example.com'],
        until: { 'erin@example.com': '2026-12-10' },
      },
      {
        type: 'group.update',
        group: 'group:eng',
        add: ['dave@example.com', 'erin@example.com'],
        remove: [],
        until: { 'dave@example.com': '2026-12-05T18:00:00Z' },
      },
    ]);
  });

  it('gives no end to a member listed a second time without one', () => {
    const file = config(
      'groups:',
      '  eng:',
      '    - { login: dave@example.com, until: 2026-12-10 }',
      '    - dave@example.com',
    );
    const { plan } = diff(file, live([olivia, alice, dave], { 'group:eng': [] }), at('2026-12-01'));
    expect(plan.changes).toEqual([{ type: 'group.update', group: 'group:eng', add: ['dave@example.com'], remove: [] }]);
  });
});
