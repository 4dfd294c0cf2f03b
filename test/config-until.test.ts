import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { configProblems } from './helpers/config-problems.js';

const FILE = 'cfg.yaml';
const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

const problems = (text: string): string[] => configProblems(text, FILE);

describe('until, status, expiryWarningDays and unmanagedUsers: suspend in the file', () => {
  it('reads end dates on roles and memberships, declared statuses and the new settings', () => {
    const { desired } = parseConfig(
      yaml(
        'version: 1',
        'users:',
        '  bob@example.com: { role: admin, until: 2026-12-31 }',
        '  erin@example.com: { status: suspended }',
        '  gina@example.com: { role: member, status: active }',
        'groups:',
        '  eng:',
        '    members:',
        '      - alice@example.com',
        '      - { login: dave@example.com, until: "2026-12-05T19:00:00+01:00" }',
        'settings:',
        '  unmanagedUsers: suspend',
        '  expiryWarningDays: 3',
      ),
      FILE,
    );
    const [bob, erin, gina] = desired.users;
    expect(bob?.until).toEqual({
      epochMs: Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      kind: 'date',
      display: '2026-12-31',
    });
    expect(bob?.untilAt).toEqual({ file: FILE, line: 3, column: 42 });
    expect(erin).toMatchObject({ login: 'erin@example.com', status: 'suspended' });
    expect(erin?.role).toBeUndefined();
    expect(gina).toMatchObject({ role: 'member', status: 'active' });
    expect(desired.groups[0]?.members.map((m) => [m.login, m.until?.display])).toEqual([
      ['alice@example.com', undefined],
      ['dave@example.com', '2026-12-05T18:00:00Z'],
    ]);
    expect(desired.settings.unmanagedUsers).toBe('suspend');
    expect(desired.settings.expiryWarningDays).toBe(3);
  });

  it('defaults expiryWarningDays to 7', () => {
    expect(parseConfig(yaml('version: 1'), FILE).desired.settings.expiryWarningDays).toBe(7);
  });

  it('refuses impossible dates at the line and column of the value', () => {
    expect(
      problems(
        yaml(
          'version: 1',
          'users:',
          '  bob@example.com: { role: admin, until: 2026-02-29 }',
          'groups:',
          '  eng:',
          '    - { login: dave@example.com, until: "2026-12-05T18:00:00" }',
        ),
      ),
    ).toEqual([
      'cfg.yaml:3:42: until of bob@example.com: "2026-02-29" is not a real date: 2026 is not a leap year, so ' +
        'February has 28 days',
      'cfg.yaml:6:41: until of dave@example.com in group:eng: "2026-12-05T18:00:00" has no UTC offset, so the ' +
        'moment it means is ambiguous: add Z for UTC (2026-12-05T18:00:00Z) or the offset meant ' +
        '(2026-12-05T18:00:00+01:00)',
    ]);
  });

  it('refuses an end date with no role to end, or on the owner', () => {
    const found = problems(
      yaml(
        'version: 1',
        'users:',
        '  bob@example.com: { until: 2026-12-31 }',
        '  olivia@example.com: { role: owner, until: 2026-12-31 }',
      ),
    );
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^cfg\.yaml:3:29: until of bob@example\.com ends a role, but no role is given/);
    expect(found[1]).toMatch(/^cfg\.yaml:4:45: until of olivia@example\.com: the owner's role never ends/);
  });

  it('refuses a status other than active or suspended, and a membership mapping without a login', () => {
    const found = problems(
      yaml(
        'version: 1',
        'users:',
        '  bob@example.com: { status: idle }',
        'groups:',
        '  eng:',
        '    - { until: 2026-12-31 }',
      ),
    );
    expect(found.join('\n')).toMatch(/cfg\.yaml:3:/);
    expect(found.join('\n')).toMatch(/cfg\.yaml:6:/);
  });
});
