// The bundled command line (dist/cli.js) and the files around it, as a process: a policy file that
// leads out of the repository is refused without a byte of it shown; devices and FIFOs are refused at
// once instead of read forever; --out never replaces an input; a closed pipe or a full disk on
// standard output is one line on standard error and the right exit code, and after an apply the
// report still reaches the user; `import --policy-file` starts a policy file from the live one.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Simulator } from '../src/simulator/index.js';
import { EXAMPLE_CONFIG, OWNER_KEY, roles, simulator } from './apply-helpers.js';
import { runCliProcess, type CliProcessOptions } from './helpers/cli-process.js';

const MARKER = 'RUNNER_SECRET=do-not-publish-this';
const hasDevices = existsSync('/dev/zero') && existsSync('/dev/full');
const posix = process.platform !== 'win32';

let sim: Simulator;
let repo: string;
let outside: string;

beforeEach(async () => {
  sim = await simulator();
  repo = await realpath(await mkdtemp(path.join(tmpdir(), 'tailnet-access-repo-')));
  outside = await realpath(await mkdtemp(path.join(tmpdir(), 'tailnet-access-runner-')));
  await mkdir(path.join(repo, '.git'));
  await writeFile(path.join(outside, 'environ'), `${MARKER}\n`);
  await writeFile(path.join(repo, 'tailnet-access.yaml'), EXAMPLE_CONFIG);
});
afterEach(async () => {
  await sim.close();
  await rm(repo, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const env = (): Record<string, string> => ({ TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url });
const dist = (args: string[], options: Partial<CliProcessOptions> = {}) =>
  runCliProcess(args, { cwd: repo, env: env(), ...options });
const withPolicyFile = (setting: string) =>
  writeFile(path.join(repo, 'tailnet-access.yaml'), `version: 1\nsettings:\n  policyFile: ${setting}\n`);

describe('dist/cli.js: a policy file outside the repository', () => {
  it('is refused at the setting, for absolute paths, `..` and links, and nothing of it is shown', async () => {
    await symlink(path.join(outside, 'environ'), path.join(repo, 'policy.hujson'));
    for (const setting of [path.join(outside, 'environ'), `../${path.basename(outside)}/environ`, 'policy.hujson']) {
      await withPolicyFile(setting);
      for (const command of ['plan', 'render']) {
        const run = await dist([command]);
        expect(run.code, `${command} with policyFile ${setting}`).toBe(1);
        expect(run.stderr).toContain(
          `tailnet-access.yaml:3:3: settings.policyFile ${JSON.stringify(setting)} leads to ` +
            `${path.join(outside, 'environ')}, outside the repository ${repo} (the nearest folder above the config ` +
            `file holding .git)`,
        );
        expect(run.stdout + run.stderr).not.toContain('do-not-publish');
      }
    }
    expect(sim.requests.entries).toEqual([]);
  });

  it.skipIf(!existsSync('/etc/passwd'))('is refused for /etc/passwd, shown with its leading slash', async () => {
    await withPolicyFile('/etc/passwd');
    const run = await dist(['plan']);
    expect(run.stderr.split('\n')[0]).toMatch(
      /^tailnet-access\.yaml:3:3: settings\.policyFile "\/etc\/passwd" leads to \/etc\/passwd, outside the repository /,
    );
    expect(run.stderr).not.toContain('root:');
  });
});

describe('dist/cli.js: files that are not regular files', () => {
  it.skipIf(!hasDevices)(
    'refuses --config /dev/zero, --state-file /dev/zero, --fixture /dev/zero and a secret file of /dev/zero at once',
    async () => {
      const config = await dist(['plan', '--config', '/dev/zero'], { timeoutMs: 10_000 });
      expect(config).toMatchObject({ timedOut: false, code: 1 });
      expect(config.stderr).toBe(
        'error: /dev/zero is a character device, not a regular file; give the path of the tailnet-access.yaml file\n',
      );
      await withPolicyFile('policy.hujson');
      await writeFile(path.join(repo, 'policy.hujson'), DEFAULT_POLICY);
      const state = await dist(['plan', '--state-file', '/dev/zero'], { timeoutMs: 10_000 });
      expect(state).toMatchObject({ timedOut: false, code: 1 });
      expect(state.stderr).toContain('the state file /dev/zero is a character device, not a regular file');
      const fixture = await dist(['simulate', '--fixture', '/dev/zero'], { timeoutMs: 10_000 });
      expect(fixture).toMatchObject({ timedOut: false, code: 1 });
      expect(fixture.stderr).toBe(
        'error: simulator fixture /dev/zero: the file is a character device, not a regular file\n',
      );
      const secret = await dist(['provision', '--client-id', 'k1', '--client-secret-file', '/dev/zero'], {
        timeoutMs: 10_000,
      });
      expect(secret).toMatchObject({ timedOut: false, code: 1 });
      expect(secret.stderr).toBe(
        'error: cannot read the OAuth app client secret: /dev/zero is a character device, not a regular file; ' +
          'check the path and its permissions\n',
      );
    },
  );

  it.skipIf(!posix)('refuses a FIFO as the config or the policy file without waiting for a writer', async () => {
    execFileSync('mkfifo', [path.join(repo, 'fifo.yaml')]);
    const config = await dist(['plan', '--config', 'fifo.yaml'], { timeoutMs: 10_000 });
    expect(config).toMatchObject({ timedOut: false, code: 1 });
    expect(config.stderr).toBe(
      'error: fifo.yaml is a FIFO (named pipe), not a regular file; give the path of the tailnet-access.yaml file\n',
    );
    execFileSync('mkfifo', [path.join(repo, 'policy.hujson')]);
    await withPolicyFile('policy.hujson');
    const policy = await dist(['render', '--check'], { timeoutMs: 10_000 });
    expect(policy).toMatchObject({ timedOut: false, code: 1 });
    expect(policy.stderr).toBe(
      'error: the policy file policy.hujson (settings.policyFile at tailnet-access.yaml:3:3) is a FIFO (named ' +
        'pipe), not a regular file; settings.policyFile must name the HuJSON policy file\n',
    );
  });
});

describe('dist/cli.js: --out naming an input', () => {
  it(
    'refuses apply --out tailnet-access.yaml before changing the tailnet, and import --out writes the ' + 'YAML there',
    async () => {
      const run = await dist(['apply', '--out', 'tailnet-access.yaml']);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'error: --out tailnet-access.yaml is the config file tailnet-access.yaml; the output would replace it, so ' +
          'give --out another file\n',
      );
      expect(await readFile(path.join(repo, 'tailnet-access.yaml'), 'utf8')).toBe(EXAMPLE_CONFIG);
      expect(sim.requests.entries).toEqual([]);
      const imported = await dist(['import', '--force', '--out', 'tailnet-access.yaml']);
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(/^Wrote tailnet-access\.yaml: \d+ users, \d+ groups\./);
      expect(await readFile(path.join(repo, 'tailnet-access.yaml'), 'utf8')).toMatch(
        /^# yaml-language-server: \$schema=/,
      );
    },
  );
});

describe('dist/cli.js: standard output that fails', () => {
  it('says so in one line and exits 1 when plan cannot write to a closed pipe', async () => {
    const run = await dist(['plan'], { stdout: 'closed' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: cannot write to standard output (EPIPE: the reader closed the pipe); the output was not saved\n',
    );
  });

  it.skipIf(!hasDevices)('says so in one line and exits 1 when plan, or the help, goes to a full disk', async () => {
    const run = await dist(['plan'], { stdout: { file: '/dev/full' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: cannot write to standard output (ENOSPC: no space left on the device); the output was not saved\n',
    );
    const help = await dist(['--help'], { stdout: { file: '/dev/full' } });
    expect(help.code).toBe(1);
    expect(help.stderr).toBe(
      'error: cannot write to standard output (ENOSPC: no space left on the device); the output was not saved\n',
    );
  });

  it(
    "keeps the report of an apply whose standard output is gone: on standard error, with the apply's " +
      'own exit code',
    async () => {
      const run = await dist(['apply'], { stdout: 'closed' });
      expect(run.code).toBe(0);
      expect(roles(sim)['bob@example.com']).toBe('admin');
      const [first, ...report] = run.stderr.trimEnd().split('\n');
      expect(first).toBe(
        'error: cannot write to standard output (EPIPE: the reader closed the pipe); the output was not saved. The ' +
          'apply itself went ahead; its report follows.',
      );
      expect(report).toContain('    ~ bob@example.com  member -> admin');
      expect(report.at(-1)).toBe(
        'Apply complete: 1 role change, 1 group created, 1 updated, 1 deleted. The tailnet matches ' +
          'tailnet-access.yaml.',
      );
    },
  );

  it.skipIf(!hasDevices)('keeps the report of an apply to a full disk, and of one to --out /dev/full', async () => {
    const run = await dist(['apply', '--format', 'json'], { stdout: { file: '/dev/full' } });
    expect(run.code).toBe(0);
    const [first, ...report] = run.stderr.split('\n');
    expect(first).toBe(
      'error: cannot write to standard output (ENOSPC: no space left on the device); the output was not saved. ' +
        'The apply itself went ahead; its report follows.',
    );
    expect(JSON.parse(report.join('\n'))).toMatchObject({ converged: true });
    const again = await dist(['apply', '--out', '/dev/full']);
    expect(again.code).toBe(0);
    expect(again.stderr.split('\n')[0]).toBe(
      'error: cannot write --out /dev/full (ENOSPC: no space left on the device); the output was not saved. The ' +
        'apply itself went ahead; its report follows.',
    );
    expect(again.stderr).toContain('No changes. The tailnet matches tailnet-access.yaml.');
  });
});

describe('dist/cli.js: starting a policy file from the live one', () => {
  it(
    'writes it with import --policy-file, byte for byte, and render --from-live without a config says ' + 'to',
    async () => {
      await rm(path.join(repo, 'tailnet-access.yaml'));
      const hint = await dist(['render', '--from-live']);
      expect(hint.code).toBe(1);
      expect(hint.stderr).toContain('run `tailnet-access import --policy-file policy.hujson`');
      const run = await dist(['import', '--policy-file', 'policy.hujson']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(await readFile(path.join(repo, 'policy.hujson'))).toEqual(Buffer.from(sim.state.policy.text, 'utf8'));
      expect(await readFile(path.join(repo, 'tailnet-access.yaml'), 'utf8')).toContain('policyFile: policy.hujson');
      expect((await dist(['render', '--check'])).code).toBe(0);
      expect((await dist(['plan', '--detailed-exitcode'])).code).toBe(0);
    },
  );
});
