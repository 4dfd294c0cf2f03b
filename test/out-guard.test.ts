// --out never names one of the command's own inputs: the output comes last, so a report written over
// the reviewed config (after apply had changed the tailnet), the policy file or the state file would
// lose work. Refused before anything is read from the tailnet or written, through links too.
import { link, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Simulator } from '../src/simulator/index.js';
import { EXAMPLE_CONFIG, OWNER_KEY, simulator } from './apply-helpers.js';
import { cli as run } from './import-helpers.js';

let sim: Simulator;
let dir: string;

beforeEach(async () => {
  sim = await simulator();
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-out-'));
  await writeFile(path.join(dir, 'tailnet-access.yaml'), EXAMPLE_CONFIG);
});
afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (...argv: string[]) => run(argv, { TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url }, dir);
const refusal = (out: string, what: string): string =>
  `error: --out ${out} is ${what}; the output would replace it, so give --out another file\n`;

describe('--out naming an input', () => {
  it(
    'is refused for plan and apply when it is the config, by any name, before the tailnet is read or ' + 'changed',
    async () => {
      await symlink('tailnet-access.yaml', path.join(dir, 'soft.yaml'));
      await link(path.join(dir, 'tailnet-access.yaml'), path.join(dir, 'hard.yaml'));
      for (const command of ['plan', 'apply', 'drift']) {
        for (const out of ['tailnet-access.yaml', 'soft.yaml', 'hard.yaml', path.join(dir, 'tailnet-access.yaml')]) {
          const result = await cli(command, '--out', out);
          expect(result.code, `${command} --out ${out}`).toBe(1);
          expect(result.stderr).toBe(refusal(out, 'the config file tailnet-access.yaml'));
        }
      }
      expect(await readFile(path.join(dir, 'tailnet-access.yaml'), 'utf8')).toBe(EXAMPLE_CONFIG);
      expect(sim.requests.entries).toEqual([]);
    },
  );

  it('is refused when it is the policy file or the state file (even before apply has created it)', async () => {
    await writeFile(path.join(dir, 'tailnet-access.yaml'), 'version: 1\nsettings:\n  policyFile: policy.hujson\n');
    await writeFile(path.join(dir, 'policy.hujson'), DEFAULT_POLICY);
    expect((await cli('apply', '--out', 'policy.hujson')).stderr).toBe(
      refusal('policy.hujson', 'the policy file policy.hujson'),
    );
    await mkdir(path.join(dir, '.tailnet-access'));
    expect((await cli('apply', '--out', '.tailnet-access/state.json')).stderr).toBe(
      refusal('.tailnet-access/state.json', 'the state file .tailnet-access/state.json'),
    );
    await mkdir(path.join(dir, 'state'));
    expect((await cli('plan', '--state-file', 'state/s.json', '--out', './state/../state/s.json')).stderr).toBe(
      refusal('./state/../state/s.json', 'the state file state/s.json'),
    );
    expect(await readFile(path.join(dir, 'policy.hujson'), 'utf8')).toBe(DEFAULT_POLICY);
    expect(sim.requests.entries).toEqual([]);
  });

  it('is refused for check when it is the config it reads', async () => {
    expect((await cli('check', '--out', 'tailnet-access.yaml')).stderr).toBe(
      refusal('tailnet-access.yaml', 'the config file tailnet-access.yaml'),
    );
    expect(sim.requests.entries).toEqual([]);
  });

  it('is refused for create-oauth-app when it is the secret file, which holds a secret shown only once', async () => {
    const result = await cli(
      'create-oauth-app',
      '--name',
      'provisioner',
      '--redirect-uri',
      'http://127.0.0.1:8976/callback',
      '--secret-file',
      's.secret',
      '--out',
      's.secret',
    );
    expect(result.stderr).toBe(refusal('s.secret', 'the --secret-file s.secret, where the client secret goes'));
    expect(sim.requests.entries).toEqual([]);
  });

  it('leaves other files to --out as before', async () => {
    const result = await cli('plan', '--out', 'plan.txt');
    expect(result.code).toBe(0);
    expect(await readFile(path.join(dir, 'plan.txt'), 'utf8')).toContain('Plan: 1 role change');
  });
});
