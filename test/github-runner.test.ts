// The runner protocol the action speaks without @actions/core: inputs, workflow commands, outputs
// and the step summary, byte for byte as the runner reads them.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendSummary, error, getIDToken, getInput, IdTokenRequestError, notice, setFailed, setOutput, warning } from '../src/github/runner.js';
import { parseOutputFile, startGitHubStub } from './helpers/github-stub.js';
import { captureStdout } from './helpers/stdout.js';

let dir: string;
let written: string[];
const saved = { ...process.env };

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-runner-'));
  written = captureStdout();
});

afterEach(async () => {
  vi.restoreAllMocks();
  process.env = { ...saved };
  process.exitCode = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('workflow commands', () => {
  it('keeps a message on one line and a property inside its property', () => {
    error('first line\nsecond: 100%', { title: 'a, b', file: 'dir/a:b.yaml', startLine: 3, endLine: 4, startColumn: 5, endColumn: 6 });
    warning('plain');
    notice('note', { file: 'x.yaml' });
    expect(written).toEqual([
      '::error title=a%2C b,file=dir/a%3Ab.yaml,line=3,endLine=4,col=5,endColumn=6::first line%0Asecond: 100%25\n',
      '::warning::plain\n',
      '::notice file=x.yaml::note\n',
    ]);
  });

  it('fails the step: an error annotation and exit status 1', () => {
    setFailed('it broke');
    expect(written).toEqual(['::error::it broke\n']);
    expect(process.exitCode).toBe(1);
  });
});

describe('inputs', () => {
  it('reads INPUT_ + the name upper-cased, spaces to underscores, dashes kept, trimmed', () => {
    const env = { 'INPUT_API-KEY': '  tskey-api-x \n', INPUT_MY_INPUT: 'spaced' };
    expect(getInput('api-key', env)).toBe('tskey-api-x');
    expect(getInput('my input', env)).toBe('spaced');
    expect(getInput('missing', env)).toBe('');
  });
});

describe('outputs and the summary', () => {
  it('writes outputs that survive newlines and text that looks like another output', async () => {
    const file = path.join(dir, 'output');
    await writeFile(file, '');
    process.env.GITHUB_OUTPUT = file;
    setOutput('summary', 'Plan: 1 role change.');
    setOutput('notes', 'line one\nhas-changes<<EOF\nline three');
    expect(parseOutputFile(await readFile(file, 'utf8'))).toEqual({ summary: 'Plan: 1 role change.', notes: 'line one\nhas-changes<<EOF\nline three' });
  });

  it('appends to the step summary, and says when there is none', async () => {
    const file = path.join(dir, 'summary.md');
    await writeFile(file, '# earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    expect(appendSummary('### tailnet-access plan')).toBe(true);
    expect(await readFile(file, 'utf8')).toBe('# earlier step\n### tailnet-access plan\n');
    delete process.env.GITHUB_STEP_SUMMARY;
    expect(appendSummary('x')).toBe(false);
  });
});

describe('getIDToken', () => {
  it('asks the runner\'s token service for the audience, retrying a 502', async () => {
    const github = await startGitHubStub();
    try {
      github.idToken = 'header.payload.signature';
      github.failNext(1);
      const env = { ACTIONS_ID_TOKEN_REQUEST_URL: `${github.url}/oidc/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.idTokenRequestToken };
      expect(await getIDToken('api.tailscale.com/kFed1', env)).toBe('header.payload.signature');
      expect(github.requests.map((r) => r.query)).toEqual([
        { 'api-version': '2.0', audience: 'api.tailscale.com/kFed1' },
        { 'api-version': '2.0', audience: 'api.tailscale.com/kFed1' },
      ]);
      const refused = { ...env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong' };
      await expect(getIDToken('aud', refused)).rejects.toThrow(new IdTokenRequestError('401: bad ID token request token'));
    } finally {
      await github.close();
    }
  });

  it('has no token to give a job without id-token: write', async () => {
    expect(await getIDToken('aud', {})).toBeUndefined();
  });
});
