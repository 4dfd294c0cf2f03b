import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { configProblems } from './helpers/config-problems.js';
import { formatDiagnostic } from '../src/diagnostics.js';

const FILE = 'cfg.yaml';
const ROLES = 'owner, admin, member, it-admin, network-admin, billing-admin, auditor';

/** One line per array element, so the line numbers in the expectations can be counted by eye. */
function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

const problems = (text: string): string[] => configProblems(text, FILE);

function warnings(text: string): string[] {
  return parseConfig(text, FILE).warnings.map(formatDiagnostic);
}

describe('parseConfig on valid files', () => {
  it('reads the example to the expected desired state', () => {
    const text = readFileSync(new URL('../examples/tailnet-access.yaml', import.meta.url), 'utf8');
    const { desired, warnings: found } = parseConfig(text, 'examples/tailnet-access.yaml');
    const at = (line: number, column: number) => ({ file: 'examples/tailnet-access.yaml', line, column });
    expect(found).toEqual([]);
    expect(desired).toEqual({
      file: 'examples/tailnet-access.yaml',
      version: 1,
      tailnet: '-',
      users: [
        { login: 'olivia@example.com', role: 'owner', at: at(8, 3) },
        { login: 'alice@example.com', role: 'admin', at: at(9, 3) },
        { login: 'bob@example.com', role: 'admin', at: at(10, 3) },
        { login: 'carol@example.com', at: at(11, 3) },
        { login: 'grace@example.com', role: 'member', at: at(12, 3) },
      ],
      groups: [
        {
          name: 'group:eng',
          members: [
            { login: 'alice@example.com', at: at(15, 9) },
            { login: 'bob@example.com', at: at(15, 28) },
          ],
          at: at(15, 3),
        },
        {
          name: 'group:sre',
          description: 'on-call rota',
          members: [
            { login: 'alice@example.com', at: at(18, 15) },
            { login: 'carol@example.com', at: at(18, 34) },
          ],
          at: at(16, 3),
        },
      ],
      settings: {
        unmanagedUsers: 'report',
        unmanagedGroups: 'remove',
        maxChanges: 50,
        onManualEdits: 'warn',
        onUnreviewedChanges: 'warn',
        inviteMissingUsers: false,
        expiryWarningDays: 7,
      },
      settingsAt: { unmanagedUsers: at(21, 3), unmanagedGroups: at(22, 3), maxChanges: at(23, 3) },
    });
  });

  it('fills in every default for a file with only a version', () => {
    const { desired } = parseConfig('version: 1\n', FILE);
    expect(desired).toEqual({
      file: FILE,
      version: 1,
      users: [],
      groups: [],
      settings: {
        unmanagedUsers: 'ignore',
        unmanagedGroups: 'keep',
        maxChanges: 50,
        onManualEdits: 'warn',
        onUnreviewedChanges: 'warn',
        inviteMissingUsers: false,
        expiryWarningDays: 7,
      },
      settingsAt: {},
    });
  });

  it('treats empty sections (all entries commented out) as empty', () => {
    const { desired } = parseConfig(
      yaml('version: 1', 'users:', '  # alice@example.com: admin', 'groups:', 'settings:'),
      FILE,
    );
    expect([desired.users, desired.groups, desired.settings.maxChanges]).toEqual([[], [], 50]);
  });

  it('keeps policyFile as written and accepts GitHub-style logins and every setting', () => {
    const { desired } = parseConfig(
      yaml(
        'version: 1',
        'users:',
        '  octocat@github: { role: it-admin }',
        'settings:',
        '  unmanagedUsers: demote',
        '  unmanagedGroups: keep',
        '  maxChanges: 0',
        '  policyFile: ../policy/tailnet.hujson',
        '  onManualEdits: fail',
        '  onUnreviewedChanges: fail',
        '  inviteMissingUsers: true',
      ),
      FILE,
    );
    expect(desired.users).toEqual([
      { login: 'octocat@github', role: 'it-admin', at: { file: FILE, line: 3, column: 3 } },
    ]);
    expect(desired.settings).toEqual({
      unmanagedUsers: 'demote',
      unmanagedGroups: 'keep',
      maxChanges: 0,
      policyFile: '../policy/tailnet.hujson',
      onManualEdits: 'fail',
      onUnreviewedChanges: 'fail',
      inviteMissingUsers: true,
      expiryWarningDays: 7,
    });
    expect(desired.settingsAt.policyFile).toEqual({ file: FILE, line: 8, column: 3 });
  });

  it('lets a group hold logins that are not listed under users, without a warning', () => {
    const { desired, warnings: found } = parseConfig(
      yaml('version: 1', 'groups:', '  eng: [nobody@example.com]'),
      FILE,
    );
    expect(found).toEqual([]);
    expect(desired.groups[0]?.members.map((m) => m.login)).toEqual(['nobody@example.com']);
  });

  it('resolves anchors and aliases of whole values, members pointing where they are written', () => {
    const { desired } = parseConfig(
      yaml(
        'version: 1',
        'groups:',
        '  eng: &eng [alice@example.com, bob@example.com]',
        '  sre: *eng',
        '  ops:',
        '    members: *eng',
      ),
      FILE,
    );
    expect(
      desired.groups.map((g) => [g.name, g.at.line, g.members.map((m) => `${m.login}@${m.at.line}:${m.at.column}`)]),
    ).toEqual([
      ['group:eng', 3, ['alice@example.com@3:14', 'bob@example.com@3:33']],
      ['group:sre', 4, ['alice@example.com@3:14', 'bob@example.com@3:33']],
      ['group:ops', 5, ['alice@example.com@3:14', 'bob@example.com@3:33']],
    ]);
  });

  it('warns about a member listed twice in one group, also under another case, and still loads', () => {
    const text = yaml(
      'version: 1',
      'groups:',
      '  eng:',
      '    - alice@example.com',
      '    - bob@example.com',
      '    - Alice@Example.com',
      '    - bob@example.com',
    );
    expect(warnings(text)).toEqual([
      'cfg.yaml:6:7: warning: Alice@Example.com is listed twice in group:eng (first at line 4 as alice@example.com)',
      'cfg.yaml:7:7: warning: bob@example.com is listed twice in group:eng (first at line 5)',
    ]);
  });
});

describe('parseConfig refuses a malformed top level', () => {
  it.each([
    ['an empty file', '', 'cfg.yaml:1:1: the file is empty; it needs at least "version: 1"'],
    ['a file of comments', '# nothing yet\n', 'cfg.yaml:1:1: the file is empty; it needs at least "version: 1"'],
    [
      'a list',
      '- version: 1\n',
      'cfg.yaml:1:1: the top level must be a mapping (version:, users:, groups:, settings:), not a list',
    ],
    [
      'a word',
      'hello\n',
      'cfg.yaml:1:1: the top level must be a mapping (version:, users:, groups:, settings:), not the text "hello"',
    ],
  ])('%s', (_name, text, expected) => {
    expect(problems(text)).toEqual([expected]);
  });

  it('wants version 1 and says which versions exist', () => {
    expect(problems('version: 2\n')).toEqual(['cfg.yaml:1:10: unsupported version 2; this tool knows version 1']);
    expect(problems('version: "1"\n')).toEqual([
      'cfg.yaml:1:10: unsupported version "1"; this tool knows version 1 (write it without quotes)',
    ]);
    expect(problems('users: {}\n')).toEqual(['cfg.yaml:1:1: missing "version: 1" (the format version of this file)']);
  });
});

describe('parseConfig reports YAML problems with their positions', () => {
  it('reports a syntax error where the parser found it', () => {
    expect(problems(yaml('version: 1', 'users:', '  alice@example.com: [admin', 'groups: {}'))).toEqual([
      'cfg.yaml:4:1: invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports tabs, and a second document', () => {
    expect(problems('version: 1\nusers:\n\talice@example.com: admin\n')).toEqual([
      'cfg.yaml:3:1: tabs are not allowed as indentation in YAML; indent with spaces',
    ]);
    expect(problems('version: 1\n---\nversion: 1\n')).toEqual([
      'cfg.yaml:2:1: the file holds more than one YAML document (a second "---"); keep everything in one',
    ]);
  });

  it('reports a duplicate key at the second one, naming the line of the first', () => {
    expect(
      problems(
        yaml(
          'version: 1',
          'users:',
          '  alice@example.com: admin',
          '  bob@example.com: member',
          '  alice@example.com: member',
        ),
      ),
    ).toEqual(['cfg.yaml:5:3: duplicate key "alice@example.com": it is already at line 3']);
  });

  it('refuses merge keys and unknown aliases', () => {
    expect(problems(yaml('version: 1', 'groups:', '  sre:', '    <<: { members: [] }'))).toEqual([
      'cfg.yaml:4:5: YAML merge keys (<<) are not supported; write the entries out (an alias of a whole value, ' +
        'like "*eng", does work)',
    ]);
    expect(problems(yaml('version: 1', 'groups:', '  sre: *eng'))).toEqual([
      'cfg.yaml:3:8: unknown alias *eng: define "&eng" before using it',
    ]);
  });

  it('refuses keys that are not text', () => {
    expect(problems(yaml('version: 1', 'users:', '  ? [alice@example.com]', '  : admin'))).toEqual([
      'cfg.yaml:3:5: a key must be plain text, not a list, a mapping or an alias',
    ]);
  });
});

describe('parseConfig explains schema errors in the words of the file', () => {
  it('names an unknown role, the roles there are, and the likely one', () => {
    expect(
      problems(yaml('version: 1', 'users:', '  alice@example.com: admn', '  bob@example.com: { role: Member }')),
    ).toEqual([
      `cfg.yaml:3:22: unknown role "admn" for alice@example.com; expected one of ${ROLES}; did you mean "admin"?`,
      `cfg.yaml:4:28: unknown role "Member" for bob@example.com; expected one of ${ROLES}; did you mean "member"?`,
    ]);
  });

  it('suggests the nearest key for misspelt keys and settings, pointing at the key', () => {
    expect(
      problems(
        yaml(
          'version: 1',
          'user:',
          '  alice@example.com: admin',
          'users:',
          '  bob@example.com: { rol: admin }',
          'groups:',
          '  sre:',
          '    memebrs: [bob@example.com]',
          'settings:',
          '  unmanagedUser: report',
          '  colour: blue',
        ),
      ),
    ).toEqual([
      'cfg.yaml:2:1: unknown key "user"; did you mean "users"?',
      'cfg.yaml:5:22: unknown key "rol" for bob@example.com; did you mean "role"?',
      'cfg.yaml:8:5: unknown key "memebrs" in group:sre; did you mean "members"?',
      'cfg.yaml:10:3: unknown setting "unmanagedUser"; did you mean "unmanagedUsers"?',
      'cfg.yaml:11:3: unknown setting "colour"; expected one of unmanagedUsers, unmanagedGroups, maxChanges, ' +
        'policyFile, onManualEdits, onUnreviewedChanges, inviteMissingUsers',
    ]);
  });

  it('explains values of the wrong kind', () => {
    expect(
      problems(
        yaml(
          'version: 1',
          'tailnet: 42',
          'users:',
          '  carol@example.com:',
          '  dave@example.com: [admin]',
          '  erin@example.com: { role: 5 }',
          'groups:',
          '  eng: everyone',
          '  sre:',
          '  ops: { description: x }',
          'settings:',
          '  unmanagedGroups: delete',
          '  maxChanges: -1',
          '  policyFile: ""',
          '  inviteMissingUsers: "yes"',
        ),
      ),
    ).toEqual([
      'cfg.yaml:2:10: tailnet must be a tailnet name, or "-" for the credential\'s own tailnet, not the number 42',
      'cfg.yaml:4:3: no role for carol@example.com: write a role (admin, member, …), or {} to list the user and ' +
        'leave the role alone',
      'cfg.yaml:5:21: the entry for dave@example.com must be a role (admin, member, …) or a mapping like { role: ' +
        'admin }, not a list',
      `cfg.yaml:6:29: the role of erin@example.com must be one of ${ROLES}, not the number 5`,
      'cfg.yaml:8:8: group:eng must be a list of logins, or a mapping with members (and a description), not the ' +
        'text "everyone"',
      'cfg.yaml:9:3: group:sre is empty; write [] for a group with no members',
      'cfg.yaml:10:3: group:ops has no members; write "members: []" if it is meant to be empty',
      'cfg.yaml:12:20: unknown value "delete" for settings.unmanagedGroups; expected one of keep, remove',
      'cfg.yaml:13:15: settings.maxChanges must be a whole number, 0 or more, not the number -1',
      'cfg.yaml:14:15: settings.policyFile is empty; write a path relative to this file',
      'cfg.yaml:15:23: settings.inviteMissingUsers must be true or false, not the text "yes"',
    ]);
  });

  it('refuses user keys that are not logins', () => {
    expect(
      problems(yaml('version: 1', 'users:', '  alice: admin', '  group:eng: member', '  "alice @example.com": member')),
    ).toEqual([
      'cfg.yaml:3:3: "alice" is not a login; users are listed by login, like alice@example.com (or alice@github)',
      'cfg.yaml:4:3: "group:eng" is a group, not a login; groups go under groups:',
      'cfg.yaml:5:3: "alice @example.com" is not a login; users are listed by login, like alice@example.com (or ' +
        'alice@github)',
    ]);
  });

  it('refuses group names Tailscale does not allow, and SCIM groups', () => {
    expect(
      problems(
        yaml(
          'version: 1',
          'groups:',
          '  "on call": []',
          '  group:eng@example.com: []',
          '  autogroup:admin: []',
          '  tag:server: []',
        ),
      ),
    ).toEqual([
      'cfg.yaml:3:3: invalid group name "on call": use letters, digits, "-", "_" and "." (the "group:" prefix is ' +
        'optional)',
      'cfg.yaml:4:3: group:eng@example.com is a SCIM group: groups named group:name@domain are synced from your ' +
        'identity provider and never written by tailnet-access; remove it here',
      'cfg.yaml:5:3: autogroup:admin is built in and follows user roles; it cannot be defined here (set roles ' +
        'under users:)',
      'cfg.yaml:6:3: tag:server is a tag, not a group; tags are defined under tagOwners in the policy file',
    ]);
  });

  it('refuses members that are groups, autogroups, tags, * or not logins at all', () => {
    expect(
      problems(
        yaml(
          'version: 1',
          'groups:',
          '  eng:',
          '    - group:sre',
          '    - autogroup:member',
          '    - tag:ci',
          '    - "*"',
          '    - bob',
          '    - 7',
        ),
      ),
    ).toEqual([
      'cfg.yaml:4:7: group:sre cannot be a member of group:eng: Tailscale refuses groups inside groups ("group ' +
        'members cannot be recursive"); list its members instead',
      'cfg.yaml:5:7: autogroup:member cannot be a member of group:eng: groups hold user logins, and autogroups ' +
        'are not users',
      'cfg.yaml:6:7: tag:ci cannot be a member of group:eng: groups hold user logins, and tags name devices, not users',
      'cfg.yaml:7:7: "*" cannot be a member of group:eng: groups hold user logins; list the users',
      'cfg.yaml:8:7: "bob" in group:eng is not a login; members are logins like alice@example.com (or alice@github)',
      'cfg.yaml:9:7: a member of group:eng must be a login like alice@example.com (or alice@github), not the number 7',
    ]);
  });
});

describe('parseConfig checks what the schema cannot', () => {
  it('refuses a login listed twice under different case, at the second', () => {
    expect(
      problems(
        yaml(
          'version: 1',
          'users:',
          '  alice@example.com: admin',
          '  bob@example.com: member',
          '  Alice@Example.com: member',
        ),
      ),
    ).toEqual([
      'cfg.yaml:5:3: Alice@Example.com is already listed at line 3 as alice@example.com; logins are compared ' +
        'without case, so list it once',
    ]);
  });

  it('refuses one group written with and without its prefix', () => {
    expect(
      problems(yaml('version: 1', 'groups:', '  eng: []', '  sre: []', '  group:eng: [alice@example.com]')),
    ).toEqual([
      'cfg.yaml:5:3: "group:eng" and "eng" (line 3) are the same group, group:eng: the "group:" prefix is ' +
        'optional; keep one',
    ]);
  });

  it('refuses every owner after the first', () => {
    expect(
      problems(
        yaml(
          'version: 1',
          'users:',
          '  olivia@example.com: owner',
          '  oscar@example.com: owner',
          '  alice@example.com: admin',
          '  otto@example.com: { role: owner }',
        ),
      ),
    ).toEqual([
      'cfg.yaml:4:22: oscar@example.com cannot also be owner: a tailnet has one owner, and olivia@example.com ' +
        '(line 3) is listed as owner',
      'cfg.yaml:6:29: otto@example.com cannot also be owner: a tailnet has one owner, and olivia@example.com ' +
        '(line 3) is listed as owner',
    ]);
  });

  it('reports every error of a file at once, in file order', () => {
    expect(
      problems(
        yaml(
          'version: 1',
          'users:',
          '  alice@example.com: superuser',
          '  ALICE@example.com: admin',
          'groups:',
          '  eng: [group:sre]',
          'setings: {}',
        ),
      ),
    ).toEqual([
      `cfg.yaml:3:22: unknown role "superuser" for alice@example.com; expected one of ${ROLES}`,
      'cfg.yaml:4:3: ALICE@example.com is already listed at line 3 as alice@example.com; logins are compared ' +
        'without case, so list it once',
      'cfg.yaml:6:9: group:sre cannot be a member of group:eng: Tailscale refuses groups inside groups ("group ' +
        'members cannot be recursive"); list its members instead',
      'cfg.yaml:7:1: unknown key "setings"; did you mean "settings"?',
    ]);
  });
});

describe('parseConfig positions with other line endings and a byte-order mark', () => {
  it('counts lines and columns in a CRLF file as an editor does', () => {
    const text = 'version: 1\r\nusers:\r\n  alice@example.com: admin\r\n  bob@example.com: admn\r\n';
    expect(problems(text)).toEqual([
      `cfg.yaml:4:20: unknown role "admn" for bob@example.com; expected one of ${ROLES}; did you mean "admin"?`,
    ]);
    const valid = parseConfig(text.replace('admn', 'member'), FILE).desired;
    expect(valid.users.map((u) => [u.login, u.role, u.at.line, u.at.column])).toEqual([
      ['alice@example.com', 'admin', 3, 3],
      ['bob@example.com', 'member', 4, 3],
    ]);
  });

  it('does not count a UTF-8 byte-order mark as a column', () => {
    expect(problems('\uFEFFversion: 3\n')).toEqual(['cfg.yaml:1:10: unsupported version 3; this tool knows version 1']);
    expect(parseConfig('\uFEFFversion: 1\nusers: { alice@example.com: admin }\n', FILE).desired.users[0]?.at).toEqual({
      file: FILE,
      line: 2,
      column: 10,
    });
  });
});
