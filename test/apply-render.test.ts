// The apply report in text, markdown and JSON: what each says for a clean, an incomplete and an
// empty run; escaping of names that come from other people; the markdown's size limit; the schema.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { ApplyReport } from '../src/domain/apply-report.js';
import { RenderOptionsError } from '../src/render/plan-markdown.js';
import { renderApplyReportJson } from '../src/render/report-json.js';
import { renderApplyReportMarkdown } from '../src/render/report-markdown.js';
import { renderApplyReportText } from '../src/render/report-text.js';
import type { Change, GroupChange, Plan, UserRoleChange } from '../src/domain/plan.js';

const BEFORE = `"${'a'.repeat(64)}"`;
const AFTER = `"${'b'.repeat(64)}"`;

const bob: UserRoleChange = {
  type: 'user.role',
  login: 'bob@example.com',
  userId: '3',
  from: 'member',
  to: 'admin',
  reason: 'declared',
};
const carol: UserRoleChange = {
  type: 'user.role',
  login: 'carol@example.com',
  userId: '4',
  from: 'network-admin',
  to: 'admin',
  reason: 'declared',
};
const sre: GroupChange = { type: 'group.create', group: 'group:sre', members: ['alice@example.com'] };
const eng: GroupChange = {
  type: 'group.update',
  group: 'group:eng',
  add: ['bob@example.com'],
  remove: ['dave@example.com'],
};

function plan(changes: Change[]): Plan {
  return { version: 1, tailnet: '-', policyEtag: BEFORE, changes, warnings: [] };
}

function complete(): ApplyReport {
  const changes = [bob, sre, eng];
  return {
    version: 1,
    tailnet: '-',
    plan: plan(changes),
    applied: changes,
    failed: [],
    skipped: [],
    policy: { status: 'written', etagBefore: BEFORE, etagAfter: AFTER, attempts: 1 },
    warnings: [],
    converged: true,
  };
}

const VALIDATION = "Tailscale's validation refused the new policy file, so it was not written: test(s) failed";

function incomplete(): ApplyReport {
  return {
    version: 1,
    tailnet: '-',
    plan: plan([bob, carol, sre, eng]),
    applied: [bob],
    failed: [
      {
        change: carol,
        error:
          'change the role of carol@example.com to admin (POST /api/v2/users/4/role): 403 calling actor does not ' +
          'have enough permissions',
      },
      { change: sre, error: VALIDATION },
      { change: eng, error: VALIDATION },
    ],
    skipped: [
      {
        change: { ...bob, login: 'alice@example.com', from: 'admin', to: 'member' },
        reason: 'not made: a promotion it relied on failed',
      },
    ],
    policy: {
      status: 'failed',
      etagBefore: BEFORE,
      attempts: 2,
      error: VALIDATION,
      details: ['alice@example.com: address "tag:prod:22": want: Accept, got: Drop'],
    },
    warnings: [
      { code: 'group.edited-in-console', message: 'group:eng was edited in the console since the plan; the file wins' },
    ],
    converged: false,
  };
}

function empty(): ApplyReport {
  return {
    version: 1,
    tailnet: '-',
    plan: plan([]),
    applied: [],
    failed: [],
    skipped: [],
    warnings: [],
    converged: true,
  };
}

describe('renderApplyReportText', () => {
  it('shows what was applied, the new ETag and that the tailnet matches', () => {
    expect(renderApplyReportText(complete(), { color: false, configPath: 'access.yaml' })).toBe(
      [
        'Tailnet: -, policy ETag: aaaaaaaaaaaa… -> bbbbbbbbbbbb…',
        '',
        'Applied:',
        '  Users:',
        '    ~ bob@example.com  member -> admin',
        '  Groups:',
        '    + group:sre  (alice@example.com)',
        '    ~ group:eng',
        '        + bob@example.com',
        '        - dave@example.com',
        '',
        'Policy file: written; ETag aaaaaaaaaaaa… -> bbbbbbbbbbbb…',
        '',
        'Apply complete: 1 role change, 1 group created, 1 updated. The tailnet matches access.yaml.',
        '',
      ].join('\n'),
    );
  });

  it(
    'shows each failure with its error, the group changes of a failed policy write under one error, and what was ' +
      'skipped',
    () => {
      const text = renderApplyReportText(incomplete(), { color: false });
      expect(text).toContain(
        [
          'Failed:',
          '  x carol@example.com  network-admin -> admin',
          '      change the role of carol@example.com to admin (POST /api/v2/users/4/role): 403 calling actor does ' +
            'not have enough permissions',
          '  x 2 group changes (the policy file was not written):',
          '    Groups:',
          '      + group:sre  (alice@example.com)',
          '      ~ group:eng',
          '          + bob@example.com',
          '          - dave@example.com',
          `      ${VALIDATION}`,
          '        alice@example.com: address "tag:prod:22": want: Accept, got: Drop',
          '',
          'Skipped:',
          '  - alice@example.com  admin -> member',
          '      not made: a promotion it relied on failed',
          '',
          'Policy file: not written (all or nothing: no group change was made) after 2 attempts (it was edited by ' +
            'someone else meanwhile)',
          '',
          'Warnings:',
          '  ! group:eng was edited in the console since the plan; the file wins',
          '',
          'Apply incomplete: 1 change applied, 3 failed, 1 skipped. The tailnet does not match tailnet-access.yaml ' +
            'yet: fix what failed, then run apply again.',
        ].join('\n'),
      );
      expect(text.startsWith('Tailnet: -, policy ETag: aaaaaaaaaaaa…\n')).toBe(true);
    },
  );

  it('says so when there was nothing to do', () => {
    expect(renderApplyReportText(empty(), { color: false })).toBe(
      'Tailnet: -, policy ETag: aaaaaaaaaaaa…\n\nNo changes. The tailnet matches tailnet-access.yaml.\n',
    );
  });

  it('colours only when asked, and never lets a name carry escape sequences', () => {
    const report = complete();
    report.applied = [{ ...bob, login: 'mallory\x1b[2J@example.com' }];
    const text = renderApplyReportText(report, { color: true });
    expect(text).toContain('\x1b[32mApplied\x1b[0m:');
    expect(text).toContain('mallory\\u{001b}[2J@example.com');
    expect(renderApplyReportText(report, { color: false })).not.toContain('\x1b');
  });
});

describe('renderApplyReportMarkdown', () => {
  it('puts failures first and ends with the ETags and the run link', () => {
    const md = renderApplyReportMarkdown(incomplete(), {
      configPath: 'tailnet-access.yaml',
      marker: '<!-- tailnet-access apply -->',
      runUrl: 'https://github.com/o/r/actions/runs/1',
    });
    const blocks = md.split('\n\n');
    expect(blocks.slice(0, 3)).toEqual([
      '<!-- tailnet-access apply -->',
      '### tailnet-access apply',
      '**Apply incomplete:** 1 change applied, 3 failed, 1 skipped. The tailnet does not match ' +
        '`tailnet-access.yaml` yet: fix what failed, then run apply again.',
    ]);
    expect(blocks[3]).toBe('**Failed**');
    expect(blocks[4]).toContain(
      '- `carol@example.com` network-admin → admin: change the role of carol@example.com to admin \\(POST',
    );
    expect(blocks[4]).toContain(
      "- The policy file was not written, so no group change was made (`group:sre`, `group:eng`): Tailscale's " +
        'validation refused',
    );
    expect(md).toContain('```\nalice@example.com: address "tag:prod:22": want: Accept, got: Drop\n```');
    expect(md.trimEnd().split('\n').at(-1)).toBe(
      `Tailnet \`-\`, policy ETag \`${BEFORE}\`. [Workflow run](https://github.com/o/r/actions/runs/1)`,
    );
  });

  it('shows the applied changes as a diff and the ETag they led to', () => {
    const md = renderApplyReportMarkdown(complete(), { configPath: 'tailnet-access.yaml' });
    expect(md).toContain(
      '**Applied:** 1 role change, 1 group created, 1 updated. The tailnet matches `tailnet-access.yaml`.',
    );
    expect(md).toContain(
      '**Applied**\n\n```diff\nUsers\n! bob@example.com  member -> admin\n\nGroups\n+ group:sre  ' +
        '(alice@example.com)\n! group:eng\n+     bob@example.com\n-     dave@example.com\n```',
    );
    expect(md).toContain('**Policy file:** written; ETag `aaaaaaaaaaaa…` → `bbbbbbbbbbbb…`');
    expect(md).toContain(`policy ETag \`${BEFORE}\` → \`${AFTER}\`.`);
  });

  it('escapes names from other people outside code', () => {
    const report = incomplete();
    report.failed = [
      { change: { ...carol, login: '<img src=x>@evil' }, error: 'no [link](https://evil) for @someone <b>' },
    ];
    const md = renderApplyReportMarkdown(report, { configPath: 'tailnet-access.yaml' });
    expect(md).toContain('`<img src=x>@evil`');
    expect(md).toContain('no \\[link\\]\\(https://evil\\) for @\u200bsomeone &lt;b&gt;');
  });

  it('stays under maxLength by degrading to counts, the first failures and the first changes', () => {
    const many = Array.from({ length: 3000 }, (_, i): UserRoleChange => ({
      ...bob,
      login: `user${i}@example.com`,
      userId: String(i),
    }));
    const report: ApplyReport = {
      ...incomplete(),
      plan: plan(many),
      applied: many.slice(0, 2000),
      failed: many
        .slice(2000)
        .map((change) => ({ change, error: 'change the role (POST /api/v2/users/x/role): 500 internal server error' })),
    };
    const md = renderApplyReportMarkdown(report, { configPath: 'tailnet-access.yaml', maxLength: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain('| Role changes applied | 2000 |\n| Changes failed | 1000 |');
    expect(md).toMatch(/- … and \d+ more \(see the full report\)/);
    expect(md).toMatch(/<summary>The first \d+ of 2000 applied changes<\/summary>/);
    expect(md).toContain('The full report is in the job summary of the workflow run.');
    expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
  });

  it('refuses options that would break the comment', () => {
    expect(() => renderApplyReportMarkdown(complete(), { configPath: 'x', marker: '<!-- a --> b' })).toThrow(
      RenderOptionsError,
    );
    expect(() => renderApplyReportMarkdown(complete(), { configPath: 'x', runUrl: 'javascript:alert(1)' })).toThrow(
      RenderOptionsError,
    );
    expect(() => renderApplyReportMarkdown(complete(), { configPath: 'x', maxLength: 50 })).toThrow(
      /too small for even a summary/,
    );
  });
});

describe('renderApplyReportJson and schema/apply-report.schema.json', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addSchema(
    JSON.parse(readFileSync(new URL('../schema/plan.schema.json', import.meta.url), 'utf8')) as object,
    'plan.schema.json',
  );
  const validate = ajv.compile(
    JSON.parse(readFileSync(new URL('../schema/apply-report.schema.json', import.meta.url), 'utf8')) as object,
  );

  it('writes every kind of report in a fixed key order that the schema accepts', () => {
    for (const report of [complete(), incomplete(), empty()]) {
      const parsed = JSON.parse(renderApplyReportJson(report)) as Record<string, unknown>;
      expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
      expect(Object.keys(parsed)).toEqual([
        'version',
        'tailnet',
        'converged',
        'plan',
        'applied',
        'failed',
        'skipped',
        ...(report.policy ? ['policy'] : []),
        'warnings',
      ]);
    }
  });

  it('leaves out what is not part of the report', () => {
    const report = complete();
    Object.assign(report.applied[0] as object, { at: { line: 3 } });
    Object.assign(report, { internal: true });
    const json = renderApplyReportJson(report);
    expect(json).not.toContain('"at"');
    expect(json).not.toContain('internal');
  });

  it('is rejected by the schema when a failure has no error', () => {
    const parsed = JSON.parse(renderApplyReportJson(incomplete())) as { failed: { error?: string }[] };
    delete parsed.failed[0]?.error;
    expect(validate(parsed)).toBe(false);
  });
});
