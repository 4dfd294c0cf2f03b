// `tailnet-access render`, in-process through runCli: offline and in place, `--check` for CI, and
// `--from-live` to fold an edit made in the admin console into git.
import { lstat, mkdir, mkdtemp, readFile, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
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

async function cli(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env,
    cwd: dir,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
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
    await writeFile(
      path.join(dir, 'tailnet-access.yaml'),
      YAML.replace('[alice@example.com]', '[alice@example.com, bob@example.com]'),
    );
    const run = await cli(['render']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await policy()).toBe(POLICY.replace('["alice@example.com"]', '["alice@example.com", "bob@example.com"]'));
    expect(run.stdout).toContain('Rendered the groups of tailnet-access.yaml into policy.hujson (+1 -1 lines):\n');
    expect(run.stdout).toContain('+    "group:eng": ["alice@example.com", "bob@example.com"],\n');
    const again = await cli(['render']);
    expect(again.stdout).toBe('policy.hujson already holds the groups of tailnet-access.yaml; nothing to write.\n');
  });

  it(
    'keeps a group the YAML cannot list (a tag member), and removes unlisted groups only under unmanagedGroups: ' +
      'remove',
    async () => {
      expect((await cli(['render'])).stdout).toContain('nothing to write');
      await writeFile(path.join(dir, 'tailnet-access.yaml'), `${YAML}  unmanagedGroups: remove\n`);
      expect((await cli(['render'])).code).toBe(0);
      expect(await policy()).not.toContain('group:legacy');
      expect(await policy()).toContain('// The engineers.\n    "group:eng": ["alice@example.com"],\n');
    },
  );

  it(
    '--check exits 0 when the file is rendered, and 1 with the place and the fix when it is not, ' + 'writing nothing',
    async () => {
      expect((await cli(['render', '--check'])).code).toBe(0);
      await writeFile(path.join(dir, 'tailnet-access.yaml'), YAML.replace('[alice@example.com]', '[bob@example.com]'));
      const run = await cli(['render', '--check']);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        'policy.hujson is not rendered from tailnet-access.yaml (+1 -1 lines would change):\n',
      );
      expect(run.stdout).toContain(
        '-    "group:eng": ["alice@example.com"],\n+    "group:eng": ["bob@example.com"],\n',
      );
      expect(run.stderr).toBe(
        'policy.hujson:5:1: policy.hujson does not hold the groups of tailnet-access.yaml (group group:eng); run ' +
          '`tailnet-access render` and commit the result, so that the file in git is exactly the policy apply ' +
          'writes\n',
      );
      expect(await policy()).toBe(POLICY);
    },
  );

  it('names paths from where it runs, and puts --config into the fix when the config is not the default', async () => {
    // In a repository, the config may name a policy file anywhere in it.
    await mkdir(path.join(dir, '.git'));
    await mkdir(path.join(dir, 'infra'));
    await writeFile(
      path.join(dir, 'infra', 'access.yaml'),
      YAML.replace('policy.hujson', '../policy.hujson').replace('[alice@example.com]', '[bob@example.com]'),
    );
    const run = await cli(['render', '--check', '--config', 'infra/access.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('run `tailnet-access render --config infra/access.yaml`');
    expect(run.stderr.startsWith('policy.hujson:5:1:')).toBe(true);
  });

  it('answers in JSON with --format json', async () => {
    await writeFile(path.join(dir, 'tailnet-access.yaml'), YAML.replace('[alice@example.com]', '[bob@example.com]'));
    const run = await cli(['render', '--format', 'json']);
    expect(JSON.parse(run.stdout)).toMatchObject({
      file: 'policy.hujson',
      changed: true,
      written: true,
      linesAdded: 1,
      linesRemoved: 1,
    });
  });

  it('explains a config without settings.policyFile, a missing policy file and a broken one', async () => {
    await writeFile(path.join(dir, 'plain.yaml'), 'version: 1\n');
    expect((await cli(['render', '--config', 'plain.yaml'])).stderr).toBe(
      'error: plain.yaml has no settings.policyFile, so there is no policy file to render; add "policyFile: ' +
        'policy.hujson" under settings (import --policy-file writes it for you)\n',
    );
    await rm(path.join(dir, 'policy.hujson'));
    expect((await cli(['render'])).stderr).toBe(
      'error: the policy file policy.hujson (settings.policyFile at tailnet-access.yaml:5:3) does not exist; fix ' +
        'the path, or write the file (import --policy-file writes it from the live policy)\n',
    );
    await writeFile(
      path.join(dir, 'policy.hujson'),
      POLICY.replace('["alice@example.com"],\n', '["alice@example.com"]\n'),
    );
    const broken = await cli(['render']);
    expect(broken.code).toBe(1);
    expect(broken.stderr.split('\n')[0]).toBe(
      `policy.hujson:6:5: expected ',' between values, found "\\"group:legacy\\""`,
    );
    expect(await policy()).toBe(POLICY.replace('["alice@example.com"],\n', '["alice@example.com"]\n'));
  });
});

describe('render --from-live', () => {
  let sim: Simulator;
  const live = POLICY.replace('"dst": ["*:22"]', '"dst": ["*:22", "*:443"]').replace(
    '["alice@example.com"]',
    '["alice@example.com", "carol@example.com"]',
  );
  beforeEach(async () => {
    sim = await startSimulator({ fixture: tailnet([{ loginName: 'alice@example.com', role: 'admin' }], live) });
  });
  afterEach(async () => {
    await sim.close();
  });

  it(
    'copies the live policy into the file and says which groups differ from the YAML, and how to settle ' + 'them',
    async () => {
      const run = await cli(['render', '--from-live'], { TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url });
      expect(run.code).toBe(0);
      expect(await policy()).toBe(live);
      expect(run.stdout).toContain(
        '+  "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["*:22", "*:443"]}],\n',
      );
      expect(run.stderr).toBe(
        'Its groups differ from tailnet-access.yaml in group:eng. To keep the live members, change ' +
          "tailnet-access.yaml to match (`tailnet-access render --check` then passes); to keep the YAML's, run " +
          '`tailnet-access render`. Then commit both files.\n',
      );
      expect(sim.requests.countWrites()).toBe(0);
    },
  );

  it('with no config yet, says how to start: import --policy-file, which writes both files', async () => {
    await rm(path.join(dir, 'tailnet-access.yaml'));
    const run = await cli(['render', '--from-live'], { TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: tailnet-access.yaml does not exist, so there is no settings.policyFile to copy the live policy ' +
        'into. To start keeping the policy in git, run `tailnet-access import --policy-file policy.hujson`: it ' +
        'writes the live policy into policy.hujson, byte for byte, and a tailnet-access.yaml that points at it\n',
    );
    const elsewhere = await cli(['render', '--from-live', '--config', 'infra/access.yaml'], {
      TAILSCALE_API_KEY: OWNER_KEY,
      TAILSCALE_BASE_URL: sim.url,
    });
    expect(elsewhere.stderr).toContain(
      'run `tailnet-access import --policy-file infra/policy.hujson --config infra/access.yaml`',
    );
    expect(sim.requests.entries).toEqual([]);
  });

  it('does not go with --check', async () => {
    expect((await cli(['render', '--check', '--from-live'])).stderr).toBe(
      'error: render: --check and --from-live do not go together (--from-live writes the file; --check never writes)\n',
    );
  });
});

describe('render and the files the config names', () => {
  it(
    'writes through a symbolically linked policy file: the link stays, and the file it points to is ' + 'rendered',
    async () => {
      await mkdir(path.join(dir, 'shared'));
      await rename(path.join(dir, 'policy.hujson'), path.join(dir, 'shared', 'policy.hujson'));
      await symlink(path.join('shared', 'policy.hujson'), path.join(dir, 'policy.hujson'));
      await writeFile(path.join(dir, 'tailnet-access.yaml'), YAML.replace('[alice@example.com]', '[bob@example.com]'));
      const run = await cli(['render']);
      expect(run.stderr).toBe('');
      expect((await lstat(path.join(dir, 'policy.hujson'))).isSymbolicLink()).toBe(true);
      expect(await readFile(path.join(dir, 'shared', 'policy.hujson'), 'utf8')).toBe(
        POLICY.replace('["alice@example.com"]', '["bob@example.com"]'),
      );
      expect((await cli(['render', '--check'])).code).toBe(0);
    },
  );

  it('refuses a policy file outside the repository at the setting, without reading it', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'tailnet-access-elsewhere-'));
    await writeFile(path.join(outside, 'secret'), 'TOKEN=do-not-print\n');
    await writeFile(path.join(dir, 'tailnet-access.yaml'), YAML.replace('policy.hujson', path.join(outside, 'secret')));
    const run = await cli(['render', '--check']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `tailnet-access.yaml:5:3: settings.policyFile ${JSON.stringify(path.join(outside, 'secret'))} leads to ` +
        `${await realpath(path.join(outside, 'secret'))}, outside ${await realpath(dir)} (the config file's folder, ` +
        `which is in no git repository): tailnet-access reads only files inside it, so that a change to this file ` +
        `cannot publish other files of the machine in a plan; keep the policy file in the repository\n1 problem in ` +
        `tailnet-access.yaml; nothing was written to the tailnet.\n`,
    );
    await rm(outside, { recursive: true });
  });

  it('names an absolute policy file as it is, leading slash and all, and a directory as a directory', async () => {
    const absolute = path.join(dir, 'policy.hujson');
    await writeFile(path.join(dir, 'tailnet-access.yaml'), YAML.replace('policy.hujson', absolute));
    await writeFile(absolute, POLICY.replace('["alice@example.com"],\n', '["alice@example.com"]\n'));
    const broken = await cli(['render', '--check']);
    expect(broken.stderr.split('\n')[0]).toBe(
      `${absolute}:6:5: expected ',' between values, found "\\"group:legacy\\""`,
    );
    await mkdir(path.join(dir, 'policies'));
    await writeFile(path.join(dir, 'tailnet-access.yaml'), YAML.replace('policy.hujson', 'policies'));
    expect((await cli(['render'])).stderr).toBe(
      'error: the policy file policies (settings.policyFile at tailnet-access.yaml:5:3) is a directory; ' +
        'settings.policyFile must name the HuJSON policy file\n',
    );
  });

  it('refuses --out naming the policy file or the config, before writing anything', async () => {
    await writeFile(path.join(dir, 'tailnet-access.yaml'), YAML.replace('[alice@example.com]', '[bob@example.com]'));
    await symlink('policy.hujson', path.join(dir, 'report.txt'));
    expect((await cli(['render', '--out', 'report.txt'])).stderr).toBe(
      'error: --out report.txt is the policy file policy.hujson; the output would replace it, so give --out ' +
        'another file\n',
    );
    expect((await cli(['render', '--out', './tailnet-access.yaml'])).stderr).toBe(
      'error: --out ./tailnet-access.yaml is the config file tailnet-access.yaml; the output would replace it, so ' +
        'give --out another file\n',
    );
    expect(await policy()).toBe(POLICY);
  });
});
