// The CLI's state file (what apply last wrote to each tailnet's policy) keys its records by the
// tailnet's ID, which the plan learns from the users it reads: `-`, the ID and a legacy name are one
// tailnet, and one record. A file written before keeps its records under the tailnet as asked: they
// are still read (an edit made outside git is still noticed), and moved to the ID by the next write.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/commands/run-cli.js';
import { appliedPolicy, FileEtagStore } from '../src/policy-file/index.js';
import { DEFAULT_POLICY, type Simulator } from '../src/simulator/index.js';
import { OWNER_KEY, simulator } from './apply-helpers.js';

let sim: Simulator;
let dir: string;
const stateFile = (): string => path.join(dir, '.tailnet-access', 'state.json');

async function cli(...argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runCli(argv, {
    env: { TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url },
    cwd: dir,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => undefined },
  });
  return { code, stdout };
}

/** An edit in the admin console: a host's address changed. */
function consoleEdit(): void {
  const text = sim.state.policy.text;
  expect(text).toContain('"grafana": "100.64.10.20"');
  sim.state.policy.text = text.replace('"grafana": "100.64.10.20"', '"grafana": "100.64.10.99"');
}

const keys = async (): Promise<string[]> =>
  Object.keys((JSON.parse(await readFile(stateFile(), 'utf8')) as { policies: object }).policies);

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-state-'));
  sim = await simulator();
  await writeFile(path.join(dir, 'policy.hujson'), DEFAULT_POLICY);
  expect((await cli('import', '--policy-file', 'policy.hujson')).code).toBe(0);
});
afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the state file under settings.policyFile', () => {
  it(
    'reads a record kept under "-" by an earlier version, notices a console edit with it, and moves it ' + 'to the ID',
    async () => {
      await new FileEtagStore(stateFile()).set('-', appliedPolicy(sim.state.policy.etag, sim.state.policy.text));
      consoleEdit();
      const drift = await cli('drift');
      expect(drift.code).toBe(2);
      expect(drift.stdout).toContain('the live policy was edited outside git since tailnet-access last applied it');

      // An apply that writes what the record already holds leaves the file alone; the next write moves it.
      expect((await cli('apply')).code).toBe(0);
      expect(await keys()).toEqual(['-']);
      const file = path.join(dir, 'policy.hujson');
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replace('"grafana": "100.64.10.20"', '"grafana": "100.64.10.21"'),
      );
      expect((await cli('apply')).code).toBe(0);
      expect(await keys()).toEqual(['T1234CNTRL']);
      expect((await cli('drift')).code).toBe(0);
    },
  );

  it('finds the record of "-" when the same tailnet is asked by its ID or by name', async () => {
    expect((await cli('apply')).code).toBe(0);
    consoleEdit();
    for (const tailnet of ['T1234CNTRL', 'example.com']) {
      const drift = await cli('drift', '--tailnet', tailnet);
      expect(drift.stdout, tailnet).toContain(
        'the live policy was edited outside git since tailnet-access last applied it',
      );
    }
  });
});
