// `tailnet-access render`, in-process through runCli: offline and in place, `--check` for CI, and
// `--from-live` to fold an edit made in the admin console into git.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/commands/run-cli.js';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { OWNER_KEY, tailnet } from './import-helpers.js';

const POLICY = `// Kept in git.
{
  "groups": {
    // The engineers.
    "group:eng": ["alice@example.com"],
    "group:legacy": ["zed@example.com", "tag:ci"],
  },
  "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["*:22"]}],
}
`;

const YAML = `version: 1
groups:
  eng: [alice@example.com]
settings:
  policyFile: policy.hujson
`;

let dir: string;

async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { env, cwd: dir, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

const policy = (): Promise<string> => readFile(path.join(dir, 'policy.hujson'), 'utf8');

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-render-'));
  await writeFile(path.join(dir, 'policy.hujson'), POLICY);
  await writeFile(path.join(dir, 'tailnet-access.yaml'), YAML);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('render', () => {
  it('writes the YAML groups into the file in place, without credentials, touching nothing else', async () => {
    await writeFile(path.join(dir, 'tailnet-access.yaml'), YAML.replace('[alice@example.com]', '[alice@example.com, bob@example.com]'));
    const run = await cli(['render']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await policy()).toBe(POLICY.replace('["alice@example.com"]', '["alice@example.com", "bob@example.com"]'));
    expect(run.stdout).toContain('Rendered the groups of tailnet-access.yaml into policy.hujson (+1 -1 lines):\n');
    expect(run.stdout).toContain('+    "group:eng": ["alice@example.com", "bob@example.com"],\n');
    const again = await cli(['render']);
    expect(again.stdout).toBe('policy.hujson already holds the groups of tailnet-access.yaml; nothing to write.\n');
  });

  it('keeps a group the YAML cannot list (a tag member), and removes unlisted groups only under unmanagedGroups: remove', async () => {
    expect((await cli(['render'])).stdout).toContain('nothing to write');
    await writeFile(path.join(dir, 'tailnet-access.yaml'), `${YAML}  unmanagedGroups: remove\n`);
    expect((await cli(['render'])).code).toBe(0);
    expect(await policy()).not.toContain('group:legacy');
    expect(await policy()).toContain('// The engineers.\n    "group:eng": ["alice@example.com"],\n');
  });

  it('--check exits 0 when the file is rendered, and 1 with the place and the fix when it is not, writing nothing', async () => {
    expect((await cli(['render', '--check'])).code).toBe(0);
    await writeFile(path.join(dir, 'tailnet-access.yaml'), YAML.replace('[alice@example.com]', '[bob@example.com]'));
    const run = await cli(['render', '--check']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('policy.hujson is not rendered from tailnet-access.yaml (+1 -1 lines would change):\n');
    expect(run.stdout).toContain('-    "group:eng": ["alice@example.com"],\n+    "group:eng": ["bob@example.com"],\n');
    expect(run.stderr).toBe(
      'policy.hujson:5:1: policy.hujson does not hold the groups of tailnet-access.yaml (group group:eng); run `tailnet-access render` and commit the result, so that the file in git is exactly the policy apply writes\n',
    );
    expect(await policy()).toBe(POLICY);
  });

  it('names paths from where it runs, and puts --config into the fix when the config is not the default', async () => {
    await mkdir(path.join(dir, 'infra'));
    await writeFile(path.join(dir, 'infra', 'access.yaml'), YAML.replace('policy.hujson', '../policy.hujson').replace('[alice@example.com]', '[bob@example.com]'));
    const run = await cli(['render', '--check', '--config', 'infra/access.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('run `tailnet-access render --config infra/access.yaml`');
    expect(run.stderr.startsWith('policy.hujson:5:1:')).toBe(true);
  });

  it('answers in JSON with --format json', async () => {
    await writeFile(path.join(dir, 'tailnet-access.yaml'), YAML.replace('[alice@example.com]', '[bob@example.com]'));
    const run = await cli(['render', '--format', 'json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ file: 'policy.hujson', changed: true, written: true, linesAdded: 1, linesRemoved: 1 });
  });

  it('explains a config without settings.policyFile, a missing policy file and a broken one', async () => {
    await writeFile(path.join(dir, 'plain.yaml'), 'version: 1\n');
    expect((await cli(['render', '--config', 'plain.yaml'])).stderr).toBe(
      'error: plain.yaml has no settings.policyFile, so there is no policy file to render; add "policyFile: policy.hujson" under settings (import --policy-file writes it for you)\n',
    );
    await rm(path.join(dir, 'policy.hujson'));
    expect((await cli(['render'])).stderr).toBe(
      'error: the policy file policy.hujson (settings.policyFile at tailnet-access.yaml:5:3) does not exist; fix the path, or write the file (import --policy-file reads an existing one)\n',
    );
    await writeFile(path.join(dir, 'policy.hujson'), POLICY.replace('["alice@example.com"],\n', '["alice@example.com"]\n'));
    const broken = await cli(['render']);
    expect(broken.code).toBe(1);
    expect(broken.stderr.split('\n')[0]).toBe(`policy.hujson:6:5: expected ',' between values, found "\\"group:legacy\\""`);
    expect(await policy()).toBe(POLICY.replace('["alice@example.com"],\n', '["alice@example.com"]\n'));
  });
});

describe('render --from-live', () => {
  let sim: Simulator;
  const live = POLICY.replace('"dst": ["*:22"]', '"dst": ["*:22", "*:443"]').replace('["alice@example.com"]', '["alice@example.com", "carol@example.com"]');
  beforeEach(async () => {
    sim = await startSimulator({ fixture: tailnet([{ loginName: 'alice@example.com', role: 'admin' }], live) });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('copies the live policy into the file and says which groups differ from the YAML, and how to settle them', async () => {
    const run = await cli(['render', '--from-live'], { TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url });
    expect(run.code).toBe(0);
    expect(await policy()).toBe(live);
    expect(run.stdout).toContain('+  "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["*:22", "*:443"]}],\n');
    expect(run.stderr).toBe(
      'Its groups differ from tailnet-access.yaml in group:eng. To keep the live members, change tailnet-access.yaml to match (`tailnet-access render --check` then passes); to keep the YAML\'s, run `tailnet-access render`. Then commit both files.\n',
    );
    expect(sim.requests.countWrites()).toBe(0);
  });

  it('does not go with --check', async () => {
    expect((await cli(['render', '--check', '--from-live'])).stderr).toBe(
      'error: render: --check and --from-live do not go together (--from-live writes the file; --check never writes)\n',
    );
  });
});
