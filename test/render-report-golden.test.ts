// The apply report and the inventory exactly as a person reads them: every block, its wording, its
// marks and colours, how long listings collapse, and how the markdown degrades under its size limit.
// (test/apply-render.test.ts and test/inventory.test.ts pin the parts; these pin the whole.)
import { describe, expect, it } from 'vitest';
import type { ApplyReport } from '../src/domain/apply-report.js';
import { renderApplyReportJson } from '../src/render/report-json.js';
import { renderApplyReportMarkdown } from '../src/render/report-markdown.js';
import { renderApplyReportText } from '../src/render/report-text.js';
import { renderInventoryText } from '../src/render/inventory-text.js';
import { buildInventory, declaredLogins } from '../src/plan/inventory.js';
import type { Change, GroupChange, Plan, UserRoleChange } from '../src/domain/plan.js';
import { desired, user } from './helpers/model.js';

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
const plan = (changes: Change[]): Plan => ({ version: 1, tailnet: '-', policyEtag: BEFORE, changes, warnings: [] });
const VALIDATION = "Tailscale's validation refused the new policy file, so it was not written: test(s) failed";
/** A role change made, one refused, the policy write refused by validation, a demotion held back. */
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
      { code: 'user.not-in-tailnet', message: 'grace is not in', path: 'tailnet-access.yaml:7:3' },
    ],
    converged: false,
  };
}
const users = Array.from({ length: 30 }, (_, i): UserRoleChange => ({
  ...bob,
  login: `u${String(i).padStart(2, '0')}@example.com`,
  userId: String(100 + i),
}));
/**
 * Long listings: 34 changes applied (an invite among them), 11 skipped, 11 warnings, the policy matched on a re-read.
 */
function busy(): ApplyReport {
  const invite = { type: 'user.invite' as const, login: 'new@example.com', role: 'auditor' as const };
  const applied: Change[] = [
    ...users,
    invite,
    sre,
    eng,
    { type: 'group.delete', group: 'group:old', members: ['erin@example.com'] },
  ];
  return {
    version: 1,
    tailnet: 'example.com',
    plan: plan(applied),
    applied,
    failed: [],
    skipped: users.slice(0, 11).map((change) => ({
      change: { ...change, login: `s-${change.login}` },
      reason: 'not made: changed during apply',
    })),
    policy: { status: 'matched', etagBefore: BEFORE, etagAfter: AFTER, attempts: 2 },
    warnings: Array.from({ length: 11 }, (_, i) => ({
      code: i % 2 ? 'a.b' : 'c.d',
      message: `warning ${i}`,
      ...(i === 0 ? { path: 'f.yaml:1:1' } : {}),
    })),
    converged: false,
  };
}
const NOW = Date.parse('2026-05-22T12:00:00Z');
const failing = (error: string): ApplyReport => ({
  ...busy(),
  failed: users.slice(0, 6).map((change) => ({ change: { ...change, login: `f-${change.login}` }, error })),
});

describe('the apply report in markdown', () => {
  it('lists failures first, each block in its words, and ends with the ETags and the run link', () => {
    expect(
      renderApplyReportMarkdown(incomplete(), {
        configPath: 'tailnet-access.yaml',
        runUrl: 'https://github.com/o/r/actions/runs/1',
      }),
    ).toBe(
      [
        '### tailnet-access apply',
        '',
        '**Apply incomplete:** 1 change applied, 3 failed, 1 skipped. The tailnet does not match ' +
          '`tailnet-access.yaml` yet: fix what failed, then run apply again.',
        '',
        '**Failed**',
        '',
        '- `carol@example.com` network-admin → admin: change the role of carol@example.com to admin \\(POST ' +
          '/api/v2/users/4/role\\): 403 calling actor does not have enough permissions',
        "- The policy file was not written, so no group change was made (`group:sre`, `group:eng`): Tailscale's " +
          'validation refused the new policy file, so it was not written: test\\(s\\) failed',
        '',
        '```',
        'alice@example.com: address "tag:prod:22": want: Accept, got: Drop',
        '```',
        '',
        '**Applied**',
        '',
        '```diff',
        'Users',
        '! bob@example.com  member -> admin',
        '```',
        '',
        '**Skipped**',
        '',
        '- `alice@example.com` admin → member: not made: a promotion it relied on failed',
        '',
        '**Policy file:** not written \\(all or nothing: no group change was made\\) after 2 attempts \\(it was ' +
          'edited by someone else meanwhile\\)',
        '',
        '**Warnings**',
        '',
        '- group:eng was edited in the console since the plan; the file wins',
        '- `tailnet-access.yaml:7:3` grace is not in',
        '',
        'Tailnet `-`, policy ETag `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"`. [Workflow run](https://github.com/o/r/actions/runs/1)',
        '',
      ].join('\n'),
    );
  });

  it('collapses more than 30 lines of changes and more than 10 skipped changes or warnings', () => {
    expect(renderApplyReportMarkdown(busy(), { configPath: 'access.yaml' })).toBe(
      [
        '### tailnet-access apply',
        '',
        '**Apply incomplete:** 34 changes applied, 11 skipped. The tailnet does not match `access.yaml` yet: fix ' +
          'what failed, then run apply again.',
        '',
        '**Applied**',
        '',
        '<details>',
        '<summary>All 34 applied changes (39 lines)</summary>',
        '',
        '```diff',
        'Users',
        '! u00@example.com  member -> admin',
        '! u01@example.com  member -> admin',
        '! u02@example.com  member -> admin',
        '! u03@example.com  member -> admin',
        '! u04@example.com  member -> admin',
        '! u05@example.com  member -> admin',
        '! u06@example.com  member -> admin',
        '! u07@example.com  member -> admin',
        '! u08@example.com  member -> admin',
        '! u09@example.com  member -> admin',
        '! u10@example.com  member -> admin',
        '! u11@example.com  member -> admin',
        '! u12@example.com  member -> admin',
        '! u13@example.com  member -> admin',
        '! u14@example.com  member -> admin',
        '! u15@example.com  member -> admin',
        '! u16@example.com  member -> admin',
        '! u17@example.com  member -> admin',
        '! u18@example.com  member -> admin',
        '! u19@example.com  member -> admin',
        '! u20@example.com  member -> admin',
        '! u21@example.com  member -> admin',
        '! u22@example.com  member -> admin',
        '! u23@example.com  member -> admin',
        '! u24@example.com  member -> admin',
        '! u25@example.com  member -> admin',
        '! u26@example.com  member -> admin',
        '! u27@example.com  member -> admin',
        '! u28@example.com  member -> admin',
        '! u29@example.com  member -> admin',
        '+ new@example.com  invite as auditor',
        '',
        'Groups',
        '+ group:sre  (alice@example.com)',
        '! group:eng',
        '+     bob@example.com',
        '-     dave@example.com',
        '- group:old  (erin@example.com)',
        '```',
        '',
        '</details>',
        '',
        '**Skipped**',
        '',
        '<details>',
        '<summary>11 skipped changes</summary>',
        '',
        '- `s-u00@example.com` member → admin: not made: changed during apply',
        '- `s-u01@example.com` member → admin: not made: changed during apply',
        '- `s-u02@example.com` member → admin: not made: changed during apply',
        '- `s-u03@example.com` member → admin: not made: changed during apply',
        '- `s-u04@example.com` member → admin: not made: changed during apply',
        '- `s-u05@example.com` member → admin: not made: changed during apply',
        '- `s-u06@example.com` member → admin: not made: changed during apply',
        '- `s-u07@example.com` member → admin: not made: changed during apply',
        '- `s-u08@example.com` member → admin: not made: changed during apply',
        '- `s-u09@example.com` member → admin: not made: changed during apply',
        '- `s-u10@example.com` member → admin: not made: changed during apply',
        '',
        '</details>',
        '',
        '**Policy file:** already matched the file on a re-read; ETag `aaaaaaaaaaaa…` → `bbbbbbbbbbbb…`',
        '',
        '<details>',
        '<summary>11 warnings</summary>',
        '',
        '- `f.yaml:1:1` warning 0',
        '- warning 1',
        '- warning 2',
        '- warning 3',
        '- warning 4',
        '- warning 5',
        '- warning 6',
        '- warning 7',
        '- warning 8',
        '- warning 9',
        '- warning 10',
        '',
        '</details>',
        '',
        'Tailnet `example.com`, policy ETag `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"` ' +
          '→ `"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"`.',
        '',
      ].join('\n'),
    );
  });

  it('under its size limit: the counts, the failures that fit, then the first changes that fit', () => {
    const md = renderApplyReportMarkdown(failing('failed for a reason'), {
      configPath: 'access.yaml',
      maxLength: 2400,
      fullReportHint: 'See the run.',
    });
    expect(md.length).toBeLessThanOrEqual(2400);
    expect(md).toBe(
      [
        '### tailnet-access apply',
        '',
        '**Apply incomplete:** 34 changes applied, 6 failed, 11 skipped. The tailnet does not match `access.yaml` ' +
          'yet: fix what failed, then run apply again.',
        '',
        '| Change | Count |',
        '| --- | ---: |',
        '| Role changes applied | 30 |',
        '| Groups created | 1 |',
        '| Groups updated | 1 |',
        '| Groups deleted | 1 |',
        '| Changes failed | 6 |',
        '| Changes skipped | 11 |',
        '',
        'See the run.',
        '',
        '**Policy file:** already matched the file on a re-read; ETag `aaaaaaaaaaaa…` → `bbbbbbbbbbbb…`',
        '',
        '**Failed**',
        '',
        '- `f-u00@example.com` member → admin: failed for a reason',
        '- `f-u01@example.com` member → admin: failed for a reason',
        '- `f-u02@example.com` member → admin: failed for a reason',
        '- `f-u03@example.com` member → admin: failed for a reason',
        '- `f-u04@example.com` member → admin: failed for a reason',
        '- `f-u05@example.com` member → admin: failed for a reason',
        '',
        '<details>',
        '<summary>The first 31 of 34 applied changes</summary>',
        '',
        '```diff',
        'Users',
        '! u00@example.com  member -> admin',
        '! u01@example.com  member -> admin',
        '! u02@example.com  member -> admin',
        '! u03@example.com  member -> admin',
        '! u04@example.com  member -> admin',
        '! u05@example.com  member -> admin',
        '! u06@example.com  member -> admin',
        '! u07@example.com  member -> admin',
        '! u08@example.com  member -> admin',
        '! u09@example.com  member -> admin',
        '! u10@example.com  member -> admin',
        '! u11@example.com  member -> admin',
        '! u12@example.com  member -> admin',
        '! u13@example.com  member -> admin',
        '! u14@example.com  member -> admin',
        '! u15@example.com  member -> admin',
        '! u16@example.com  member -> admin',
        '! u17@example.com  member -> admin',
        '! u18@example.com  member -> admin',
        '! u19@example.com  member -> admin',
        '! u20@example.com  member -> admin',
        '! u21@example.com  member -> admin',
        '! u22@example.com  member -> admin',
        '! u23@example.com  member -> admin',
        '! u24@example.com  member -> admin',
        '! u25@example.com  member -> admin',
        '! u26@example.com  member -> admin',
        '! u27@example.com  member -> admin',
        '! u28@example.com  member -> admin',
        '! u29@example.com  member -> admin',
        '+ new@example.com  invite as auditor',
        '```',
        '',
        '</details>',
        '',
        '<details>',
        '<summary>11 warnings</summary>',
        '',
        '- `f.yaml:1:1` warning 0',
        '- warning 1',
        '- warning 2',
        '- warning 3',
        '- warning 4',
        '- warning 5',
        '- warning 6',
        '- warning 7',
        '- warning 8',
        '- warning 9',
        '- warning 10',
        '',
        '</details>',
        '',
        'Tailnet `example.com`, policy ETag `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"` ' +
          '→ `"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"`.',
        '',
      ].join('\n'),
    );
  });

  it('tighter still: failures and warnings only counted', () => {
    const md = renderApplyReportMarkdown(
      failing('failed for a reason that takes a good many words to say, as the API often does'),
      { configPath: 'access.yaml', maxLength: 1000 },
    );
    expect(md.length).toBeLessThanOrEqual(1000);
    expect(md).toBe(
      [
        '### tailnet-access apply',
        '',
        '**Apply incomplete:** 34 changes applied, 6 failed, 11 skipped. The tailnet does not match `access.yaml` ' +
          'yet: fix what failed, then run apply again.',
        '',
        '| Change | Count |',
        '| --- | ---: |',
        '| Role changes applied | 30 |',
        '| Groups created | 1 |',
        '| Groups updated | 1 |',
        '| Groups deleted | 1 |',
        '| Changes failed | 6 |',
        '| Changes skipped | 11 |',
        '',
        'The full report is in the job summary of the workflow run.',
        '',
        '**Policy file:** already matched the file on a re-read; ETag `aaaaaaaaaaaa…` → `bbbbbbbbbbbb…`',
        '',
        '**Failed:** 6 (listed in the full report)',
        '',
        '<details>',
        '<summary>The first 3 of 34 applied changes</summary>',
        '',
        '```diff',
        'Users',
        '! u00@example.com  member -> admin',
        '! u01@example.com  member -> admin',
        '! u02@example.com  member -> admin',
        '```',
        '',
        '</details>',
        '',
        '**Warnings** (11, too many to list here)',
        '',
        '- `c.d`: 6',
        '- `a.b`: 5',
        '',
        'Tailnet `example.com`, policy ETag `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"` ' +
          '→ `"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"`.',
        '',
      ].join('\n'),
    );
  });
});

describe('the apply report as text', () => {
  it('marks and colours each line', () => {
    expect(renderApplyReportText(incomplete(), { color: true })).toBe(
      [
        'Tailnet: -, policy ETag: aaaaaaaaaaaa…',
        '',
        '\u001b[32mApplied\u001b[0m:',
        '  Users:',
        '    \u001b[33m~\u001b[0m bob@example.com  member -> admin',
        '',
        '\u001b[31mFailed\u001b[0m:',
        '  \u001b[31mx\u001b[0m carol@example.com  network-admin -> admin',
        '      change the role of carol@example.com to admin (POST /api/v2/users/4/role): 403 calling actor does ' +
          'not have enough permissions',
        '  \u001b[31mx\u001b[0m 2 group changes (the policy file was not written):',
        '    Groups:',
        '      \u001b[32m+\u001b[0m group:sre  (alice@example.com)',
        '      \u001b[33m~\u001b[0m group:eng',
        '          \u001b[32m+\u001b[0m bob@example.com',
        '          \u001b[31m-\u001b[0m dave@example.com',
        "      Tailscale's validation refused the new policy file, so it was not written: test(s) failed",
        '        alice@example.com: address "tag:prod:22": want: Accept, got: Drop',
        '',
        '\u001b[33mSkipped\u001b[0m:',
        '  \u001b[33m-\u001b[0m alice@example.com  admin -> member',
        '      not made: a promotion it relied on failed',
        '',
        'Policy file: not written (all or nothing: no group change was made) after 2 attempts (it was edited by ' +
          'someone else meanwhile)',
        '',
        'Warnings:',
        '  \u001b[33m!\u001b[0m group:eng was edited in the console since the plan; the file wins',
        '  \u001b[33m!\u001b[0m tailnet-access.yaml:7:3: grace is not in',
        '',
        '\u001b[1m\u001b[31mApply incomplete:\u001b[0m 1 change applied, 3 failed, 1 skipped. The tailnet does ' +
          'not match tailnet-access.yaml yet: fix what failed, then run apply again.',
        '',
      ].join('\n'),
    );
  });

  it('lists every change, skipped one and warning, and names the policy matched on a re-read', () => {
    expect(renderApplyReportText(busy(), { color: true, configPath: 'access.yaml' })).toBe(
      [
        'Tailnet: example.com, policy ETag: aaaaaaaaaaaa… -> bbbbbbbbbbbb…',
        '',
        '\u001b[32mApplied\u001b[0m:',
        '  Users:',
        '    \u001b[33m~\u001b[0m u00@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u01@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u02@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u03@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u04@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u05@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u06@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u07@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u08@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u09@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u10@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u11@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u12@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u13@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u14@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u15@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u16@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u17@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u18@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u19@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u20@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u21@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u22@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u23@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u24@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u25@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u26@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u27@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u28@example.com  member -> admin',
        '    \u001b[33m~\u001b[0m u29@example.com  member -> admin',
        '    \u001b[32m+\u001b[0m new@example.com  invite as auditor',
        '  Groups:',
        '    \u001b[32m+\u001b[0m group:sre  (alice@example.com)',
        '    \u001b[33m~\u001b[0m group:eng',
        '        \u001b[32m+\u001b[0m bob@example.com',
        '        \u001b[31m-\u001b[0m dave@example.com',
        '    \u001b[31m-\u001b[0m group:old  (erin@example.com)',
        '',
        '\u001b[33mSkipped\u001b[0m:',
        '  \u001b[33m-\u001b[0m s-u00@example.com  member -> admin',
        '      not made: changed during apply',
        '  \u001b[33m-\u001b[0m s-u01@example.com  member -> admin',
        '      not made: changed during apply',
        '  \u001b[33m-\u001b[0m s-u02@example.com  member -> admin',
        '      not made: changed during apply',
        '  \u001b[33m-\u001b[0m s-u03@example.com  member -> admin',
        '      not made: changed during apply',
        '  \u001b[33m-\u001b[0m s-u04@example.com  member -> admin',
        '      not made: changed during apply',
        '  \u001b[33m-\u001b[0m s-u05@example.com  member -> admin',
        '      not made: changed during apply',
        '  \u001b[33m-\u001b[0m s-u06@example.com  member -> admin',
        '      not made: changed during apply',
        '  \u001b[33m-\u001b[0m s-u07@example.com  member -> admin',
        '      not made: changed during apply',
        '  \u001b[33m-\u001b[0m s-u08@example.com  member -> admin',
        '      not made: changed during apply',
        '  \u001b[33m-\u001b[0m s-u09@example.com  member -> admin',
        '      not made: changed during apply',
        '  \u001b[33m-\u001b[0m s-u10@example.com  member -> admin',
        '      not made: changed during apply',
        '',
        'Policy file: already matched the file on a re-read; ETag aaaaaaaaaaaa… -> bbbbbbbbbbbb…',
        '',
        'Warnings:',
        '  \u001b[33m!\u001b[0m f.yaml:1:1: warning 0',
        '  \u001b[33m!\u001b[0m warning 1',
        '  \u001b[33m!\u001b[0m warning 2',
        '  \u001b[33m!\u001b[0m warning 3',
        '  \u001b[33m!\u001b[0m warning 4',
        '  \u001b[33m!\u001b[0m warning 5',
        '  \u001b[33m!\u001b[0m warning 6',
        '  \u001b[33m!\u001b[0m warning 7',
        '  \u001b[33m!\u001b[0m warning 8',
        '  \u001b[33m!\u001b[0m warning 9',
        '  \u001b[33m!\u001b[0m warning 10',
        '',
        '\u001b[1m\u001b[31mApply incomplete:\u001b[0m 34 changes applied, 11 skipped. The tailnet does not match ' +
          'access.yaml yet: fix what failed, then run apply again.',
        '',
      ].join('\n'),
    );
  });
});

describe('the apply report as JSON', () => {
  it('keeps the policy failure\u2019s details and each warning\u2019s path', () => {
    expect(renderApplyReportJson(incomplete())).toBe(
      [
        '{',
        '  "version": 1,',
        '  "tailnet": "-",',
        '  "converged": false,',
        '  "plan": {',
        '    "version": 1,',
        '    "tailnet": "-",',
        '    "policyEtag": "\\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\"",',
        '    "changes": [',
        '      {',
        '        "type": "user.role",',
        '        "login": "bob@example.com",',
        '        "userId": "3",',
        '        "from": "member",',
        '        "to": "admin",',
        '        "reason": "declared"',
        '      },',
        '      {',
        '        "type": "user.role",',
        '        "login": "carol@example.com",',
        '        "userId": "4",',
        '        "from": "network-admin",',
        '        "to": "admin",',
        '        "reason": "declared"',
        '      },',
        '      {',
        '        "type": "group.create",',
        '        "group": "group:sre",',
        '        "members": [',
        '          "alice@example.com"',
        '        ]',
        '      },',
        '      {',
        '        "type": "group.update",',
        '        "group": "group:eng",',
        '        "add": [',
        '          "bob@example.com"',
        '        ],',
        '        "remove": [',
        '          "dave@example.com"',
        '        ]',
        '      }',
        '    ],',
        '    "warnings": [],',
        '    "impact": [],',
        '    "unusedGroups": []',
        '  },',
        '  "applied": [',
        '    {',
        '      "type": "user.role",',
        '      "login": "bob@example.com",',
        '      "userId": "3",',
        '      "from": "member",',
        '      "to": "admin",',
        '      "reason": "declared"',
        '    }',
        '  ],',
        '  "failed": [',
        '    {',
        '      "change": {',
        '        "type": "user.role",',
        '        "login": "carol@example.com",',
        '        "userId": "4",',
        '        "from": "network-admin",',
        '        "to": "admin",',
        '        "reason": "declared"',
        '      },',
        '      "error": "change the role of carol@example.com to admin (POST /api/v2/users/4/role): 403 calling ' +
          'actor does not have enough permissions"',
        '    },',
        '    {',
        '      "change": {',
        '        "type": "group.create",',
        '        "group": "group:sre",',
        '        "members": [',
        '          "alice@example.com"',
        '        ]',
        '      },',
        '      "error": "Tailscale\'s validation refused the new policy file, so it was not written: test(s) failed"',
        '    },',
        '    {',
        '      "change": {',
        '        "type": "group.update",',
        '        "group": "group:eng",',
        '        "add": [',
        '          "bob@example.com"',
        '        ],',
        '        "remove": [',
        '          "dave@example.com"',
        '        ]',
        '      },',
        '      "error": "Tailscale\'s validation refused the new policy file, so it was not written: test(s) failed"',
        '    }',
        '  ],',
        '  "skipped": [',
        '    {',
        '      "change": {',
        '        "type": "user.role",',
        '        "login": "alice@example.com",',
        '        "userId": "3",',
        '        "from": "admin",',
        '        "to": "member",',
        '        "reason": "declared"',
        '      },',
        '      "reason": "not made: a promotion it relied on failed"',
        '    }',
        '  ],',
        '  "policy": {',
        '    "status": "failed",',
        '    "etagBefore": "\\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\"",',
        '    "attempts": 2,',
        '    "error": "Tailscale\'s validation refused the new policy file, so it was not written: test(s) failed",',
        '    "details": [',
        '      "alice@example.com: address \\"tag:prod:22\\": want: Accept, got: Drop"',
        '    ]',
        '  },',
        '  "warnings": [',
        '    {',
        '      "code": "group.edited-in-console",',
        '      "message": "group:eng was edited in the console since the plan; the file wins"',
        '    },',
        '    {',
        '      "code": "user.not-in-tailnet",',
        '      "message": "grace is not in",',
        '      "path": "tailnet-access.yaml:7:3"',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });
});

describe('the inventory as text', () => {
  it('aligns columns (a long name overflows its capped column), flags idle users and users in no group', () => {
    const inventory = buildInventory(
      {
        users: [
          user('olivia@example.com', 'owner', {
            displayName: 'Olivia',
            lastSeen: '2026-05-21T08:00:00Z',
            currentlyConnected: true,
            deviceCount: 3,
          }),
          user('Bob@example.com', 'member', { displayName: 'Bob', lastSeen: '2026-01-01T08:00:00Z', deviceCount: 1 }),
          user('ivan@example.com', 'member', {
            displayName: 'Ivan New',
            created: '2026-05-20T08:00:00Z',
            deviceCount: 0,
          }),
          user('henry@example.com', 'member', {
            displayName: 'A name far too long to fit in the column of names at all',
            status: 'suspended',
            lastSeen: '0001-01-01T00:00:00Z',
            created: '2024-01-01T00:00:00Z',
            deviceCount: 0,
          }),
        ],
        groups: {
          present: true,
          groups: [{ name: 'group:eng', members: ['olivia@example.com', 'bob@EXAMPLE.com', 'grace@example.com'] }],
        },
        declared: declaredLogins(
          desired({
            users: { 'olivia@example.com': 'owner', 'Grace@example.com': 'member' },
            groups: { eng: ['grace@example.com', 'bob@example.com'] },
          }),
        ),
      },
      { now: NOW },
    );
    expect(renderInventoryText(inventory)).toBe(
      [
        'Inventory: 4 users, 1 connected now, 4 devices; 2 idle over 90 days, 2 in no group, 1 declared but never ' +
          'joined.',
        'By role: 1 owner, 3 member. By status: 3 active, 1 suspended.',
        '',
        'Idle over 90 days (2):',
        '  LOGIN              NAME                                      ROLE    STATUS     DEVICES  LAST SEEN     ' +
          '              CONNECTED',
        '  Bob@example.com    Bob                                       member  active     1        2026-01-01 ' +
          '(141 days ago)',
        '  henry@example.com  A name far too long to fit in the column of names at all  member  suspended  0      ' +
          '  never (added 872 days ago)',
        '',
        'In no group of the policy file (2):',
        '  LOGIN              NAME                                      ROLE    STATUS     DEVICES  LAST SEEN     ' +
          '              CONNECTED',
        '  henry@example.com  A name far too long to fit in the column of names at all  member  suspended  0      ' +
          '  never (added 872 days ago)',
        '  ivan@example.com   Ivan New                                  member  active     0        never (added ' +
          '2 days ago)',
        '',
        'Declared in the file, never joined (1):',
        '  Grace@example.com  (users, group:eng)',
        '',
        'All users (4):',
        '  LOGIN               NAME                                      ROLE    STATUS     DEVICES  LAST SEEN    ' +
          '               CONNECTED  FLAGS',
        '  Bob@example.com     Bob                                       member  active     1        2026-01-01 ' +
          '(141 days ago)              idle>90d',
        '  henry@example.com   A name far too long to fit in the column of names at all  member  suspended  0     ' +
          '   never (added 872 days ago)             idle>90d, no group',
        '  ivan@example.com    Ivan New                                  member  active     0        never (added ' +
          '2 days ago)               no group',
        '  olivia@example.com  Olivia                                    owner   active     3        2026-05-21 ' +
          '(yesterday)      yes',
        '',
      ].join('\n'),
    );
  });
});
