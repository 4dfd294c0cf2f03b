import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdownInline, fenceFor, inlineCode } from '../src/escape.js';
import { RenderOptionsError, renderErrorMarkdown, renderPlanMarkdown } from '../src/render/plan-markdown.js';
import type { Plan } from '../src/domain/plan.js';
import { ETAG, bigPlan, emptyPlan, readFences, representativePlan } from './render-plans.js';

const options = { configPath: 'tailnet-access.yaml' };

function countOf(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('renderPlanMarkdown', () => {
  it('renders a plan as a diff block GitHub colours, with warnings, the ETag and the run', () => {
    const md = renderPlanMarkdown(representativePlan(), {
      ...options,
      marker: '<!-- tailnet-access:plan -->',
      runUrl: 'https://github.com/acme/infra/actions/runs/42',
    });
    expect(md).toBe(
      [
        '<!-- tailnet-access:plan -->',
        '',
        '### tailnet-access plan',
        '',
        '**Plan:** 2 role changes, 1 group to create, 1 to update, 1 to delete.',
        '',
        '```diff',
        'Users',
        '! bob@example.com         member -> admin',
        '+     gains everything in the admin console but ownership, billing included',
        '! frank.long@example.com  admin  -> member  (not in the file)',
        '-     loses everything in the admin console but ownership, billing included; left with no admin rights, ' +
          'their own devices only',
        '',
        'Groups',
        '+ group:sre  (alice@example.com, carol@example.com)',
        '! group:eng',
        '+     bob@example.com',
        '-     dave@example.com',
        '- group:old  (erin@example.com)',
        '```',
        '',
        '**What these groups grant** (lines of the live policy)',
        '',
        '- `group:sre` is used nowhere in the policy',
        '- `group:eng` → `tagOwners["tag:server"]` line 9: `tag:server owned by group:eng`',
        '- `group:eng` → `acls[0]` line 16: `accept group:eng -> tag:server:22`',
        '- `group:old` → `ssh[1]` line 30: `accept group:old -> tag:legacy as root`',
        '',
        '**Warnings**',
        '',
        '- `tailnet-access.yaml:7:3` grace@example.com has not signed in to the tailnet yet',
        '- heidi@example.com is in the tailnet but not in the file',
        '',
        `Computed against the policy with ETag \`${ETAG}\` of tailnet \`-\`. [Workflow run](https://github.com/acme/infra/actions/runs/42)`,
        '',
      ].join('\n'),
    );
  });

  it('says there is nothing to do, with no diff block', () => {
    const md = renderPlanMarkdown(emptyPlan(), { configPath: 'infra/tailnet.yaml', heading: 'Tailnet plan' });
    expect(md).toContain('### Tailnet plan\n\n**No changes.** The tailnet matches `infra/tailnet.yaml`.\n');
    expect(readFences(md).blocks).toEqual([]);
  });

  it('refuses a marker that is not one HTML comment and a run URL that is not http(s)', () => {
    expect(() => renderPlanMarkdown(emptyPlan(), { ...options, marker: 'tailnet-access' })).toThrow(RenderOptionsError);
    expect(() => renderPlanMarkdown(emptyPlan(), { ...options, marker: '<!-- a --> <b>x</b> <!-- c -->' })).toThrow(
      RenderOptionsError,
    );
    expect(() => renderPlanMarkdown(emptyPlan(), { ...options, runUrl: 'javascript:alert(1)' })).toThrow(
      /http\(s\) URL/,
    );
  });
});

describe('hostile names', () => {
  const hostile = [
    '<img src=x onerror=alert(1)>',
    '@octocat',
    'x```y',
    '[click](javascript:alert(1))',
    'a|b',
    'line\n+ fake',
  ];

  function hostilePlan(): Plan {
    const plan = representativePlan();
    plan.changes = [
      { type: 'user.role', login: hostile[0] as string, userId: '1', from: 'member', to: 'admin', reason: 'declared' },
      { type: 'group.create', group: `group:${hostile[3]}`, members: hostile },
      { type: 'group.update', group: 'group:eng', add: ['````'], remove: [hostile[5] as string] },
    ];
    plan.warnings = hostile.map((h, i) => ({
      code: 'user.not-in-tailnet',
      message: `${h} has not signed in`,
      path: `a|b\`.yaml:${i}:1`,
    }));
    return plan;
  }

  it('keeps every name inside one diff block that nothing closes early', () => {
    const { blocks } = readFences(renderPlanMarkdown(hostilePlan(), options));
    expect(blocks).toHaveLength(1);
    const diff = blocks[0];
    expect(diff?.info).toBe('diff');
    expect(diff?.closed).toBe(true);
    // Users, its line and what the role gains, a blank, Groups, the created group, the updated one and its two members.
    expect(diff?.lines).toHaveLength(9);
    expect(diff?.lines.at(-1)).toBe('-     line\\u{000a}+ fake');
    expect(diff?.lines).toContain('+     ````');
  });

  it('lets no HTML, link, mention or code span through outside the diff block', () => {
    const { outside } = readFences(renderPlanMarkdown(hostilePlan(), options));
    expect(outside).not.toMatch(/<img|<\/?[a-z]+[ >]/i);
    expect(outside).not.toContain('](');
    expect(outside).not.toMatch(/(^|[^A-Za-z0-9])@octocat/);
    expect(outside).not.toContain('\n+ fake');
    for (const h of hostile) expect(outside).toContain(escapeMarkdownInline(h));
  });

  it('escapes each kind of injection in inline text', () => {
    expect(escapeMarkdownInline('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(escapeMarkdownInline('[click](javascript:alert(1))')).toBe('\\[click\\]\\(javascript:alert\\(1\\)\\)');
    expect(escapeMarkdownInline('@octocat and (@org/team)')).toBe('@\u200boctocat and \\(@\u200borg/team\\)');
    expect(escapeMarkdownInline('alice@example.com')).toBe('alice@example.com');
    expect(escapeMarkdownInline('see acme/infra#1')).toBe('see acme/infra\\#\u200b1');
    expect(escapeMarkdownInline('``code`` *b* _i_ ~s~ $x$ ![i]')).toBe(
      '\\`\\`code\\`\\` \\*b\\* \\_i\\_ \\~s\\~ \\$x\\$ \\!\\[i\\]',
    );
    expect(escapeMarkdownInline('- item')).toBe('\\- item');
    expect(escapeMarkdownInline('1. item')).toBe('1\\. item');
    expect(escapeMarkdownInline('dev-ops 1.5')).toBe('dev-ops 1.5');
    expect(escapeMarkdownInline('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml('<a title="x">@me & #1</a>')).toBe(
      '&lt;a title=&quot;x&quot;&gt;@\u200bme &amp; #\u200b1&lt;/a&gt;',
    );
  });

  it('keeps a table cell one cell', () => {
    const row = `| ${escapeMarkdownInline('x | y || z')} | 1 |`;
    // GFM splits a row at every pipe not escaped by a backslash.
    expect(row.split(/(?<!\\)\|/)).toHaveLength(4);
  });

  it('picks fences and code spans that their content cannot close', () => {
    expect(fenceFor('plain')).toBe('```');
    expect(fenceFor('a ```` b ``')).toBe('`````');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`start')).toBe('`` `start ``');
  });
});

describe('degradation under maxLength', () => {
  it('leaves a short plan open', () => {
    expect(renderPlanMarkdown(representativePlan(), options)).not.toContain('<details>');
  });

  it('collapses a medium plan into <details>, still whole', () => {
    const plan = bigPlan(200);
    const md = renderPlanMarkdown(plan, options);
    expect(md).toContain('<details>\n<summary>All 200 changes (');
    expect(md).toContain('<details>\n<summary>20 warnings</summary>');
    expect(md).not.toContain('The full plan is in the job summary');
    for (const change of plan.changes) expect(md).toContain('group' in change ? change.group : change.login);
    expect(readFences(md).blocks.every((b) => b.closed)).toBe(true);
  });

  it("summarises a plan of 20,000 changes under GitHub's limit, without cutting a block", () => {
    const md = renderPlanMarkdown(bigPlan(20_000), options);
    expect(md.length).toBeLessThan(65_536);
    expect(md.length).toBeLessThanOrEqual(65_000);
    expect(md).toContain('**Plan:** 5000 role changes, 5000 groups to create, 5000 to update, 5000 to delete.');
    expect(md).toContain(
      '| Role changes | 5000 |\n| Groups to create | 5000 |\n| Groups to update | 5000 |\n| Groups to delete | 5000 |',
    );
    expect(md).toContain('The full plan is in the job summary of the workflow run.');
    expect(md).toMatch(/<summary>The first \d+ of 20000 changes<\/summary>/);
    expect(md).toContain(
      '**Warnings** (2000, too many to list here)\n\n- `user.not-in-tailnet`: 1000\n- ' +
        '`group.member-not-in-tailnet`: 1000',
    );
    const { blocks } = readFences(md);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.closed).toBe(true);
    expect(countOf(md, '<details>')).toBe(countOf(md, '</details>'));
    // The partial listing ends with a whole change: an update is never split from its members.
    expect(blocks[0]?.lines.at(-1)).toMatch(/^[-+!] /);
  });

  it('honours a smaller maxLength and refuses one too small for any summary', () => {
    const md = renderPlanMarkdown(bigPlan(500), {
      ...options,
      maxLength: 3_000,
      fullPlanHint: 'See the plan-json output.',
    });
    expect(md.length).toBeLessThanOrEqual(3_000);
    expect(md).toContain('See the plan-json output.');
    expect(() => renderPlanMarkdown(bigPlan(500), { ...options, maxLength: 200 })).toThrow(RenderOptionsError);
  });
});

describe('renderErrorMarkdown', () => {
  it('shows the title escaped and the messages in a block they cannot close', () => {
    const md = renderErrorMarkdown(
      'Config <b>invalid</b> for @octocat',
      ['tailnet-access.yaml:3:5: bad ```role```', 'second'],
      {
        marker: '<!-- tailnet-access:plan -->',
      },
    );
    expect(
      md.startsWith(
        '<!-- tailnet-access:plan -->\n\n### tailnet-access plan\n\n**Error:** Config &lt;b&gt;invalid&lt;/b&gt; ' +
          'for @\u200boctocat\n',
      ),
    ).toBe(true);
    const { blocks } = readFences(md);
    expect(blocks[0]).toEqual({ info: '', lines: ['tailnet-access.yaml:3:5: bad ```role```', 'second'], closed: true });
  });

  it('keeps the first messages that fit and counts the rest', () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `tailnet-access.yaml:${i + 1}:1: unknown key`);
    const md = renderErrorMarkdown('The file has 5000 errors', lines, { maxLength: 2_000 });
    expect(md.length).toBeLessThanOrEqual(2_000);
    const block = readFences(md).blocks[0];
    expect(block?.lines[0]).toBe('tailnet-access.yaml:1:1: unknown key');
    const shown = (block?.lines.length ?? 0) - 1;
    expect(block?.lines.at(-1)).toBe(`… and ${5_000 - shown} more lines`);
  });
});

describe('what the changed groups grant, under maxLength', () => {
  /** group:eng updated, named by `n` rules, and group:new created and used nowhere. */
  function impactPlan(n: number): Plan {
    const plan = emptyPlan();
    plan.changes = [
      { type: 'group.create', group: 'group:new', members: ['alice@example.com'] },
      { type: 'group.update', group: 'group:eng', add: ['bob@example.com'], remove: [] },
    ];
    plan.impact = {
      policy: 'policy.hujson',
      references: Array.from({ length: n }, (_, i) => ({
        group: 'group:eng',
        section: 'acls',
        index: i,
        line: 10 + i,
        column: 3,
        rule: `accept group:eng -> tag:server-${i}:22`,
        fields: ['src'],
      })),
      unused: ['group:new'],
    };
    return plan;
  }
  const items = (md: string): string[] => md.split('\n').filter((l) => l.startsWith('- `group:eng` → '));

  it(
    'lists every rule of a short impact after the changes, the group used nowhere first, naming the ' + 'policy file',
    () => {
      const md = renderPlanMarkdown(impactPlan(2), options);
      expect(md).toContain(
        [
          '**What these groups grant** (lines of `policy.hujson`)',
          '',
          '- `group:new` is used nowhere in the policy',
          '- `group:eng` → `acls[0]` line 10: `accept group:eng -> tag:server-0:22`',
          '- `group:eng` → `acls[1]` line 11: `accept group:eng -> tag:server-1:22`',
        ].join('\n'),
      );
      expect(md.indexOf('What these groups grant')).toBeGreaterThan(md.indexOf('```diff'));
      expect(md).not.toContain('<details>');
    },
  );

  it('collapses more than 30 rules', () => {
    const md = renderPlanMarkdown(impactPlan(30), options);
    expect(md).toContain(
      '**What these groups grant** (lines of `policy.hujson`)\n\n<details>\n<summary>30 rules, 1 group used ' +
        'nowhere</summary>\n\n- `group:new` is used nowhere in the policy\n',
    );
    expect(items(md)).toHaveLength(30);
  });

  it('lists at most 200 rules in a comment and says how many were left out', () => {
    const md = renderPlanMarkdown(impactPlan(5_000), options);
    expect(md.length).toBeLessThanOrEqual(65_000);
    expect(items(md)).toHaveLength(199);
    expect(md).toContain('- `group:new` is used nowhere in the policy');
    expect(md).toContain('- … and 4801 more, left out here to keep this short (the plan JSON lists every one)');
    expect(countOf(md, '<details>')).toBe(countOf(md, '</details>'));
  });

  it('cuts the list to the room a smaller maxLength leaves, and counts the rest', () => {
    const md = renderPlanMarkdown(impactPlan(100), { ...options, maxLength: 2_000 });
    expect(md.length).toBeLessThanOrEqual(2_000);
    const shown = items(md).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(100);
    // 1 line for the group used nowhere, `shown` rules, the rest counted.
    expect(md).toContain(`- … and ${100 + 1 - 1 - shown} more, left out here`);
    // Still the changes whole, and the footer.
    expect(md).toContain('+ group:new  (alice@example.com)');
    expect(md).toContain('Computed against the policy with ETag');
  });

  it('says what the groups grant in one line when even the changes have to be summarised', () => {
    const plan = bigPlan(2_000);
    plan.impact = { ...impactPlan(3_000).impact!, policy: 'the live policy' };
    const md = renderPlanMarkdown(plan, { ...options, maxLength: 6_000 });
    expect(md.length).toBeLessThanOrEqual(6_000);
    expect(md).toMatch(/<summary>The first \d+ of 2000 changes<\/summary>/);
    expect(md).toContain(
      '**What these groups grant** (lines of the live policy): 3000 rules, 1 group used nowhere, too many to list ' +
        'here.',
    );
    expect(items(md)).toEqual([]);
  });

  it('keeps a rule with backticks, markup or a line break inside its own code span, on one line', () => {
    const plan = impactPlan(0);
    plan.impact?.references.push({
      group: 'group:eng',
      section: 'x`y',
      index: 'a\nb',
      line: 3,
      column: 1,
      rule: '```` <img src=x> @octocat\n- fake item',
      fields: [],
    });
    const md = renderPlanMarkdown(plan, options);
    const item = items(md);
    expect(item).toHaveLength(1);
    expect(item[0]).toBe(
      `- \`group:eng\` → ${inlineCode('x`y["a\\nb"]')} line 3: ${inlineCode('```` <img src=x> @octocat\n- fake item')}`,
    );
    expect(md).not.toContain('\n- fake item');
    expect(readFences(md).blocks.every((b) => b.closed)).toBe(true);
  });
});
