// The small pieces every rendered plan and report is made of: how untrusted text is escaped, how an
// ETag is shown, and the options a comment refuses.
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdownInline } from '../src/escape.js';
import { describeCounts } from '../src/render/format.js';
import { shortEtag } from '../src/domain/policy.js';
import { commentHead, joinBlocks, RenderOptionsError, runLink } from '../src/render/markdown-blocks.js';

describe('escapeMarkdownInline at the start of a line', () => {
  it('escapes the dot of a leading number, which would start an ordered list, and only that dot', () => {
    expect(escapeMarkdownInline('1. first')).toBe('1\\. first');
    expect(escapeMarkdownInline('0. zero')).toBe('0\\. zero');
    expect(escapeMarkdownInline('9. nine')).toBe('9\\. nine');
    expect(escapeMarkdownInline('12. twelve')).toBe('12\\. twelve');
    expect(escapeMarkdownInline('.5 and v1.2')).toBe('.5 and v1.2');
    expect(escapeMarkdownInline('a1. b')).toBe('a1. b');
    expect(escapeMarkdownInline('1.2.3')).toBe('1\\.2.3');
  });

  it('escapes a list or underline mark after leading blanks only', () => {
    expect(escapeMarkdownInline('  - item')).toBe('  \\- item');
    expect(escapeMarkdownInline('+ plus')).toBe('\\+ plus');
    expect(escapeMarkdownInline('=== title')).toBe('\\=== title');
    expect(escapeMarkdownInline('a - b + c = d')).toBe('a - b + c = d');
  });
});

describe('escapeHtml', () => {
  it('escapes both quotes, so the text is safe in an attribute too, without breaking its own entities', () => {
    expect(escapeHtml(`it's "x" & <y>`)).toBe('it&#39;s &quot;x&quot; &amp; &lt;y&gt;');
    expect(escapeHtml('#1 @team')).toBe('#\u200b1 @\u200bteam');
  });
});

describe('shortEtag', () => {
  it('drops the quotes and a weak marker, and cuts after 12 characters', () => {
    expect(shortEtag('"0123456789ab"')).toBe('0123456789ab');
    expect(shortEtag('"0123456789abc"')).toBe('0123456789ab…');
    expect(shortEtag('W/"abc"')).toBe('abc');
    expect(shortEtag('a"b"c')).toBe('a"b"c');
    expect(shortEtag('""')).toBe('(none)');
    expect(shortEtag('')).toBe('(none)');
  });
});

describe('describeCounts', () => {
  it('names invites', () => {
    expect(describeCounts({ roles: 0, statuses: 0, invites: 2, create: 0, update: 0, delete: 0 })).toBe('2 invites');
    expect(describeCounts({ roles: 1, statuses: 0, invites: 1, create: 0, update: 0, delete: 1 })).toBe(
      '1 role change, 1 invite, 1 group to delete',
    );
  });

  it('names status changes (suspend, restore, approve) after role changes', () => {
    expect(describeCounts({ roles: 1, statuses: 2, invites: 0, create: 0, update: 0, delete: 0 })).toBe(
      '1 role change, 2 status changes',
    );
  });
});

describe('the head and the links of a comment', () => {
  it('refuses a maxLength that is not a positive whole number', () => {
    for (const maxLength of [0, -1, 1.5]) {
      expect(() => commentHead({ maxLength }, 'h', 's')).toThrow(
        new RenderOptionsError(`maxLength must be a positive integer, got ${maxLength}`),
      );
    }
    expect(commentHead({ maxLength: 1 }, 'h', 's').maxLength).toBe(1);
  });

  it('refuses a marker that is not one HTML comment, naming it', () => {
    expect(() => commentHead({ marker: '<!-- a --><!-- b -->' }, 'h', 's')).toThrow(
      new RenderOptionsError(
        'marker must be a single HTML comment such as "<!-- tailnet-access -->", got "<!-- a --><!-- b -->"',
      ),
    );
    expect(commentHead({ marker: '<!-- a -->' }, 'My plan', 'status').head).toEqual([
      '<!-- a -->',
      '### My plan',
      'status',
    ]);
  });

  it('links only http(s) runs, with parentheses encoded so they cannot end the link', () => {
    expect(runLink('https://github.com/o/r/actions/runs/1?x=(y)')).toBe(
      '[Workflow run](https://github.com/o/r/actions/runs/1?x=%28y%29)',
    );
    expect(runLink('http://ghe.local/run')).toBe('[Workflow run](http://ghe.local/run)');
    expect(() => runLink('ftp://x/run')).toThrow(
      new RenderOptionsError('runUrl must be an http(s) URL, got "ftp://x/run"'),
    );
    expect(() => runLink('not a url')).toThrow(
      new RenderOptionsError('runUrl must be an absolute http(s) URL, got "not a url"'),
    );
  });

  it('joins blocks with a blank line, leaving out absent and empty ones', () => {
    expect(joinBlocks(['a', undefined, '', 'b'])).toBe('a\n\nb\n');
  });
});
