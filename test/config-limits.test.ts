import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES, parseConfig } from '../src/config/load.js';
import { DiagnosticsError, formatDiagnostic } from '../src/diagnostics.js';

function refusal(text: string): { messages: string[]; ms: number } {
  const start = performance.now();
  try {
    parseConfig(text, 'cfg.yaml');
  } catch (error) {
    const ms = performance.now() - start;
    if (error instanceof DiagnosticsError) return { messages: error.diagnostics.map(formatDiagnostic), ms };
    throw error;
  }
  throw new Error('expected the file to be refused');
}

// Nine anchors, each a list of nine aliases of the one before: 9^9 strings once expanded.
function billionLaughs(): string {
  const lines = ['version: 1', 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < 9; i++) {
    const previous = String.fromCharCode(96 + i);
    const next = String.fromCharCode(97 + i);
    lines.push(`${next}: &${next} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

function largeTailnet(users: number, groups: number, membersPerGroup: number): string {
  const lines = ['version: 1', 'users:'];
  for (let i = 0; i < users; i++) lines.push(`  user${i}@example.com: ${i % 3 === 0 ? '{ role: admin }' : 'member'}`);
  lines.push('groups:');
  for (let g = 0; g < groups; g++) {
    lines.push(`  team-${g}:`, `    description: team ${g}`, '    members:');
    for (let m = 0; m < membersPerGroup; m++) lines.push(`      - user${(g * 7 + m) % users}@example.com`);
  }
  return `${lines.join('\n')}\n`;
}

describe('parseConfig refuses hostile or mistaken input quickly', () => {
  it('refuses a 50 MB file before parsing it, naming its size and the limit', () => {
    const { messages, ms } = refusal(`# ${'x'.repeat(50 * 1024 * 1024 - 3)}\n`);
    expect(messages).toEqual([
      'cfg.yaml:1:1: the file is 52,428,800 bytes (50.0 MB), over the 5 MB limit for a tailnet-access file; is ' +
        'this the right file?',
    ]);
    expect(ms).toBeLessThan(500);
  });

  it('measures the limit in UTF-8 bytes, not characters', () => {
    const text = `version: 1\n# ${'é'.repeat(MAX_CONFIG_BYTES / 2 + 1)}\n`;
    expect(text.length).toBeLessThan(MAX_CONFIG_BYTES);
    expect(refusal(text).messages[0]).toMatch(
      /^cfg\.yaml:1:1: the file is 5,242,896 bytes \(5\.0 MB\), over the 5 MB limit/,
    );
  });

  it('refuses an alias bomb (billion laughs) at its first alias', () => {
    const { messages, ms } = refusal(billionLaughs());
    expect(messages).toEqual([
      'cfg.yaml:3:8: refusing to expand the YAML aliases: they multiply into too much data (more than 1000 ' +
        'copies); write the entries out instead',
    ]);
    expect(ms).toBeLessThan(500);
  });

  it('refuses a long list aliased many times, which multiplies linearly', () => {
    const members = Array.from({ length: 2_000 }, (_, i) => `u${i}@example.com`).join(', ');
    const groups = Array.from({ length: 999 }, (_, i) => `  g${i}: *all`);
    const { messages, ms } = refusal(['version: 1', 'groups:', `  all: &all [${members}]`, ...groups].join('\n'));
    expect(messages).toEqual([
      'cfg.yaml:4:7: refusing to expand the YAML aliases: they stand for more than 1,000,000 values; write the ' +
        'entries out instead',
    ]);
    expect(ms).toBeLessThan(1000);
  });

  it('refuses absurdly deep nesting with a position instead of crashing', () => {
    const { messages, ms } = refusal(`version: 1\nusers: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^cfg\.yaml:2:\d+: the YAML is nested too deeply to read$/);
    expect(ms).toBeLessThan(3000);
  });

  it('loads 10,000 users and 1,000 groups without slowing down quadratically', () => {
    const text = largeTailnet(10_000, 1_000, 10);
    const start = performance.now();
    const { desired } = parseConfig(text, 'cfg.yaml');
    const ms = performance.now() - start;
    expect([desired.users.length, desired.groups.length, desired.groups[999]?.members.length]).toEqual([
      10_000, 1_000, 10,
    ]);
    expect(desired.users[9_999]?.at).toEqual({ file: 'cfg.yaml', line: 10_002, column: 3 });
    // About half a second on a laptop, nearly all of it in the yaml parser; a quadratic step would take many seconds.
    expect(ms).toBeLessThan(4000);
  });

  it('places thousands of errors in a large file without slowing down quadratically', () => {
    const text = largeTailnet(10_000, 10, 3).replace(/: member$/gm, ': membr');
    const start = performance.now();
    const { messages } = refusal(text);
    const ms = performance.now() - start;
    expect(messages).toHaveLength(6_666);
    expect(messages[6_665]).toBe(
      `cfg.yaml:10001:25: unknown role "membr" for user9998@example.com; expected one of owner, admin, member, ` +
        `it-admin, network-admin, billing-admin, auditor; did you mean "member"?`,
    );
    expect(ms).toBeLessThan(4000);
  });
});
