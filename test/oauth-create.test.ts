// `create-oauth-app` against the simulator: create once, find by name after, update on request, refuse
// bad settings before any request, and keep the one-time client secret out of everything but its file.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GuardedStream } from '../src/commands/guarded-stream.js';
import { runCli } from '../src/commands/run-cli.js';
import {
  createOrFindOAuthApp,
  SecretNotStoredError,
  ReadBackMismatchError,
  type OAuthAppsApi,
  type SecretSink,
} from '../src/oauth/create-or-find.js';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { createTailscaleClient } from '../src/tailscale/client.js';
import type { OAuthApp } from '../src/tailscale/types.js';
import { OWNER_KEY } from './fixtures/simulator/client.js';
import { capturedIO, filesUnder, SecretScan } from './helpers/oauth-kit.js';

const scan = new SecretScan();
scan.secret(OWNER_KEY);
let sim: Simulator;
let dir: string;
/** Intended homes of a client secret: left out of the scan, checked for their mode instead. */
let secretFiles: string[];
const systemTmp = tmpdir();
const savedTmp = process.env.TMPDIR;

beforeEach(async () => {
  sim = await startSimulator();
  dir = await mkdtemp(path.join(systemTmp, 'oauth-create-test-'));
  secretFiles = [];
  // Secret files the command places itself go under the system temporary directory: this test's.
  process.env.TMPDIR = dir;
});

afterEach(async () => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  scan.saw('the simulator request log', JSON.stringify(sim.requests.entries));
  for (const { file, text } of await filesUnder(dir, secretFiles)) scan.saw(file, text);
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

afterAll(() => {
  expect(scan.secretCount).toBeGreaterThan(3);
  scan.assertClean();
});

async function cli(
  args: string[],
  options: { secretOnStdout?: boolean } = {},
): Promise<{ code: number; out: string; err: string }> {
  const io = capturedIO({ TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url }, dir);
  const code = await runCli(['create-oauth-app', ...args], io);
  if (!options.secretOnStdout) scan.saw(`stdout of ${args.join(' ')}`, io.out());
  scan.saw(`stderr of ${args.join(' ')}`, io.err());
  return { code, out: io.out(), err: io.err() };
}

async function readSecret(file: string): Promise<string> {
  secretFiles.push(file);
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  const secret = (await readFile(file, 'utf8')).trim();
  scan.secret(secret);
  return secret;
}

const BASE = ['--name', 'device-provisioner', '--redirect-uri', 'http://127.0.0.1:8976/callback'];
const apiCalls = (): string[] =>
  sim.requests.entries.map((e) => `${e.method} ${e.path.replace('/api/v2/tailnet/-', '')}`);

describe('create-oauth-app', () => {
  it('creates the app, stores its secret in a 0600 file, and reads the app back', async () => {
    const run = await cli([...BASE, '--allowed-node-attribute', 'custom:provisioned', '--secret-file', 'app.secret']);
    expect(run.code, run.err).toBe(0);
    const [app] = sim.state.oauthApps.list();
    expect(app).toMatchObject({
      name: 'device-provisioner',
      scopes: ['auth_keys:create:once'],
      allowedNodeAttributes: ['custom:provisioned'],
    });
    const secret = await readSecret(path.join(dir, 'app.secret'));
    expect(sim.state.oauthApps.secretMatches(app?.id ?? '', secret)).toBe(true);
    expect(apiCalls()).toEqual(['GET /oauth-apps', 'POST /oauth-apps', `GET /oauth-apps/${app?.id}`]);
    expect(run.out).toContain(`Created OAuth app "device-provisioner" (ID ${app?.id})`);
    expect(run.out).toContain(`Its client secret is in ${path.join(dir, 'app.secret')} (mode 0600)`);
  });

  it('without --secret-file, writes the secret to a new private file and prints its path', async () => {
    const run = await cli(BASE);
    expect(run.code, run.err).toBe(0);
    const file = /Its client secret is in (\S+) \(mode 0600\)/.exec(run.out)?.[1] ?? '';
    expect(file.startsWith(dir)).toBe(true);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    const [app] = sim.state.oauthApps.list();
    expect(sim.state.oauthApps.secretMatches(app?.id ?? '', await readSecret(file))).toBe(true);
  });

  it('a re-run finds the app by name and creates nothing, even with the lists reordered', async () => {
    const two = [
      '--name',
      'two-uris',
      '--redirect-uri',
      'https://a.example/cb',
      '--redirect-uri',
      'https://b.example/cb',
    ];
    expect((await cli([...two, '--secret-file', 'app.secret'])).code).toBe(0);
    const secretBefore = await readSecret(path.join(dir, 'app.secret'));
    sim.requests.clear();
    const again = await cli([
      '--name',
      'two-uris',
      '--redirect-uri',
      'https://b.example/cb',
      '--redirect-uri',
      'https://a.example/cb',
      '--secret-file',
      'app.secret',
    ]);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('already exists with these settings; nothing was changed');
    expect(apiCalls()).toEqual(['GET /oauth-apps']);
    expect(sim.state.oauthApps.list()).toHaveLength(1);
    expect((await readFile(path.join(dir, 'app.secret'), 'utf8')).trim()).toBe(secretBefore);
  });

  it(
    'reports the differences of an existing app and changes nothing (exit 2); --update replaces it and the secret ' +
      'survives',
    async () => {
      expect((await cli([...BASE, '--secret-file', 'app.secret'])).code).toBe(0);
      const secret = await readSecret(path.join(dir, 'app.secret'));
      const [created] = sim.state.oauthApps.list();
      const changed = [
        ...BASE,
        '--description',
        'laptops',
        '--redirect-uri',
        'https://tool.example.com/cb',
        '--allowed-node-attribute',
        'custom:laptop',
      ];

      sim.requests.clear();
      const differs = await cli(changed);
      expect(differs.code).toBe(2);
      expect(differs.out).toContain('already exists with other settings; nothing was changed');
      expect(differs.out).toContain('redirectURIs: + https://tool.example.com/cb');
      expect(differs.out).toContain('allowedNodeAttributes: + custom:laptop');
      expect(differs.out).toContain('--update');
      expect(sim.requests.countWrites()).toBe(0);

      sim.requests.clear();
      const updated = await cli([...changed, '--update']);
      expect(updated.code, updated.err).toBe(0);
      expect(updated.out).toContain('its client secret stays the same');
      expect(apiCalls()).toEqual([
        'GET /oauth-apps',
        `PUT /oauth-apps/${created?.id}`,
        `GET /oauth-apps/${created?.id}`,
      ]);
      const [app] = sim.state.oauthApps.list();
      expect(app).toMatchObject({ id: created?.id, description: 'laptops', allowedNodeAttributes: ['custom:laptop'] });
      expect(app?.redirectURIs).toEqual(['http://127.0.0.1:8976/callback', 'https://tool.example.com/cb']);
      expect(sim.state.oauthApps.secretMatches(created?.id ?? '', secret)).toBe(true);
      expect((await cli([...changed, '--update'])).out).toContain('already exists with these settings');
    },
  );

  it('refuses invalid settings and flag combinations before any request', async () => {
    const bad: [string[], RegExp][] = [
      [['--redirect-uri', 'https://a.example/cb'], /--name is required/],
      [['--name', 'ab', '--redirect-uri', 'https://a.example/cb'], /name "ab" must be 3 to 50 characters/],
      [['--name', 'no-uris'], /at least one redirect URI is required/],
      [[...BASE, '--redirect-uri', 'http://tool.example.com/cb'], /must use https/],
      [[...BASE, '--allowed-node-attribute', 'provisioned'], /must start with "custom:"/],
      [[...BASE, '--scope', ''], /is empty or contains white space/],
      [[...BASE, '--secret-file', 'x', '--print-secret'], /not both/],
    ];
    for (const [args, message] of bad) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.err).toMatch(message);
    }
    expect(sim.requests.entries).toEqual([]);
  });

  it('refuses an existing --secret-file before creating anything, and leaves the file alone', async () => {
    await writeFile(path.join(dir, 'taken.secret'), 'something precious\n');
    const run = await cli([...BASE, '--secret-file', 'taken.secret']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/taken\.secret already exists; give a path that does not exist yet/);
    expect(sim.requests.countWrites()).toBe(0);
    expect(sim.state.oauthApps.list()).toEqual([]);
    expect(await readFile(path.join(dir, 'taken.secret'), 'utf8')).toBe('something precious\n');
  });

  it('with --print-secret, standard output carries the secret alone and the report goes to stderr', async () => {
    const run = await cli([...BASE, '--print-secret'], { secretOnStdout: true });
    expect(run.code, run.err).toBe(0);
    const [app] = sim.state.oauthApps.list();
    const secret = run.out.trim();
    scan.secret(secret);
    expect(run.out).toBe(`${secret}\n`);
    expect(sim.state.oauthApps.secretMatches(app?.id ?? '', secret)).toBe(true);
    expect(run.err).toContain('Its client secret is in standard output.');
  });

  it(
    'with --print-secret to a closed pipe, says the secret was not stored (it is shown only once), never printing ' +
      'it',
    async () => {
      const closed = new Writable({
        write: (_chunk, _encoding, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
      });
      let err = '';
      const code = await runCli(['create-oauth-app', ...BASE, '--print-secret'], {
        env: { TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url },
        cwd: dir,
        stdout: new GuardedStream(closed),
        stderr: { write: (text: string) => (err += text) },
      });
      scan.saw('stderr of --print-secret to a closed pipe', err);
      expect(code).toBe(1);
      const [app] = sim.state.oauthApps.list();
      expect(err).toContain(
        `OAuth app "${app?.name}" (ID ${app?.id}) was created, but its client secret could not be stored in ` +
          `standard output: writing it failed (EPIPE)`,
      );
    },
  );

  it('refuses to pick one of two apps of the same name', async () => {
    const input = { name: 'twin', redirectURIs: ['https://a.example/cb'], scopes: ['auth_keys:create:once'] };
    sim.state.oauthApps.create(input, '2026-01-01T00:00:00Z');
    sim.state.oauthApps.create(input, '2026-01-01T00:00:00Z');
    const run = await cli(['--name', 'twin', '--redirect-uri', 'https://a.example/cb']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/2 OAuth apps are named "twin" \(IDs \w+, \w+\); .*delete the extra ones/);
    expect(sim.requests.countWrites()).toBe(0);
  });
});

describe('createOrFindOAuthApp', () => {
  const failingSink: SecretSink = {
    description: 'the vault',
    prepare: () => Promise.resolve(),
    store: () => Promise.reject(new Error('the vault is sealed')),
  };

  it('fails loudly when the secret cannot be stored after the create, and its recovery steps work', async () => {
    const client = createTailscaleClient({ baseUrl: sim.url, credential: { kind: 'api-key', key: OWNER_KEY } });
    try {
      const draft = { name: 'lost-secret', redirectURIs: ['https://a.example/cb'] };
      const failure = await createOrFindOAuthApp(draft, { client, secretSink: failingSink, baseUrl: sim.url }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(SecretNotStoredError);
      const message = (failure as Error).message;
      scan.saw('the SecretNotStoredError message', message);
      const [app] = sim.state.oauthApps.list();
      expect(message).toContain(
        `OAuth app "lost-secret" (ID ${app?.id}) was created, but its client secret could not be stored in the ` +
          `vault: the vault is sealed`,
      );
      expect(message).toContain('the secret was not printed anywhere');
      const command =
        `curl -fsS -X DELETE -H "Authorization: Bearer $TAILSCALE_API_KEY" ` +
        `"${sim.url}/api/v2/tailnet/-/oauth-apps/${app?.id}"`;
      expect(message).toContain(command);
      expect(message).toContain('run this again');

      // The steps, followed: delete the app with that exact call, run again, get a new app and secret.
      const deleted = await fetch(`${sim.url}/api/v2/tailnet/-/oauth-apps/${app?.id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${OWNER_KEY}` },
      });
      expect(deleted.status).toBe(200);
      const stored: string[] = [];
      const sink: SecretSink = {
        description: 'memory',
        prepare: () => Promise.resolve(),
        store: (secret) => Promise.resolve(String(stored.push(secret))),
      };
      const again = await createOrFindOAuthApp(draft, { client, secretSink: sink });
      stored.forEach((secret) => scan.secret(secret));
      expect(again.outcome).toBe('created');
      expect(sim.state.oauthApps.secretMatches(again.app.id, stored[0] ?? '')).toBe(true);
      expect(JSON.stringify(again)).not.toContain('tskey-app-');
    } finally {
      await client.close();
    }
  });

  it('does not create when the sink cannot take a secret', async () => {
    const client = createTailscaleClient({ baseUrl: sim.url, credential: { kind: 'api-key', key: OWNER_KEY } });
    try {
      const refusing: SecretSink = { ...failingSink, prepare: () => Promise.reject(new Error('no vault here')) };
      await expect(
        createOrFindOAuthApp(
          { name: 'no-home', redirectURIs: ['https://a.example/cb'] },
          { client, secretSink: refusing },
        ),
      ).rejects.toThrow('no vault here');
      expect(sim.state.oauthApps.list()).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('stops when the app read back has other scopes than were sent, saying where the secret went', async () => {
    const apps: OAuthApp[] = [];
    const client: OAuthAppsApi = {
      tailnet: '-',
      listOAuthApps: () => Promise.resolve(apps),
      createOAuthApp: (input) =>
        Promise.resolve({ ...input, id: 'a9CNTRL', clientSecret: 'tskey-app-a9CNTRL-readBackTestSecret' }),
      getOAuthApp: (id) =>
        Promise.resolve({ id, name: 'drifty', redirectURIs: ['https://a.example/cb'], scopes: ['devices:core'] }),
      updateOAuthApp: () => Promise.reject(new Error('not called')),
    };
    scan.secret('tskey-app-a9CNTRL-readBackTestSecret');
    const sink: SecretSink = {
      description: 'memory',
      prepare: () => Promise.resolve(),
      store: () => Promise.resolve('the test vault'),
    };
    const failure = await createOrFindOAuthApp(
      { name: 'drifty', redirectURIs: ['https://a.example/cb'] },
      { client, secretSink: sink },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ReadBackMismatchError);
    const message = (failure as Error).message;
    scan.saw('the ReadBackMismatchError message', message);
    expect(message).toContain('scopes: + auth_keys:create:once, - devices:core');
    expect(message).toContain('Its client secret was stored in the test vault.');
  });
});
