// The whole-policy mode's pure parts: the line diff, the desired policy (groups rendered from the YAML),
// the not-rendered error, validation errors placed in the policy file, edits made outside git, and the
// CLI's state file.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { desiredPolicyGroups, renderDesiredPolicy } from '../src/policy/desired-policy.js';
import { readPolicyGroups } from '../src/policy/index.js';
import {
  appliedPolicy,
  detectManualEdit,
  FileEtagStore,
  holdsChanges,
  liveMatches,
  notRenderedDiagnostic,
  oldLineOf,
  lineChanges,
  renderPolicyFile,
  sha256Of,
  splitLines,
  StateFileError,
  stateFilePath,
  unifiedDiff,
  validationDiagnostics,
  type PolicyFile,
} from '../src/policy-file/index.js';
import { unrecordedWrite } from '../src/policy-file/manual-edits.js';
import { DiagnosticsError } from '../src/diagnostics.js';

const POLICY = `{
\t// Engineering.
\t"groups": {
\t\t"group:eng": ["alice@example.com", "dave@example.com"],
\t\t"group:ops": ["erin@example.com"],
\t\t"group:sync@example.com": ["zed@example.com"],
\t},
\t"acls": [
\t\t{"action": "accept", "src": ["group:eng"], "dst": ["tag:prod:22"]},
\t],
\t"tests": [
\t\t{"src": "alice@example.com", "accept": ["tag:prod:22"], "deny": ["tag:prod:80"]},
\t],
}
`;

function config(groups: string, settings = ''): ReturnType<typeof parseConfig> {
  return parseConfig(
    `version: 1\ngroups:\n${groups}settings:\n  policyFile: policy.hujson\n${settings}`,
    'tailnet-access.yaml',
  );
}

const file = (text: string): PolicyFile => ({ path: '/repo/policy.hujson', shown: 'policy.hujson', text });

describe('unifiedDiff', () => {
  it('shows a changed line with three lines of context, as diff -u does', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nd\nE\nf\ng\nh\n';
    expect(unifiedDiff(before, after, { oldName: 'old', newName: 'new' })).toEqual({
      text: '--- old\n+++ new\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n',
      added: 1,
      removed: 1,
    });
  });

  it('is empty for equal texts, and marks a missing final newline', () => {
    expect(unifiedDiff('x\n', 'x\n', { oldName: 'a', newName: 'b' }).text).toBe('');
    expect(unifiedDiff('x\n', 'x', { oldName: 'a', newName: 'b' }).text).toBe(
      '--- a\n+++ b\n@@ -1 +1 @@\n-x\n+x\n\\ No newline at end of file\n',
    );
  });

  it('splits far-apart changes into separate hunks and counts an insertion', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}\n`).join('');
    const after = before.replace('line 2\n', 'line 2\nnew\n').replace('line 19\n', '');
    const diff = unifiedDiff(before, after, { oldName: 'a', newName: 'b' });
    expect(diff.text.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,5 +1,6 @@', '@@ -16,5 +17,4 @@']);
    expect([diff.added, diff.removed]).toEqual([1, 1]);
  });

  it('finds the shortest edit between reordered lines', () => {
    const changes = lineChanges(splitLines('a\nb\nc\nd\n'), splitLines('b\nc\na\nd\n'));
    const size = changes.reduce((n, c) => n + (c.oldEnd - c.oldStart) + (c.newEnd - c.newStart), 0);
    expect(size).toBe(2);
  });
});

describe('oldLineOf and holdsChanges', () => {
  it('maps a line after an insertion back, and a line inside a change to where the change starts', () => {
    const changes = lineChanges(splitLines('a\nb\nc\n'), splitLines('a\nx\ny\nb\nc\n'));
    expect(oldLineOf(changes, 4)).toEqual({ line: 2, exact: true });
    expect(oldLineOf(changes, 3)).toEqual({ line: 2, exact: false });
    expect(oldLineOf(changes, 1)).toEqual({ line: 1, exact: true });
  });

  it('tells whether ours already holds the changes theirs made to base', () => {
    const base = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const theirs = base.replace('b\n', 'B\n');
    expect(holdsChanges(base, theirs, theirs.replace('g\n', 'G\n'))).toBe(true);
    expect(holdsChanges(base, theirs, base.replace('g\n', 'G\n'))).toBe(false);
    expect(holdsChanges(base, theirs, base.replace('b\n', 'b2\n'))).toBe(false);
  });
});

describe('the desired policy', () => {
  it(
    'takes members from the YAML as spelled there, keeps the file order, SCIM groups and unmanaged groups, and ' +
      'appends new groups',
    () => {
      const loaded = config(
        '  eng: [Alice@Example.com, bob@example.com, alice@example.com]\n  new: [carol@example.com]\n',
      );
      const groups = desiredPolicyGroups(loaded.desired, readPolicyGroups(POLICY));
      expect(groups).toEqual([
        { name: 'group:eng', members: ['Alice@Example.com', 'bob@example.com'] },
        { name: 'group:ops', members: ['erin@example.com'] },
        { name: 'group:sync@example.com', members: ['zed@example.com'] },
        { name: 'group:new', members: ['carol@example.com'] },
      ]);
    },
  );

  it('carries a group\u2019s description, and no description key for a group without one', () => {
    const loaded = config(
      '  eng:\n    description: Engineers\n    members: [alice@example.com]\n  new: [carol@example.com]\n',
    );
    const groups = desiredPolicyGroups(loaded.desired, readPolicyGroups(POLICY));
    expect(groups[0]).toStrictEqual({ name: 'group:eng', members: ['alice@example.com'], description: 'Engineers' });
    expect(groups[3]).toStrictEqual({ name: 'group:new', members: ['carol@example.com'] });
  });

  it('drops the groups the YAML does not list under unmanagedGroups: remove, but never a SCIM group', () => {
    const loaded = config('  eng: [alice@example.com, dave@example.com]\n', '  unmanagedGroups: remove\n');
    const names = desiredPolicyGroups(loaded.desired, readPolicyGroups(POLICY)).map((g) => g.name);
    expect(names).toEqual(['group:eng', 'group:sync@example.com']);
  });

  it('rewrites only the group that changed, and is the same text when nothing did', () => {
    expect(renderDesiredPolicy(config('  eng: [alice@example.com, dave@example.com]\n').desired, POLICY)).toBe(POLICY);
    const rendered = renderDesiredPolicy(config('  eng: [alice@example.com]\n').desired, POLICY);
    expect(rendered).toBe(POLICY.replace('["alice@example.com", "dave@example.com"]', '["alice@example.com"]'));
  });

  it('reports a file that is not HuJSON at its line and column in the policy file', () => {
    const broken = POLICY.replace('"group:ops": ["erin@example.com"],', '"group:ops": ["erin@example.com"]');
    try {
      renderPolicyFile(config('  eng: [alice@example.com]\n').desired, file(broken));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DiagnosticsError);
      expect((error as DiagnosticsError).message).toBe(
        `policy.hujson:6:3: expected ',' between values, found "\\"group:sync@example."`,
      );
    }
  });
});

describe('notRenderedDiagnostic', () => {
  it('points at the first line that differs, names the groups and the command that fixes it', () => {
    const desired = config('  eng: [alice@example.com]\n').desired;
    const rendered = renderDesiredPolicy(desired, POLICY);
    expect(
      notRenderedDiagnostic(
        file(POLICY),
        rendered,
        'infra/access.yaml',
        'tailnet-access render --config infra/access.yaml',
      ),
    ).toEqual({
      file: 'policy.hujson',
      line: 4,
      column: 1,
      severity: 'error',
      code: 'policy.not-rendered',
      message:
        'policy.hujson does not hold the groups of infra/access.yaml (group group:eng); run `tailnet-access ' +
        'render --config infra/access.yaml` and commit the result, so that the file in git is exactly the policy ' +
        'apply writes',
    });
    expect(notRenderedDiagnostic(file(POLICY), POLICY, 'tailnet-access.yaml', 'tailnet-access render')).toBeUndefined();
  });
});

describe('validationDiagnostics', () => {
  it('places a failing test at the address that got the wrong answer', () => {
    const verdict = {
      ok: false,
      message: 'test(s) failed',
      data: [{ user: 'alice@example.com', errors: ['address "tag:prod:80": want: Drop, got: Accept'] }],
    };
    expect(validationDiagnostics(verdict, POLICY, file(POLICY))).toEqual([
      {
        file: 'policy.hujson',
        line: 12,
        column: 68,
        severity: 'error',
        code: 'policy.invalid',
        message:
          'Tailscale refuses the policy: test(s) failed: alice@example.com: address "tag:prod:80": want: Drop, ' +
          'got: Accept',
      },
    ]);
  });

  it('places a quoted name where the file uses it, and maps positions of the rendered policy back to the file', () => {
    const rendered = POLICY.replace(
      '\t\t"group:ops": ["erin@example.com"],\n',
      '\t\t"group:ops": ["erin@example.com"],\n\t\t"group:new": [],\n',
    );
    const [found] = validationDiagnostics(
      { ok: false, message: 'dst=tag not found: "tag:prod"' },
      rendered,
      file(POLICY),
    );
    expect(found).toMatchObject({ line: 9, column: 54 });
    const [written] = validationDiagnostics(
      { ok: false, message: 'line 10, column 45: invalid port' },
      rendered,
      file(POLICY),
    );
    expect(written).toMatchObject({ line: 9, column: 45 });
    expect(validationDiagnostics({ ok: true }, rendered, file(POLICY))).toEqual([]);
  });
});

describe('edits made outside git', () => {
  const live = (text: string): { text: string; etag: string } => ({ text, etag: `"${sha256Of(text)}x"` });

  it('are none without a record, or when the live ETag or text is the one last applied', () => {
    expect(detectManualEdit(undefined, live(POLICY), POLICY)).toBeUndefined();
    expect(detectManualEdit(appliedPolicy(live(POLICY).etag, POLICY), live(POLICY), POLICY)).toBeUndefined();
    expect(detectManualEdit(appliedPolicy('"older"', POLICY), live(POLICY), POLICY)).toBeUndefined();
  });

  it('show what was edited, and whether the file in git already holds it', () => {
    const edited = POLICY.replace('tag:prod:22"]},', 'tag:prod:22,443"]},');
    const edit = detectManualEdit(appliedPolicy('"a1"', POLICY), live(edited), POLICY);
    expect(edit?.kept).toBe(false);
    expect(edit?.diff?.text).toContain(
      '-\t\t{"action": "accept", "src": ["group:eng"], "dst": ["tag:prod:22"]},\n+\t\t{"action": "accept", "src": ' +
        '["group:eng"], "dst": ["tag:prod:22,443"]},\n',
    );
    const folded = edited.replace('"deny": ["tag:prod:80"]', '"deny": ["tag:prod:81"]');
    expect(detectManualEdit(appliedPolicy('"a1"', POLICY), live(edited), folded)?.kept).toBe(true);
  });

  it('are not the write of a run that noted its hash before writing and stopped before recording it', () => {
    const next = POLICY.replace('tag:prod:22"]},', 'tag:prod:22,443"]},');
    const record = { ...appliedPolicy('"a1"', POLICY), intended: sha256Of(next) };
    expect(unrecordedWrite(record, live(next))).toEqual(appliedPolicy(live(next).etag, next));
    // Not that text, or the record already is the live policy, or nothing was noted: nothing to recover.
    expect(unrecordedWrite(record, live(`${next}\n`))).toBeUndefined();
    expect(unrecordedWrite({ ...record, etag: live(next).etag }, live(next))).toBeUndefined();
    expect(unrecordedWrite(appliedPolicy('"a1"', POLICY), live(next))).toBeUndefined();
    expect(unrecordedWrite(undefined, live(next))).toBeUndefined();
  });

  it('a live policy carrying the ETag of the last write of this very text matches, even if stored reformatted', () => {
    const reformatted = { text: POLICY.replaceAll('\t', '  '), etag: '"e1"' };
    expect(liveMatches(reformatted, POLICY, appliedPolicy('"e1"', POLICY))).toBe(true);
    expect(liveMatches(reformatted, POLICY, appliedPolicy('"e0"', POLICY))).toBe(false);
  });
});

describe('FileEtagStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('remembers per tailnet, creates its folder with a .gitignore, and reads nothing when absent', async () => {
    const file = stateFilePath(undefined, {}, path.join(dir, 'tailnet-access.yaml'), dir);
    expect(file).toBe(path.join(dir, '.tailnet-access', 'state.json'));
    const store = new FileEtagStore(file, '.tailnet-access/state.json');
    expect(await store.get('-')).toBeUndefined();
    await store.set('-', appliedPolicy('"e1"', POLICY));
    await store.set('example.com', appliedPolicy('"e2"', 'x'));
    expect(await new FileEtagStore(file).get('-')).toEqual({ etag: '"e1"', sha256: sha256Of(POLICY), text: POLICY });
    expect((await new FileEtagStore(file).get('example.com'))?.etag).toBe('"e2"');
    expect(await readFile(path.join(dir, '.tailnet-access', '.gitignore'), 'utf8')).toBe('*\n');
  });

  it('notes the hash of a write about to be made beside the record, until the next record replaces it', async () => {
    const file = path.join(dir, 'state.json');
    const store = new FileEtagStore(file);
    await store.noteIntent('-', 'abc');
    expect(await store.get('-')).toBeUndefined();
    await store.set('-', appliedPolicy('"e1"', POLICY));
    await store.noteIntent('-', 'abc');
    expect(await new FileEtagStore(file).get('-')).toEqual({ ...appliedPolicy('"e1"', POLICY), intended: 'abc' });
    await store.set('-', appliedPolicy('"e2"', 'x'));
    expect(await new FileEtagStore(file).get('-')).toEqual(appliedPolicy('"e2"', 'x'));
  });

  it('takes --state-file over TAILNET_ACCESS_STATE, and refuses a file that is not its own', async () => {
    expect(stateFilePath('s.json', { TAILNET_ACCESS_STATE: '/x/y.json' }, '/c/t.yaml', dir)).toBe(
      path.join(dir, 's.json'),
    );
    expect(stateFilePath(undefined, { TAILNET_ACCESS_STATE: '/x/y.json' }, '/c/t.yaml', dir)).toBe('/x/y.json');
    await writeFile(path.join(dir, 'bad.json'), '{"something": "else"}');
    await expect(new FileEtagStore(path.join(dir, 'bad.json'), 'bad.json').get('-')).rejects.toThrow(StateFileError);
    await expect(new FileEtagStore(path.join(dir, 'bad.json'), 'bad.json').get('-')).rejects.toThrow(
      /bad\.json is not a tailnet-access state file/,
    );
  });
});
